#include "observability/logger.h"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "observability/log.h"
#include "observability/redaction.h"

namespace fraudgov::observability {

void Logger::event(Level level, std::string_view msg, const boost::json::object& fields) const {
  if (!spdlog::should_log(level)) return;
  boost::json::object o;
  o["msg"] = msg;
  for (const auto& kv : fields) {
    o[kv.key()] =
        isSensitiveKey(kv.key()) ? boost::json::value(boost::json::string(kRedacted)) : redactJson(kv.value());
  }
  std::string payload(1, kStructuredMarker);
  payload += secrets_.redact(boost::json::serialize(o));
  spdlog::log(level, "{}", payload);
}

bool Logger::enabled(Level level) const { return spdlog::should_log(level); }

Logger::LineSink Logger::lineSink(Level level, std::string msg) const {
  return [this, level, msg = std::move(msg)](std::string_view line) { event(level, msg, {{"detail", line}}); };
}

}  // namespace fraudgov::observability
