#pragma once
// Reads the members of one JSON object of a signed document, strictly: each member required
// unless said otherwise, of exactly the expected type, and no member left unread. The first
// problem is remembered, so a document parser stays a flat list of reads and one final check.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/time.h"

namespace fraudgov::publish {

class MemberReader {
 public:
  // `context` prefixes member names in problems ("maker." gives "maker.subject").
  explicit MemberReader(const boost::json::object& object, std::string context = {});

  std::string string(std::string_view name);  // non-empty string
  std::int64_t integer(std::string_view name, std::int64_t min);
  // Present, and either null or an integer >= min.
  std::optional<std::int64_t> nullableInteger(std::string_view name, std::int64_t min);
  // May be absent; when present, an integer >= min (never null).
  std::optional<std::int64_t> optionalInteger(std::string_view name, std::int64_t min);
  bool boolean(std::string_view name);
  // Exactly the text formatIso gives, so one instant has one signed spelling.
  Timestamp timestamp(std::string_view name);
  // A nested object, or nullptr (a problem is recorded) when absent or not an object.
  const boost::json::object* object(std::string_view name);
  // A string member that must equal `expected`.
  void literal(std::string_view name, std::string_view expected);
  // Records a problem found by the caller (a cross-member check, a nested reader's problem).
  void problem(std::string message);

  // The first problem, including members that were never read; nullopt when all is well.
  std::optional<std::string> finish() const;

 private:
  const boost::json::value* take(std::string_view name);
  void wrongType(std::string_view name, std::string_view expected);

  const boost::json::object& object_;
  std::string context_;
  std::set<std::string, std::less<>> read_;
  std::optional<std::string> problem_;
};

}  // namespace fraudgov::publish
