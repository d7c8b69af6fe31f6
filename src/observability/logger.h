#pragma once
// The one way fraudgov code logs: a Logger belonging to the runtime (observability/telemetry.h),
// passed to whatever needs it. Each line is one JSON object (ts, level, msg plus the event's own
// members) on the output initLogging() configured. Members with sensitive names are masked, and
// the whole line passes through this runtime's SecretValues, then the credential patterns
// (redaction.h). Modules below observability in the dependency graph (auth) get a plain
// callback from lineSink() instead of depending on this header.

#include <spdlog/common.h>

#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "observability/secret_values.h"

namespace fraudgov::observability {

class Logger {
 public:
  using Level = spdlog::level::level_enum;
  using LineSink = std::function<void(std::string_view)>;

  Logger() = default;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void event(Level level, std::string_view msg, const boost::json::object& fields = {}) const;
  // Whether event() at `level` writes anything: lets a hot path skip building the fields.
  bool enabled(Level level) const;
  // A callback writing each line it receives as event(level, msg, {"detail": line}). The Logger
  // must outlive it.
  LineSink lineSink(Level level, std::string msg) const;

  // The secret values to mask in every line (set from the secret store, again after SIGHUP).
  SecretValues& secretValues() { return secrets_; }

 private:
  SecretValues secrets_;
};

}  // namespace fraudgov::observability
