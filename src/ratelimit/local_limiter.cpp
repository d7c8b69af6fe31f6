#include "ratelimit/local_limiter.h"

#include <algorithm>

namespace fraudgov::ratelimit {

namespace {
// How many least-recently-used buckets an insertion inspects for reclaiming: a couple on every
// insertion keeps idle buckets from piling up, more when the shard is at its cap.
constexpr std::size_t kReclaimScan = 2;
constexpr std::size_t kReclaimScanWhenFull = 16;

std::string compositeKey(const Policy& policy, std::string_view key) {
  std::string out;
  out.reserve(policy.name.size() + 1 + key.size());
  out.append(policy.name).push_back('\0');
  out.append(key);
  return out;
}
}  // namespace

struct LocalLimiter::Shard {
  struct Entry;
  using Node = std::pair<const std::string, Entry>;  // the map's element; its address is stable
  using Recency = std::list<Node*>;                  // front: most recently charged
  struct Entry {
    TokenBucket bucket;
    Policy shape;  // quota and window the bucket was last charged with (name left empty)
    Recency::iterator recency;
  };

  std::mutex mu;
  std::unordered_map<std::string, Entry> buckets;
  Recency recency;

  Recency::iterator erase(Recency::iterator pos) {
    auto entry = buckets.find((*pos)->first);
    auto next = recency.erase(pos);
    buckets.erase(entry);
    return next;
  }

  // Drops buckets that have refilled completely (they carry no state), oldest first; then, if
  // the shard is still at its cap, evicts the least recently used one. Returns evictions.
  std::uint64_t makeRoom(std::size_t cap, SteadyTime now) {
    const std::size_t scan = buckets.size() + 1 >= cap ? kReclaimScanWhenFull : kReclaimScan;
    auto pos = recency.end();
    for (std::size_t i = 0; i < scan && pos != recency.begin(); ++i) {
      --pos;
      const Entry& entry = (*pos)->second;
      if (entry.bucket.isFull(entry.shape, now)) pos = erase(pos);
    }
    std::uint64_t evicted = 0;
    while (!recency.empty() && buckets.size() >= cap) {
      erase(std::prev(recency.end()));
      ++evicted;
    }
    return evicted;
  }
};

LocalLimiter::LocalLimiter(Options options)
    : per_shard_cap_(std::max<std::size_t>(1, options.max_buckets / std::max<std::size_t>(1, options.shards))),
      clock_(options.clock ? *options.clock : systemClock()) {
  const std::size_t n = std::max<std::size_t>(1, options.shards);
  shards_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) shards_.push_back(std::make_unique<Shard>());
}

LocalLimiter::~LocalLimiter() = default;

LocalLimiter::Shard& LocalLimiter::shardFor(const std::string& composite_key) {
  return *shards_[std::hash<std::string>{}(composite_key) % shards_.size()];
}

Decision LocalLimiter::consume(const Policy& policy, std::string_view key) {
  std::string composite = compositeKey(policy, key);
  Shard& shard = shardFor(composite);
  const SteadyTime t = now();
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(composite);
  if (it == shard.buckets.end()) {
    if (const auto evicted = shard.makeRoom(per_shard_cap_, t)) {
      evictions_.fetch_add(evicted, std::memory_order_relaxed);
    }
    Policy shape{{}, policy.quota, policy.window};
    it = shard.buckets.emplace(std::move(composite), Shard::Entry{TokenBucket(policy, t), shape, {}}).first;
    shard.recency.push_front(&*it);
    it->second.recency = shard.recency.begin();
  } else {
    shard.recency.splice(shard.recency.begin(), shard.recency, it->second.recency);
    it->second.shape.quota = policy.quota;
    it->second.shape.window = policy.window;
  }
  return it->second.bucket.take(policy, t);
}

Decision LocalLimiter::peek(const Policy& policy, std::string_view key) {
  const std::string composite = compositeKey(policy, key);
  Shard& shard = shardFor(composite);
  const SteadyTime t = now();
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(composite);
  if (it == shard.buckets.end()) return decisionFor(policy, policy.quota >= 1, static_cast<double>(policy.quota));
  return it->second.bucket.peek(policy, t);
}

std::size_t LocalLimiter::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    total += shard->buckets.size();
  }
  return total;
}

LimiterStats LocalLimiter::stats() const {
  LimiterStats s;
  s.local_buckets = size();
  s.local_evictions = evictions();
  return s;
}

}  // namespace fraudgov::ratelimit
