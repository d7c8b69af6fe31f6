#include "ratelimit/recent_keys.h"

#include <algorithm>

namespace fraudgov::ratelimit {

RecentKeys::RecentKeys(std::size_t capacity, std::chrono::seconds ttl, const Clock& clock)
    : capacity_(std::max<std::size_t>(1, capacity)), ttl_(ttl), clock_(clock) {}

void RecentKeys::remember(const std::string& key) {
  const SteadyTime t = now();
  std::lock_guard lock(mu_);
  auto it = expiry_.find(key);
  if (it != expiry_.end() && it->second > t) return;
  const SteadyTime until = t + ttl_;
  if (it != expiry_.end())
    it->second = until;
  else
    expiry_.emplace(key, until);
  order_.emplace_back(key, until);
  // Oldest first: expired entries, and beyond the capacity live ones too. A queue entry whose
  // key was re-remembered later (different expiry) is stale and only leaves the queue.
  while (!order_.empty() &&
         (expiry_.size() > capacity_ || order_.front().second <= t || order_.size() > 2 * capacity_)) {
    auto& [old_key, old_until] = order_.front();
    if (auto found = expiry_.find(old_key); found != expiry_.end() && found->second == old_until) {
      expiry_.erase(found);
    }
    order_.pop_front();
  }
}

bool RecentKeys::contains(const std::string& key) const {
  const SteadyTime t = now();
  std::lock_guard lock(mu_);
  auto it = expiry_.find(key);
  return it != expiry_.end() && it->second > t;
}

std::size_t RecentKeys::size() const {
  std::lock_guard lock(mu_);
  return expiry_.size();
}

}  // namespace fraudgov::ratelimit
