#pragma once
// The process's log output: JSON lines on top of spdlog. Every line is one JSON object with ts,
// level and msg; structured events (Logger, observability/logger.h — the way code logs) add their
// own members. Every line passes through redactText() (redaction.h) on its way out, so
// credentials embedded in text (exception messages, URLs) are masked even in a library's message.

#include <spdlog/common.h>
#include <string_view>

namespace fraudgov::observability {

// Installs the JSON formatter on the default logger (stdout). level: trace..critical, off.
void initLogging(std::string_view level);
// The same logger writing to `sink` instead (tests capture the lines this way).
void initLogging(std::string_view level, spdlog::sink_ptr sink);

// Internal to Logger: the payload prefix that marks a serialized structured event.
inline constexpr char kStructuredMarker = '\x1e';

}  // namespace fraudgov::observability
