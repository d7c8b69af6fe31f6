#pragma once
// Typed access to a JSON request object that records an issue per problem instead of stopping at
// the first, so one 422 lists everything wrong with a request (SPEC §4: details.errors).

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/validation.h"

namespace fraudgov::api {

// Reads members of a JSON object, recording an issue per problem instead of stopping at the first.
class ObjectReader {
 public:
  explicit ObjectReader(const boost::json::object& object) : object_(object) {}

  bool has(std::string_view key) const { return object_.contains(key); }
  std::optional<std::string> requiredString(std::string_view key);
  // absent -> nullopt; null -> optional(nullopt) when nullable, an issue otherwise.
  std::optional<std::optional<std::string>> optionalString(std::string_view key, bool nullable);
  std::optional<bool> optionalBool(std::string_view key);
  // absent -> nullopt; null -> nullopt when nullable; an integer within [min, max] otherwise.
  std::optional<std::int64_t> optionalInt(std::string_view key, std::int64_t min, std::int64_t max, bool nullable);
  std::optional<boost::json::object> optionalObject(std::string_view key, bool nullable);
  std::optional<std::vector<std::string>> stringArray(std::string_view key, bool required);
  const boost::json::value* value(std::string_view key) const { return object_.if_contains(key); }
  void issue(std::string path, std::string message) { issues_.push_back({std::move(path), std::move(message)}); }
  const std::vector<domain::FieldIssue>& issues() const { return issues_; }
  // Every recorded issue as one 422, or nothing when the object was valid.
  std::optional<Error> problem() const {
    if (issues_.empty()) return std::nullopt;
    return domain::validationError(issues_);
  }

 private:
  const boost::json::object& object_;
  std::vector<domain::FieldIssue> issues_;
};

}  // namespace fraudgov::api
