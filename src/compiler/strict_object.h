#pragma once
// Reading documents of a closed shape (ruleset exports, artifacts from storage) where anything
// unexpected is an error: a missing member, a member of the wrong JSON type, or a member the
// shape does not know. Problems are collected as {path, message} issues so one report names them
// all; paths start at "$" like the condition-tree paths.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/validation.h"

namespace fraudgov::compiler {

using Issues = std::vector<domain::FieldIssue>;

class StrictObject {
 public:
  // A non-object value is reported at `path` and every read below returns nothing.
  StrictObject(const boost::json::value& value, std::string path, Issues& issues);
  StrictObject(const StrictObject&) = delete;
  StrictObject& operator=(const StrictObject&) = delete;

  bool valid() const { return object_ != nullptr; }
  std::string pathOf(std::string_view key) const { return path_ + "." + std::string(key); }

  // Every reader marks the member as known and reports it when missing or of the wrong type.
  std::optional<std::string> string(std::string_view key);  // non-empty
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(std::string_view key);
  const boost::json::object* object(std::string_view key);
  const boost::json::array* array(std::string_view key);
  const boost::json::value* value(std::string_view key);  // any JSON type
  // A string member that must name one value of a closed set; an unknown name is reported with
  // `expected` ("must be A, B or C") and read as nothing.
  template <class E>
  std::optional<E> named(std::string_view key, std::optional<E> (*parse)(std::string_view), std::string_view expected) {
    auto name = string(key);
    if (!name) return std::nullopt;
    auto value = parse(*name);
    if (!value) issue(key, std::string(expected));
    return value;
  }

  void issue(std::string_view key, std::string message);
  // Reports every member no reader asked for. Call once, after the reads.
  void refuseUnknownMembers();

 private:
  const boost::json::value* member(std::string_view key);

  const boost::json::object* object_ = nullptr;
  std::string path_;
  Issues& issues_;
  std::vector<std::string_view> known_;
};

// [{path, message}], the form of details.errors everywhere.
boost::json::array issueList(const Issues& issues);
// kValidation "<what>: <first message> at <first path>" with details.errors [{path, message}].
Error issuesError(std::string_view what, const Issues& issues);

}  // namespace fraudgov::compiler
