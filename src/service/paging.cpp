#include "service/paging.h"

#include "common/canonical_json.h"

namespace fraudgov::service {

boost::json::array cursorKey(const store::TimeIdKey& key) {
  return boost::json::array{formatIsoFixed(key.created_at), key.id};
}

boost::json::array cursorKey(std::int64_t seq) { return boost::json::array{seq}; }

Status keyFromCursor(const boost::json::array& keys, store::TimeIdKey& out) {
  if (keys.size() != 2 || !keys[0].is_string() || !keys[1].is_string()) return fail(invalidCursor());
  auto t = parseIso(keys[0].as_string());
  if (!t) return fail(invalidCursor());
  out = {*t, std::string(keys[1].as_string())};
  return {};
}

Status keyFromCursor(const boost::json::array& keys, std::int64_t& out) {
  if (keys.size() != 1 || !keys[0].is_int64()) return fail(invalidCursor());
  out = keys[0].as_int64();
  return {};
}

boost::json::object givenFilters(std::initializer_list<ListFilter> filters) {
  boost::json::object given;
  for (const auto& [name, value] : filters) {
    if (value) given[name] = *value;
  }
  return given;
}

std::string Paginator::scopeOf(std::string_view list, const boost::json::object& filters) {
  return std::string(list) + "|" + json::canonicalize(filters);
}

}  // namespace fraudgov::service
