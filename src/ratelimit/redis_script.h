#pragma once
// The token bucket as one Lua script, so read-refill-charge-write is atomic across every
// instance sharing the Redis. It uses the Redis server's clock (TIME), so instances with
// skewed clocks still agree. Same arithmetic as TokenBucket.
//
// KEYS[1] bucket key; ARGV[1] quota; ARGV[2] window in ms; ARGV[3] cost (1 = charge, 0 = look).
// Stored as a hash {u: units, t: last update in ms}, expiring once the bucket would be full
// again (an expired bucket and a full one are the same thing).
// Returns {allowed (0/1), units left in thousandths}.

#include <string_view>

namespace fraudgov::ratelimit {

inline constexpr std::string_view kTokenBucketScript = R"lua(
local quota = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local rate = quota / window_ms
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local units = quota
local updated = now
local stored = redis.call('HMGET', KEYS[1], 'u', 't')
if stored[1] and stored[2] then
  units = math.min(quota, tonumber(stored[1]))
  updated = tonumber(stored[2])
  if now > updated then
    units = math.min(quota, units + (now - updated) * rate)
    updated = now
  end
end
local allowed = 0
if units + 1e-9 >= 1 then
  allowed = 1
  if cost > 0 then
    units = math.max(0, units - cost)
    redis.call('HSET', KEYS[1], 'u', string.format('%.17g', units), 't', string.format('%d', updated))
    redis.call('PEXPIRE', KEYS[1], math.ceil((quota - units) / rate) + 1000)
  end
end
return {allowed, math.floor(units * 1000 + 1e-6)}
)lua";

}  // namespace fraudgov::ratelimit
