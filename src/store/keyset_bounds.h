#pragma once
// Where a keyset page starts, in the list's own typed sort key. The store turns this into bound
// parameters; it knows nothing of cursors, query parameters or page envelopes (service/paging.h).
// Lists are ordered newest first.

#include <cstdint>
#include <optional>
#include <string>

#include "common/time.h"

namespace fraudgov::store {

template <class Key>
struct KeysetBounds {
  std::optional<Key> after;  // exclusive start; nullopt: from the newest row
  bool backwards = false;    // with `after`: the rows newer than it, returned oldest first
  int limit = 50;            // rows wanted; the store returns up to limit + 1 to reveal a further page
};

// Sort key of lists ordered by (created_at DESC, id DESC).
struct TimeIdKey {
  Timestamp created_at;
  std::string id;
};

using TimeIdBounds = KeysetBounds<TimeIdKey>;
using SeqBounds = KeysetBounds<std::int64_t>;  // lists ordered by an append sequence (the audit log)

}  // namespace fraudgov::store
