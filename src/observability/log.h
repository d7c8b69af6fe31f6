#pragma once
// JSON-lines logging on top of spdlog. Every line is one JSON object with ts, level and msg;
// structured events add their own members. Only explicitly chosen fields are ever logged —
// never headers, bodies, tokens or secret values — and every line still passes through
// redactText() (redaction.h): fields with sensitive names, credentials embedded in text (exception
// messages, URLs) and the current secret values are masked before a line is written.

#include <spdlog/common.h>
#include <boost/json/object.hpp>
#include <string_view>

namespace fraudgov::observability {

// Installs the JSON formatter on the default logger (stdout). level: trace..critical, off.
void initLogging(std::string_view level);
// The same logger writing to `sink` instead (tests capture the lines this way).
void initLogging(std::string_view level, spdlog::sink_ptr sink);

void logEvent(spdlog::level::level_enum level, std::string_view msg, const boost::json::object& fields);

}  // namespace fraudgov::observability
