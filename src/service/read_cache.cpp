#include "service/read_cache.h"

#include "common/base64.h"
#include "common/crypto.h"

namespace fraudgov::service {

namespace {

// A list node, an index node, the shared body's control block and the strings' own headers,
// roughly: what an entry costs beyond its key, body and tag.
constexpr std::size_t kEntryOverhead = 192;
// One entry may take at most this share of the budget, so one huge body cannot flush the rest.
constexpr std::size_t kMaxEntryShare = 4;

observability::CounterFamily& lookups(observability::Registry& metrics) {
  return metrics.counter("fraudgov_read_cache_lookups_total",
                         "Cacheable reads by outcome: hit, miss (rendered from the database), or bypass (the change "
                         "stamp is unknown, so nothing may be served from memory)",
                         {"result"});
}

}  // namespace

std::string strongEtag(std::string_view bytes) {
  return "\"" + base64::encodeUrl(crypto::sha256(bytes)).substr(0, 22) + "\"";
}

ReadKey::ReadKey(std::string_view kind) : text_(kind) {}

ReadKey& ReadKey::add(std::string_view value) {
  text_ += '|';
  text_ += std::to_string(value.size());
  text_ += ':';
  text_ += value;
  return *this;
}

ReadKey& ReadKey::add(const std::optional<std::string>& value) {
  if (!value) {
    text_ += "|-";
    return *this;
  }
  return add(std::string_view(*value));
}

ReadKey& ReadKey::add(std::int64_t value) { return add(std::string_view(std::to_string(value))); }

ReadCache::ReadCache(ReadCacheSettings settings, StampSource stamps, observability::Registry& metrics)
    : settings_(settings),
      stamps_(std::move(stamps)),
      hits_(lookups(metrics).labels({"hit"})),
      misses_(lookups(metrics).labels({"miss"})),
      bypasses_(lookups(metrics).labels({"bypass"})),
      evictions_(metrics
                     .counter("fraudgov_read_cache_evictions_total",
                              "Read cache entries dropped to stay within READ_CACHE_MAX_BYTES")
                     .get()),
      invalidations_(metrics
                         .counter("fraudgov_read_cache_invalidations_total",
                                  "Read cache entries dropped because the data may have changed (change stamp moved)")
                         .get()),
      bytes_gauge_(metrics.gauge("fraudgov_read_cache_bytes", "Memory held by the read cache, in bytes").get()),
      entries_gauge_(metrics.gauge("fraudgov_read_cache_entries", "Bodies held by the read cache").get()) {
  metrics.gauge("fraudgov_read_cache_max_bytes", "READ_CACHE_MAX_BYTES").get().set(static_cast<double>(settings.max_bytes));
}

Result<RenderedBodyPtr> ReadCache::get(const ReadKey& key, const Render& render) {
  auto fresh = [&]() -> Result<RenderedBodyPtr> {
    FRAUDGOV_ASSIGN_OR_RETURN(std::string bytes, render());
    std::string etag = strongEtag(bytes);
    return std::make_shared<const RenderedBody>(RenderedBody{std::move(bytes), std::move(etag)});
  };
  if (settings_.max_bytes == 0) return fresh();

  // First the stamp, then the data (header comment): the entry can only look older than it is.
  const std::optional<std::uint64_t> stamp = stamps_();
  if (!stamp) {
    bypasses_.inc();
    return fresh();
  }
  bool usable = false;
  {
    Lru dropped;  // destroyed after the lock is released
    std::lock_guard lock(mu_);
    usable = adoptLocked(*stamp, dropped);
    if (usable) {
      if (RenderedBodyPtr body = hitLocked(key.text())) return body;
    }
  }
  misses_.inc();
  FRAUDGOV_ASSIGN_OR_RETURN(RenderedBodyPtr body, fresh());
  if (usable) keep(key.text(), *stamp, body);
  return body;
}

RenderedBodyPtr ReadCache::find(const ReadKey& key) {
  if (settings_.max_bytes == 0) return nullptr;
  const std::optional<std::uint64_t> stamp = stamps_();
  if (!stamp) return nullptr;
  Lru dropped;  // destroyed after the lock is released
  std::lock_guard lock(mu_);
  if (!adoptLocked(*stamp, dropped)) return nullptr;
  return hitLocked(key.text());
}

RenderedBodyPtr ReadCache::hitLocked(const std::string& key) {
  const auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  hits_.inc();
  return it->second->body;
}

bool ReadCache::adoptLocked(std::uint64_t stamp, Lru& dropped) {
  if (stamp_ == stamp) return true;
  if (stamp_ && stamp < *stamp_) return false;
  // Stamps never come back: nothing kept under another one can be served again.
  invalidations_.inc(static_cast<double>(lru_.size()));
  index_.clear();
  dropped.swap(lru_);
  bytes_ = 0;
  stamp_ = stamp;
  publishSizeLocked();
  return true;
}

void ReadCache::keep(const std::string& key, std::uint64_t stamp, RenderedBodyPtr body) {
  const std::size_t size = kEntryOverhead + key.size() + body->bytes.size() + body->etag.size();
  if (size > settings_.max_bytes / kMaxEntryShare) return;
  Lru dropped;
  std::lock_guard lock(mu_);
  // The stamp moved while rendering: the body may predate that change, so it is not kept (the
  // caller still answers with it: it was read after its own stamp, like any uncached read).
  if (stamp_ != stamp) return;
  if (auto it = index_.find(key); it != index_.end()) {
    // Another request rendered the same key meanwhile; same stamp, so either body will do.
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Entry{key, std::move(body), size});
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += size;
  std::size_t evicted = 0;
  while (bytes_ > settings_.max_bytes) {
    auto last = std::prev(lru_.end());
    bytes_ -= last->size;
    index_.erase(last->key);
    dropped.splice(dropped.end(), lru_, last);
    ++evicted;
  }
  if (evicted) evictions_.inc(static_cast<double>(evicted));
  publishSizeLocked();
}

void ReadCache::publishSizeLocked() {
  bytes_gauge_.set(static_cast<double>(bytes_));
  entries_gauge_.set(static_cast<double>(lru_.size()));
}

std::size_t ReadCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t ReadCache::entries() const {
  std::lock_guard lock(mu_);
  return lru_.size();
}

}  // namespace fraudgov::service
