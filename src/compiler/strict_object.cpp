#include "compiler/strict_object.h"

#include <fmt/format.h>

#include <algorithm>

namespace fraudgov::compiler {

namespace bj = boost::json;

StrictObject::StrictObject(const bj::value& value, std::string path, Issues& issues)
    : object_(value.if_object()), path_(std::move(path)), issues_(issues) {
  if (object_ == nullptr) issues_.push_back({path_, "must be an object"});
}

const bj::value* StrictObject::member(std::string_view key) {
  if (object_ == nullptr) return nullptr;
  known_.push_back(key);
  const bj::value* v = object_->if_contains(key);
  if (v == nullptr) issue(key, "is required");
  return v;
}

std::optional<std::string> StrictObject::string(std::string_view key) {
  const bj::value* v = member(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string() || v->get_string().empty()) {
    issue(key, "must be a non-empty string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<std::int64_t> StrictObject::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const bj::value* v = member(key);
  if (v == nullptr) return std::nullopt;
  // Only integer JSON numbers: 1.0 or 1e2 are doubles, and a stored document holding one was not
  // written by us.
  if (!v->is_int64() && !v->is_uint64()) {
    issue(key, "must be an integer");
    return std::nullopt;
  }
  const bool in_range = v->is_int64() ? v->get_int64() >= min && v->get_int64() <= max
                                      : max >= 0 && v->get_uint64() <= static_cast<std::uint64_t>(max);
  if (!in_range) {
    issue(key, fmt::format("must be between {} and {}", min, max));
    return std::nullopt;
  }
  return v->to_number<std::int64_t>();
}

std::optional<bool> StrictObject::boolean(std::string_view key) {
  const bj::value* v = member(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    issue(key, "must be a boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

const bj::object* StrictObject::object(std::string_view key) {
  const bj::value* v = member(key);
  if (v != nullptr && !v->is_object()) issue(key, "must be an object");
  return v == nullptr ? nullptr : v->if_object();
}

const bj::array* StrictObject::array(std::string_view key) {
  const bj::value* v = member(key);
  if (v != nullptr && !v->is_array()) issue(key, "must be an array");
  return v == nullptr ? nullptr : v->if_array();
}

const bj::value* StrictObject::value(std::string_view key) { return member(key); }

void StrictObject::issue(std::string_view key, std::string message) {
  issues_.push_back({pathOf(key), std::move(message)});
}

void StrictObject::refuseUnknownMembers() {
  if (object_ == nullptr) return;
  for (const auto& kv : *object_) {
    if (std::find(known_.begin(), known_.end(), kv.key()) == known_.end()) issue(kv.key(), "is not a known member");
  }
}

bj::array issueList(const Issues& issues) {
  bj::array errors;
  for (const auto& i : issues) errors.push_back(bj::object{{"path", i.path}, {"message", i.message}});
  return errors;
}

Error issuesError(std::string_view what, const Issues& issues) {
  const std::string first = issues.empty() ? std::string("no details") : issues[0].message + " at " + issues[0].path;
  return Error::validation(fmt::format("{}: {}", what, first), {{"errors", issueList(issues)}});
}

}  // namespace fraudgov::compiler
