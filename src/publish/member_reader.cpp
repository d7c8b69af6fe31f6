#include "publish/member_reader.h"

#include "publish/verify_failure.h"

namespace fraudgov::publish {

MemberReader::MemberReader(const boost::json::object& object, std::string context)
    : object_(object), context_(std::move(context)) {}

void MemberReader::problem(std::string message) {
  if (!problem_) problem_ = std::move(message);
}

void MemberReader::wrongType(std::string_view name, std::string_view expected) {
  problem(context_ + std::string(name) + " must be " + std::string(expected));
}

const boost::json::value* MemberReader::take(std::string_view name) {
  read_.emplace(name);
  const auto* v = object_.if_contains(name);
  if (v == nullptr) problem(context_ + std::string(name) + " is missing");
  return v;
}

std::string MemberReader::string(std::string_view name) {
  const auto* v = take(name);
  if (v == nullptr) return {};
  if (!v->is_string() || v->get_string().empty()) {
    wrongType(name, "a non-empty string");
    return {};
  }
  return std::string(v->get_string());
}

std::int64_t MemberReader::integer(std::string_view name, std::int64_t min) {
  const auto* v = take(name);
  if (v == nullptr) return 0;
  // Only JSON integers: 1.0 parses as a double and is refused, so a number has one spelling.
  if (!v->is_int64() || v->get_int64() < min) {
    wrongType(name, "an integer >= " + std::to_string(min));
    return 0;
  }
  return v->get_int64();
}

std::optional<std::int64_t> MemberReader::nullableInteger(std::string_view name, std::int64_t min) {
  const auto* v = object_.if_contains(name);
  if (v != nullptr && v->is_null()) {
    read_.emplace(name);
    return std::nullopt;
  }
  return integer(name, min);
}

std::optional<std::int64_t> MemberReader::optionalInteger(std::string_view name, std::int64_t min) {
  if (!object_.contains(name)) return std::nullopt;
  return integer(name, min);
}

bool MemberReader::boolean(std::string_view name) {
  const auto* v = take(name);
  if (v == nullptr) return false;
  if (!v->is_bool()) {
    wrongType(name, "a boolean");
    return false;
  }
  return v->get_bool();
}

Timestamp MemberReader::timestamp(std::string_view name) {
  const std::string text = string(name);
  if (text.empty()) return {};
  const auto parsed = parseIso(text);
  if (!parsed || formatIso(*parsed) != text) {
    wrongType(name, "an ISO-8601 UTC timestamp like 2026-01-15T10:30:00.123456Z");
    return {};
  }
  return *parsed;
}

const boost::json::object* MemberReader::object(std::string_view name) {
  const auto* v = take(name);
  if (v == nullptr) return nullptr;
  if (!v->is_object()) {
    wrongType(name, "an object");
    return nullptr;
  }
  return &v->get_object();
}

void MemberReader::literal(std::string_view name, std::string_view expected) {
  const std::string text = string(name);
  if (!text.empty() && text != expected) wrongType(name, "\"" + std::string(expected) + "\"");
}

std::optional<std::string> MemberReader::finish() const {
  if (problem_) return problem_;
  for (const auto& member : object_) {
    if (!read_.contains(member.key())) return context_ + clip(member.key()) + " is not a known member";
  }
  return std::nullopt;
}

}  // namespace fraudgov::publish
