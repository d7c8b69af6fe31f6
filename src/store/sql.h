#pragma once
// The dialect-neutral SQL session both backends implement. Repositories are written once
// against it; every value travels as a bound parameter, never inside the SQL text.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.h"
#include "common/time.h"

namespace fraudgov::store {

enum class Dialect { kSqlite, kPostgres };

// A statement known at compile time. `postgres` overrides `text` where the dialects differ;
// `name` identifies the prepared statement on PostgreSQL connections.
struct Sql {
  std::string_view name;
  std::string_view text;
  std::string_view postgres = {};
  std::string_view textFor(Dialect d) const { return d == Dialect::kPostgres && !postgres.empty() ? postgres : text; }
};

struct JsonParam {
  boost::json::value value;
};

using SqlParam = std::variant<std::monostate, std::int64_t, bool, std::string, Timestamp, JsonParam>;

inline SqlParam nullableText(const std::optional<std::string>& v) {
  return v ? SqlParam(*v) : SqlParam(std::monostate{});
}

// One result row, materialized as text per column (both backends speak text), with typed
// accessors that understand either backend's spelling. An accessor that meets a cell it cannot
// read (not a number, not a boolean, not a timestamp, not JSON) returns a neutral value and
// remembers the column: RowDecoder::finish and collect()/first() turn that into a corrupt-row
// error, so a coerced value never reaches a caller (SPEC §3 invariant 9).
class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  bool isNull(std::size_t i) const { return !cells_.at(i).has_value(); }
  const std::string& text(std::size_t i) const;
  std::optional<std::string> optionalText(std::size_t i) const { return cells_.at(i); }
  std::int64_t integer(std::size_t i) const;
  bool boolean(std::size_t i) const;
  Timestamp timestamp(std::size_t i) const;
  std::optional<Timestamp> optionalTimestamp(std::size_t i) const;
  boost::json::value json(std::size_t i) const;  // null when the cell is NULL
  std::size_t size() const { return cells_.size(); }
  // The first column an accessor could not read, if any.
  std::optional<std::size_t> undecodableColumn() const { return undecodable_; }

 private:
  void markUndecodable(std::size_t i) const {
    if (!undecodable_) undecodable_ = i;
  }
  std::vector<std::optional<std::string>> cells_;
  mutable std::optional<std::size_t> undecodable_;
};

using Rows = std::vector<Row>;

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<Rows> query(const Sql& sql, std::span<const SqlParam> params = {}) = 0;
  // Returns the number of affected rows.
  virtual Result<std::int64_t> execute(const Sql& sql, std::span<const SqlParam> params = {}) = 0;
  // Multi-statement text with no parameters: migrations only.
  virtual Status executeScript(std::string_view script) = 0;
};

// Database errors reach callers as Errors: constraint violations as kFailedPrecondition with a
// generic public message and "<kind>:<constraint>" (kind: unique, check, foreign_key, trigger)
// in the log-only internal detail, so a table or constraint name never reaches a client; lost
// connections as kUnavailable; everything else as kInternal (the driver's text is logged).
// Services map the violations they expect to domain errors.
Error constraintViolation(std::string_view kind, std::string_view constraint);
bool isUniqueViolation(const Error& e);
bool isConstraintViolation(const Error& e);

}  // namespace fraudgov::store
