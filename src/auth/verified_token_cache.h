#pragma once
// Principals of tokens verified a moment ago. A client sends the same bearer token on every
// request; checking its signature each time costs 25–80 µs (RS256/ES256), looking it up here
// about 1 µs (one SHA-256 of the token). Entries live until the token expires or max_age has
// passed, whichever comes first — so a key withdrawn from the JWKS stops authenticating within
// max_age. Only fully verified tokens are ever stored; a miss falls back to full verification.

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/principal.h"
#include "common/time.h"

namespace fraudgov::auth {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity = 4096, std::chrono::seconds max_age = std::chrono::seconds(60));

  std::optional<Principal> find(std::string_view token, Timestamp now) const;
  // valid_until: the latest instant the verifier would still accept the token (exp + leeway).
  void remember(std::string_view token, const Principal& principal, Timestamp valid_until, Timestamp now);
  std::size_t size() const;

 private:
  struct Entry {
    Principal principal;
    Timestamp valid_until;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
  };
  static constexpr std::size_t kShards = 16;

  Shard& shardFor(const std::string& digest) const;

  const std::size_t per_shard_capacity_;
  const std::int64_t max_age_micros_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace fraudgov::auth
