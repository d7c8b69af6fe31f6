#include "auth/verified_token_cache.h"

#include <algorithm>

#include "common/crypto.h"

namespace fraudgov::auth {

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity, std::chrono::seconds max_age)
    : per_shard_capacity_(std::max<std::size_t>(1, capacity / kShards)),
      max_age_micros_(std::chrono::duration_cast<std::chrono::microseconds>(max_age).count()) {}

VerifiedTokenCache::Shard& VerifiedTokenCache::shardFor(const std::string& digest) const {
  return shards_[static_cast<unsigned char>(digest[0]) % kShards];
}

std::optional<Principal> VerifiedTokenCache::find(std::string_view token, Timestamp now) const {
  const std::string digest = crypto::sha256(token);
  Shard& shard = shardFor(digest);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(digest);
  if (it == shard.entries.end()) return std::nullopt;
  if (now > it->second.valid_until) {
    shard.entries.erase(it);
    return std::nullopt;
  }
  return it->second.principal;
}

void VerifiedTokenCache::remember(std::string_view token, const Principal& principal, Timestamp valid_until,
                                  Timestamp now) {
  const Timestamp until{std::min(valid_until.micros, now.micros + max_age_micros_)};
  if (until <= now) return;
  const std::string digest = crypto::sha256(token);
  Shard& shard = shardFor(digest);
  std::lock_guard lock(shard.mu);
  if (shard.entries.size() >= per_shard_capacity_) {
    // Drop what has expired; if the shard is still full, an arbitrary entry (bounded memory
    // matters more than keeping any particular token warm).
    std::erase_if(shard.entries, [&](const auto& kv) { return kv.second.valid_until < now; });
    if (shard.entries.size() >= per_shard_capacity_) shard.entries.erase(shard.entries.begin());
  }
  shard.entries.insert_or_assign(digest, Entry{principal, until});
}

std::size_t VerifiedTokenCache::size() const {
  std::size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace fraudgov::auth
