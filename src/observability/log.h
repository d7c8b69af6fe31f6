#pragma once
// JSON-lines logging on top of spdlog. Every line is one JSON object with ts, level and msg;
// structured events add their own members. Only explicitly chosen fields are ever logged —
// never headers, bodies, tokens or secret values.

#include <boost/json/object.hpp>
#include <spdlog/common.h>
#include <string_view>

namespace fraudgov::observability {

// Installs the JSON formatter on the default logger (stdout). level: trace..critical, off.
void initLogging(std::string_view level);

void logEvent(spdlog::level::level_enum level, std::string_view msg, const boost::json::object& fields);

}  // namespace fraudgov::observability
