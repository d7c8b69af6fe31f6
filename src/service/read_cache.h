#pragma once
// The read model (issue 9): rendered response bodies of the governance reads (the catalog, rules
// and their versions, rulesets and theirs, the published field registry) kept in memory and
// reused for as long as the database's change stamp (store/database.h) says nothing changed.
// One cache for every kind of read; callers name what they read with a ReadKey built from the
// normalized request (route plus validated parameters, never the raw target) and supply how to
// render it. Append-only histories (the audit log) are not read through here: they are paged
// from the database.
//
// Why an entry is never wrongly fresh. get() reads the stamp S BEFORE render() runs, and
// render() takes everything it returns from ONE snapshot (one statement, or one read
// transaction: inStatement/inRead), which therefore begins after S was read. A commit missing
// from that snapshot committed after the snapshot began, hence after S was read; the stamp moves
// once such a commit is known (at once for this process's own writes, on NOTIFY / data_version
// for anyone else's), so the entry tagged S stops being served exactly when its data becomes
// stale for this instance. The other order (render, then read the stamp) would be wrong: a
// commit landing between the snapshot and the stamp read would tag old bytes with the new stamp,
// and they would be served until the next change. Reading the stamp first can only make an entry
// look older than its bytes are (a commit between stamp read and snapshot is in the bytes), which
// costs one needless miss. And because a page is one render() from one snapshot, no list page
// ever mixes two states. While the stamp is unknown (nullopt: the notification channel is down)
// nothing is served from or stored in the cache, and every entry made before is unusable
// afterwards, because the stamp moves whenever the channel is lost or regained.
//
// Authorization is the caller's: get() must only be called after the request's guard passed,
// and only for bodies that do not depend on who asks. The cache holds bodies, not responses, so
// security headers, rate limiting and authentication still run for every request.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/error.h"
#include "observability/metrics.h"

namespace fraudgov::service {

struct ReadCacheSettings {
  // READ_CACHE_MAX_BYTES: the memory the kept bodies (with keys and bookkeeping) may take. 0
  // disables keeping anything; bodies still get their entity tags.
  std::size_t max_bytes = std::size_t{32} << 20;
};

// A rendered body as the cache hands it out: immutable, shared by every request that reads it.
struct RenderedBody {
  std::string bytes;
  std::string etag;  // strongEtag(bytes)
};
using RenderedBodyPtr = std::shared_ptr<const RenderedBody>;

// A strong entity tag derived from the bytes alone: "\"" + base64url(sha256(bytes))[:22] + "\""
// (132 bits). Identical bytes get identical tags on every instance; different bytes, different tags.
std::string strongEtag(std::string_view bytes);

// What is read: the kind (e.g. "rules") and its normalized parameters, each length-prefixed so
// no two different parameter lists share a key; an absent value differs from an empty one.
class ReadKey {
 public:
  explicit ReadKey(std::string_view kind);
  ReadKey& add(std::string_view value);
  ReadKey& add(const std::string& value) { return add(std::string_view(value)); }
  ReadKey& add(const char* value) { return add(std::string_view(value)); }
  ReadKey& add(const std::optional<std::string>& value);
  ReadKey& add(std::int64_t value);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class ReadCache {
 public:
  // Usually Database::changeStamp. Stamps of both backends only ever grow; correctness needs only
  // that a stamp never comes back (an entry is served only under the stamp it was made under).
  using StampSource = std::function<std::optional<std::uint64_t>()>;
  // Renders the body from ONE database snapshot (see above); errors are passed on, never kept.
  using Render = std::function<Result<std::string>()>;

  // metrics: the runtime's registry (fraudgov_read_cache_*).
  ReadCache(ReadCacheSettings settings, StampSource stamps, observability::Registry& metrics);
  ReadCache(const ReadCache&) = delete;
  ReadCache& operator=(const ReadCache&) = delete;

  // The body for `key`: the one kept under the current stamp, or render()'s (then kept).
  Result<RenderedBodyPtr> get(const ReadKey& key, const Render& render);
  // The body kept for `key` under the current stamp, or nullptr; never renders, so never waits
  // for the database. A caller that gets nullptr goes on to get() where waiting is allowed
  // (which counts the miss).
  RenderedBodyPtr find(const ReadKey& key);

  std::size_t bytes() const;
  std::size_t entries() const;
  const ReadCacheSettings& settings() const { return settings_; }

 private:
  struct Entry {
    std::string key;
    RenderedBodyPtr body;
    std::size_t size = 0;
  };
  using Lru = std::list<Entry>;  // most recently used first

  // Under mu_: moves to `stamp` (dropping every entry) when it is newer than the current one.
  // False when entries of `stamp` may not be used (an older stamp: a reader that raced a change).
  bool adoptLocked(std::uint64_t stamp, Lru& dropped);
  // Under mu_: the entry for `key` (counted as a hit, moved to the front), or nullptr.
  RenderedBodyPtr hitLocked(const std::string& key);
  void keep(const std::string& key, std::uint64_t stamp, RenderedBodyPtr body);
  void publishSizeLocked();

  const ReadCacheSettings settings_;
  const StampSource stamps_;
  observability::Counter& hits_;
  observability::Counter& misses_;
  observability::Counter& bypasses_;
  observability::Counter& evictions_;
  observability::Counter& invalidations_;
  observability::Gauge& bytes_gauge_;
  observability::Gauge& entries_gauge_;

  mutable std::mutex mu_;
  std::optional<std::uint64_t> stamp_;  // what every kept entry was rendered under
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Entry::key
  std::size_t bytes_ = 0;
};

}  // namespace fraudgov::service
