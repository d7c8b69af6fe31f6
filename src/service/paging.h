#pragma once
// Keyset pagination, once for every list: turning the client's cursor into typed store bounds and
// the rows the store returned into the predecessor's page envelope (both directions). Lists are
// ordered newest first; a cursor holds the sort key of the row at a page edge.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "service/cursor_codec.h"
#include "store/keyset_bounds.h"

namespace fraudgov::service {

enum class Direction { kNext, kPrev };

// What a client asked for: the opaque cursor of a previous page (empty: the first page).
struct PageQuery {
  std::string cursor;
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

// The cursor form of each typed sort key, and back (a key of the wrong shape is a bad cursor).
boost::json::array cursorKey(const store::TimeIdKey& key);
boost::json::array cursorKey(std::int64_t seq);
Status keyFromCursor(const boost::json::array& keys, store::TimeIdKey& out);
Status keyFromCursor(const boost::json::array& keys, std::int64_t& out);

// A list's filter as it scopes cursors: only the filters given count, by name.
struct ListFilter {
  std::string_view name;
  const std::optional<std::string>& value;
};
boost::json::object givenFilters(std::initializer_list<ListFilter> filters);

class Paginator {
 public:
  explicit Paginator(const CursorCodec& codec) : codec_(codec) {}

  // Runs fetch(bounds) -> Result<std::vector<T>> for the page `query` names and assembles it.
  // `list` and `filters` scope the cursors: a cursor from another list or filter set is refused.
  // keyOf(row) -> Key gives the sort key of a row.
  template <class Key, class Fetch, class KeyOf>
  auto page(std::string_view list, const boost::json::object& filters, const PageQuery& query, Fetch&& fetch,
            KeyOf&& keyOf) const -> Result<Page<typename std::decay_t<decltype(*fetch(store::KeysetBounds<Key>{}))>::value_type>> {
    using T = typename std::decay_t<decltype(*fetch(store::KeysetBounds<Key>{}))>::value_type;
    const std::string scope = scopeOf(list, filters);
    store::KeysetBounds<Key> bounds;
    bounds.limit = query.limit;
    if (!query.cursor.empty()) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto keys, codec_.decode(scope, query.cursor));
      Key key{};
      FRAUDGOV_RETURN_IF_ERROR(keyFromCursor(keys, key));
      bounds.after = std::move(key);
      bounds.backwards = query.direction == Direction::kPrev;
    }
    FRAUDGOV_ASSIGN_OR_RETURN(std::vector<T> rows, fetch(bounds));
    return assemble(std::move(rows), bounds, keyOf, scope);
  }

 private:
  static std::string scopeOf(std::string_view list, const boost::json::object& filters);

  template <class T, class Key, class KeyOf>
  Page<T> assemble(std::vector<T> rows, const store::KeysetBounds<Key>& bounds, KeyOf& keyOf,
                   const std::string& scope) const {
    Page<T> page;
    page.limit = bounds.limit;
    const bool has_more = rows.size() > static_cast<std::size_t>(bounds.limit);
    if (has_more) rows.resize(static_cast<std::size_t>(bounds.limit));
    if (rows.empty()) return page;
    if (bounds.backwards) {
      std::reverse(rows.begin(), rows.end());
      page.has_prev = has_more;
      page.has_next = true;  // we came from the page after this one
    } else {
      page.has_next = has_more;
      page.has_prev = bounds.after.has_value();
    }
    if (page.has_next) page.next_cursor = codec_.encode(scope, cursorKey(keyOf(rows.back())));
    if (page.has_prev) page.prev_cursor = codec_.encode(scope, cursorKey(keyOf(rows.front())));
    page.items = std::move(rows);
    return page;
  }

  const CursorCodec& codec_;
};

}  // namespace fraudgov::service
