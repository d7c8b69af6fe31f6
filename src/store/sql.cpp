#include "store/sql.h"

#include "store/row_helpers.h"

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
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (!isNull(i) && (ec != std::errc() || end != s.data() + s.size())) markUndecodable(i);
  return v;
}

bool Row::boolean(std::size_t i) const {
  const std::string& s = text(i);
  if (s == "t" || s == "true" || s == "1") return true;
  if (!isNull(i) && !(s == "f" || s == "false" || s == "0")) markUndecodable(i);
  return false;
}

Timestamp Row::timestamp(std::size_t i) const { return optionalTimestamp(i).value_or(Timestamp{}); }

std::optional<Timestamp> Row::optionalTimestamp(std::size_t i) const {
  if (isNull(i)) return std::nullopt;
  // SQLite stores ISO text; PostgreSQL prints "2026-01-15 10:30:00.123456+00"
  auto t = parseIso(text(i));
  if (!t) markUndecodable(i);
  return t;
}

boost::json::value Row::json(std::size_t i) const {
  if (isNull(i)) return nullptr;
  // Stored documents were validated before they were written; a parse failure means the row
  // was edited behind our back.
  auto parsed = json::parseStrict(text(i));
  if (!parsed) {
    markUndecodable(i);
    return nullptr;
  }
  return std::move(*parsed);
}

namespace {
constexpr std::string_view kCorruptRowPrefix = "undecodable stored value: table=";
}  // namespace

Error RowDecoder::corruptRowError(std::string_view table, std::string_view id, std::string_view column) {
  return Error::dataLoss(std::string(kCorruptRowPrefix) + std::string(table) + " id=" + std::string(id) +
                         " column=" + std::string(column));
}

std::optional<std::string> RowDecoder::corruptTable(const Error& error) {
  const std::string_view detail = error.internal_detail;
  if (error.code != ErrorCode::kDataLoss || !detail.starts_with(kCorruptRowPrefix)) return std::nullopt;
  const std::string_view rest = detail.substr(kCorruptRowPrefix.size());
  return std::string(rest.substr(0, rest.find(' ')));
}

Status readable(const Row& row, const Sql& sql) {
  if (auto i = row.undecodableColumn()) return fail(RowDecoder::corruptRowError(sql.name, "?", "#" + std::to_string(*i)));
  return {};
}

namespace {
constexpr std::string_view kConstraintMessage = "The change conflicts with existing data";
}  // namespace

Error constraintViolation(std::string_view kind, std::string_view constraint) {
  return Error::conflict(std::string(kConstraintMessage))
      .withInternalDetail(std::string(kind) + ":" + std::string(constraint));
}

bool isConstraintViolation(const Error& e) {
  return e.code == ErrorCode::kFailedPrecondition && e.message == kConstraintMessage;
}

bool isUniqueViolation(const Error& e) { return isConstraintViolation(e) && e.internal_detail.starts_with("unique:"); }

}  // namespace fraudgov::store
