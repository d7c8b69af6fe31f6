#pragma once
// Keyset pagination shared by every list: opaque HMAC-protected cursors and the page assembly
// rules (both directions). Lists order newest first; a cursor holds the sort key of a row and
// is bound to the list and filters it came from, so a forged, edited or foreign cursor is a 400.

#include <algorithm>
#include <boost/json/array.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace fraudgov::store {

enum class Direction { kNext, kPrev };

struct PageRequest {
  std::optional<boost::json::array> cursor_keys;  // decoded sort key; nullopt = first page
  Direction direction = Direction::kNext;
  int limit = 50;
};

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
  std::optional<std::string> prev_cursor;
  bool has_next = false;
  bool has_prev = false;
  int limit = 0;
};

class CursorCodec {
 public:
  explicit CursorCodec(std::string hmac_key) : key_(std::move(hmac_key)) {}
  // scope names the list and its filters, e.g. "audit-log|entity_type=RULE".
  std::string encode(std::string_view scope, const boost::json::array& keys) const;
  Result<boost::json::array> decode(std::string_view scope, std::string_view token) const;

 private:
  std::string key_;
};

// rows: what the query returned for `request` — up to limit + 1 rows, newest first for kNext
// and oldest first (ascending) for kPrev. keyOf(row) -> boost::json::array.
template <class T, class KeyOf>
Page<T> assemblePage(std::vector<T> rows, const PageRequest& request, KeyOf keyOf, const CursorCodec& codec,
                     std::string_view scope) {
  Page<T> page;
  page.limit = request.limit;
  const bool has_more = rows.size() > static_cast<std::size_t>(request.limit);
  if (has_more) rows.resize(static_cast<std::size_t>(request.limit));
  if (rows.empty()) return page;
  const bool backwards = request.cursor_keys && request.direction == Direction::kPrev;
  if (backwards) {
    std::reverse(rows.begin(), rows.end());
    page.has_prev = has_more;
    page.has_next = true;  // we came from the page after this one
  } else {
    page.has_next = has_more;
    page.has_prev = request.cursor_keys.has_value();
  }
  if (page.has_next) page.next_cursor = codec.encode(scope, keyOf(rows.back()));
  if (page.has_prev) page.prev_cursor = codec.encode(scope, keyOf(rows.front()));
  page.items = std::move(rows);
  return page;
}

}  // namespace fraudgov::store
