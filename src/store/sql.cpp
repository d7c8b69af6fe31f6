#include "store/sql.h"

#include <charconv>

#include "common/json.h"

namespace fraudgov::store {

namespace {
const std::string kEmpty;
}

const std::string& Row::text(std::size_t i) const {
  const auto& cell = cells_.at(i);
  return cell ? *cell : kEmpty;
}

std::int64_t Row::integer(std::size_t i) const {
  const std::string& s = text(i);
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool Row::boolean(std::size_t i) const {
  const std::string& s = text(i);
  return s == "t" || s == "true" || s == "1";
}

Timestamp Row::timestamp(std::size_t i) const { return optionalTimestamp(i).value_or(Timestamp{}); }

std::optional<Timestamp> Row::optionalTimestamp(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  return parseIso(text(i));  // SQLite stores ISO text; PostgreSQL prints "2026-01-15 10:30:00.123456+00"
}

boost::json::value Row::json(std::size_t i) const {
  if (isNull(i)) return nullptr;
  // Stored documents were validated before they were written; a parse failure means the row
  // was edited behind our back, which must not crash a read.
  auto parsed = json::parseStrict(text(i));
  return parsed ? std::move(*parsed) : boost::json::value(nullptr);
}

bool isUniqueViolation(const Error& e) {
  return e.code == ErrorCode::kConflict && e.details.contains(kConstraintDetail);
}

}  // namespace fraudgov::store
