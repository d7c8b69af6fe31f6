#include "observability/log.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include "common/time.h"
#include "observability/redaction.h"

namespace fraudgov::observability {

namespace {

std::string levelName(spdlog::level::level_enum l) {
  const auto sv = spdlog::level::to_string_view(l);
  return std::string(sv.data(), sv.size());
}

// Wraps every message in a JSON object. Plain messages become "msg"; structured events
// (marked by Logger::event) carry a serialized object whose members are merged in.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count();
    std::string_view payload(msg.payload.data(), msg.payload.size());
    boost::json::object line;
    line["ts"] = formatIso({micros});
    line["level"] = levelName(msg.level);
    std::string out;
    if (!payload.empty() && payload.front() == kStructuredMarker) {
      out = boost::json::serialize(line);
      out.pop_back();  // drop '}' and splice the event's members in
      out += ',';
      out.append(payload.substr(2));  // skip marker and '{'
    } else {
      line["msg"] = payload;
      out = boost::json::serialize(line);
    }
    // Last line of defence: whatever reached the line (exception texts, library messages, URLs),
    // credentials and known secret values do not leave the process.
    out = redactText(out);
    dest.append(out.data(), out.data() + out.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

void installLogger(std::shared_ptr<spdlog::logger> logger, std::string_view level) {
  logger->set_formatter(std::make_unique<JsonFormatter>());
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace

void initLogging(std::string_view level) {
  spdlog::drop("fraudgov");
  auto logger = spdlog::stdout_logger_mt("fraudgov");
  installLogger(std::move(logger), level);
}

void initLogging(std::string_view level, spdlog::sink_ptr sink) {
  spdlog::drop("fraudgov");
  installLogger(std::make_shared<spdlog::logger>("fraudgov", std::move(sink)), level);
}

}  // namespace fraudgov::observability
