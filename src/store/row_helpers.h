#pragma once
// Small pieces every repository uses: optional values as bound parameters, rows into entities,
// and the bound parameters of a (created_at, id) keyset.

#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "store/keyset_bounds.h"
#include "store/sql.h"

namespace fraudgov::store {

inline SqlParam optionalTime(const std::optional<Timestamp>& t) {
  return t ? SqlParam(*t) : SqlParam(std::monostate{});
}

inline SqlParam jsonOrNull(const boost::json::value& v) {
  return v.is_null() ? SqlParam(std::monostate{}) : SqlParam(JsonParam{v});
}

// A statement whose row count does not matter (an insert, an unguarded update).
inline Status runStatement(SqlSession& s, const Sql& sql, std::span<const SqlParam> params) {
  FRAUDGOV_RETURN_IF_ERROR(s.execute(sql, params));
  return {};
}

// An UPDATE guarded by an expected version or state: false when the guard no longer held
// (another writer changed the row first).
inline Result<bool> updatedOneRow(SqlSession& s, const Sql& sql, std::span<const SqlParam> params) {
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t affected, s.execute(sql, params));
  return affected == 1;
}

// A row one of whose cells a typed accessor could not read is corrupt (Row::undecodableColumn);
// named by its statement, since a plain decoder does not name its table.
Status readable(const Row& row, const Sql& sql);

// Every row of the result, decoded by from(row) -> Result<T>; the first undecodable row fails all.
template <class T, class From>
Result<std::vector<T>> collect(SqlSession& s, const Sql& sql, std::span<const SqlParam> params, From from) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(sql, params));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    FRAUDGOV_ASSIGN_OR_RETURN(T value, from(row));
    FRAUDGOV_RETURN_IF_ERROR(readable(row, sql));
    out.push_back(std::move(value));
  }
  return out;
}

// The first row of the result, or nullopt.
template <class T, class From>
Result<std::optional<T>> first(SqlSession& s, const Sql& sql, std::span<const SqlParam> params, From from) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(sql, params));
  if (rows.empty()) return std::optional<T>{};
  FRAUDGOV_ASSIGN_OR_RETURN(T value, from(rows[0]));
  FRAUDGOV_RETURN_IF_ERROR(readable(rows[0], sql));
  return std::optional<T>(std::move(value));
}

// First pages are "the page after +infinity": one statement per direction covers them.
inline constexpr Timestamp kEndOfTime{253402300799999999};  // 9999-12-31T23:59:59.999999Z
inline constexpr const char* kMaxUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";

inline std::pair<SqlParam, SqlParam> timeIdParams(const TimeIdBounds& page) {
  if (!page.after) return {kEndOfTime, std::string(kMaxUuid)};
  return {page.after->created_at, page.after->id};
}

}  // namespace fraudgov::store

namespace fraudgov::store {

// Decodes one stored row strictly (SPEC §3 invariant 9): a value the code does not know is an
// error naming table, row id and column (log only), never a default.
class RowDecoder {
 public:
  RowDecoder(const Row& row, std::string_view table, std::size_t id_column)
      : row_(row), table_(table), id_(row.isNull(id_column) ? std::string("?") : row.text(id_column)) {}

  // parse: std::optional<E>(std::string_view), e.g. domain::parseRuleType.
  template <class E, class Parse>
  void enumValue(std::size_t i, std::string_view column, Parse parse, E& out) {
    if (auto v = parse(row_.text(i))) {
      out = *v;
    } else {
      corrupt(column);
    }
  }
  // A JSON object column (NOT NULL in the schema); anything else is corruption.
  void object(std::size_t i, std::string_view column, boost::json::object& out) {
    auto v = row_.json(i);
    if (v.is_object()) {
      out = std::move(v.as_object());
    } else {
      corrupt(column);
    }
  }
  void objectValue(std::size_t i, std::string_view column, boost::json::value& out) {
    auto v = row_.json(i);
    if (v.is_object()) {
      out = std::move(v);
    } else {
      corrupt(column);
    }
  }
  void corrupt(std::string_view column) {
    if (!bad_column_) bad_column_ = std::string(column);
  }
  // The decoded value, or the first corrupt column as a kDataLoss error.
  template <class T>
  Result<T> finish(T value) const {
    if (bad_column_) return fail(corruptRowError(table_, id_, *bad_column_));
    if (auto i = row_.undecodableColumn()) return fail(corruptRowError(table_, id_, "#" + std::to_string(*i)));
    return value;
  }
  static Error corruptRowError(std::string_view table, std::string_view id, std::string_view column);
  // The table a corruptRowError names (for the corrupt-row metric), or nullopt for any other error.
  static std::optional<std::string> corruptTable(const Error& error);

 private:
  const Row& row_;
  std::string_view table_;
  std::string id_;
  std::optional<std::string> bad_column_;
};

}  // namespace fraudgov::store
