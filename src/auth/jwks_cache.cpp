#include "auth/jwks_cache.h"

#include <fmt/format.h>

#include <algorithm>

namespace fraudgov::auth {

namespace {

constexpr std::size_t kMaxJwksBytes = 1024 * 1024;
constexpr std::chrono::seconds kMinRefreshInterval{1};
constexpr std::chrono::milliseconds kMinOpenRecheck{10};
constexpr int kMaxRetryAfterSeconds = 60;

using Duration = std::chrono::steady_clock::duration;

}  // namespace

JwksCache::JwksCache(AuthSettings settings, std::shared_ptr<net::HttpClient> http, Options options)
    : settings_(std::move(settings)),
      http_(std::move(http)),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : systemClock()),
      breaker_(settings_.breaker_failure_threshold, settings_.breaker_open_for, clock_) {}

JwksCache::~JwksCache() { stop(); }

void JwksCache::start() {
  std::lock_guard lifecycle(lifecycle_mu_);
  std::lock_guard lock(mu_);
  if (running_ || stopping_) return;
  running_ = true;
  next_due_ = now();
  worker_ = std::thread([this] { run(); });
}

void JwksCache::stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_worker_.notify_all();
  attempt_done_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void JwksCache::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto t = now();
    if (!refresh_requested_ && t < next_due_) {
      wake_worker_.wait_for(lock, std::min<Duration>(next_due_ - t, options_.max_idle_wait));
      continue;
    }
    attemptLocked(lock);
  }
  running_ = false;
  unknown_kid_flight_ = false;
  attempt_done_.notify_all();
}

void JwksCache::attemptLocked(std::unique_lock<std::mutex>& lock) {
  const bool for_unknown_kid = unknown_kid_flight_;
  refresh_requested_ = false;
  const auto started = now();
  if (!breaker_.allowRequest()) {
    // Open breaker: nobody talks to the provider, not even unknown-kid lookups; they get their
    // answer now instead of waiting for a fetch that will not happen.
    next_due_ = started + std::max<Duration>(breaker_.remainingOpen(), kMinOpenRecheck);
  } else {
    last_attempt_ = started;
    lock.unlock();
    auto fetched = fetch();  // the only network call, made without holding the lock
    lock.lock();
    std::string event;
    if (fetched) {
      breaker_.recordSuccess();
      event = recordSuccessLocked(std::move(*fetched), now());
    } else {
      breaker_.recordFailure();
      event = recordFailureLocked(fetched.error(), now());
    }
    if (!event.empty()) {
      // The log sink may be slow or call back into status(); never run it under the lock.
      lock.unlock();
      log(event);
      lock.lock();
    }
  }
  ++attempts_completed_;
  if (for_unknown_kid) unknown_kid_flight_ = false;
  attempt_done_.notify_all();
}

Result<std::shared_ptr<const KeySet>> JwksCache::fetch() {
  if (!http_) return fail(Error::unavailable("JWKS fetch impossible: no HTTP client"));
  net::OutboundRequest request;
  request.url = settings_.jwks_url;
  request.headers.emplace_back("Accept", "application/json");
  request.timeout = settings_.fetch_timeout;
  request.max_response_bytes = kMaxJwksBytes;
  auto response = http_->send(request);
  if (!response) return fail(response.error());
  if (response->status < 200 || response->status > 299) {
    return fail(Error::unavailable(fmt::format("JWKS endpoint answered HTTP {}", response->status)));
  }
  auto set = parseJwks(response->body);
  if (!set) return fail(Error::unavailable("JWKS document is malformed: " + set.error().message));
  for (const auto& reason : set->skipped) log("JWKS key skipped: " + reason);
  if (set->keys.empty()) return fail(Error::unavailable("JWKS document has no usable signing keys"));
  return std::make_shared<const KeySet>(std::move(*set));
}

std::string JwksCache::recordSuccessLocked(std::shared_ptr<const KeySet> keys, TimePoint t) {
  std::string event;
  if (!keys_ || keys_->keys.size() != keys->keys.size() ||
      !std::all_of(keys->keys.begin(), keys->keys.end(), [this](const auto& kv) { return keys_->find(kv.first); })) {
    event = fmt::format("JWKS loaded: {} signing keys", keys->keys.size());
  }
  keys_ = std::move(keys);
  last_success_ = t;
  last_success_wall_ = clock_.now();
  consecutive_failures_ = 0;
  ++success_total_;
  next_due_ = t + std::max<Duration>(settings_.jwks_ttl * 4 / 5, kMinRefreshInterval);
  return event;
}

std::string JwksCache::recordFailureLocked(const Error& error, TimePoint t) {
  ++consecutive_failures_;
  ++failure_total_;
  next_due_ = t + std::max<Duration>(backoff(), breaker_.remainingOpen());
  return fmt::format("JWKS fetch failed ({} in a row, breaker {}): {}", consecutive_failures_,
                     CircuitBreaker::stateName(breaker_.state()), error.message);
}

std::chrono::milliseconds JwksCache::backoff() const {
  auto delay = options_.initial_backoff;
  for (unsigned i = 1; i < consecutive_failures_ && delay < options_.max_backoff; ++i) delay *= 2;
  return std::min(delay, options_.max_backoff);
}

std::shared_ptr<const KeySet> JwksCache::servableLocked(TimePoint t) const {
  if (!keys_ || !last_success_ || t - *last_success_ > settings_.max_stale) return nullptr;
  return keys_;
}

KeyLookup JwksCache::find(std::string_view kid) {
  std::shared_ptr<const KeySet> keys;
  {
    std::lock_guard lock(mu_);
    keys = servableLocked(now());
  }
  if (!keys) return {KeyLookupOutcome::kNoKeys, nullptr};
  if (auto key = keys->find(kid)) return {KeyLookupOutcome::kFound, std::move(key)};
  return awaitUnknownKid(kid);
}

KeyLookup JwksCache::findCached(std::string_view kid) {
  std::shared_ptr<const KeySet> keys;
  {
    std::lock_guard lock(mu_);
    keys = servableLocked(now());
  }
  if (!keys) return {KeyLookupOutcome::kNoKeys, nullptr};
  if (auto key = keys->find(kid)) return {KeyLookupOutcome::kFound, std::move(key)};
  return {KeyLookupOutcome::kUnknownKid, nullptr};
}

KeyLookup JwksCache::awaitUnknownKid(std::string_view kid) {
  std::unique_lock lock(mu_);
  if (!unknown_kid_flight_) {
    // Within the cooldown a forged kid costs us nothing: no fetch, no wait.
    const bool cooling = last_attempt_ && now() - *last_attempt_ < settings_.unknown_kid_cooldown;
    if (cooling || !running_ || stopping_) return {KeyLookupOutcome::kUnknownKid, nullptr};
    unknown_kid_flight_ = true;
    refresh_requested_ = true;
    ++unknown_kid_refresh_total_;
    wake_worker_.notify_one();
  }
  auto known = [&] {
    auto keys = servableLocked(now());
    return keys && keys->find(kid);
  };
  attempt_done_.wait_for(lock, settings_.unknown_kid_wait,
                         [&] { return stopping_ || !unknown_kid_flight_ || known(); });
  auto keys = servableLocked(now());
  if (!keys) return {KeyLookupOutcome::kNoKeys, nullptr};
  if (auto key = keys->find(kid)) return {KeyLookupOutcome::kFound, std::move(key)};
  return {KeyLookupOutcome::kUnknownKid, nullptr};
}

void JwksCache::requestRefresh() {
  {
    std::lock_guard lock(mu_);
    refresh_requested_ = true;
  }
  wake_worker_.notify_one();
}

bool JwksCache::waitForFirstAttempt(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  attempt_done_.wait_for(lock, timeout, [this] { return attempts_completed_ > 0 || stopping_; });
  return servableLocked(now()) != nullptr;
}

JwksCache::Status JwksCache::status() const {
  std::lock_guard lock(mu_);
  const auto t = now();
  const auto keys = servableLocked(t);
  Status s;
  s.key_count = keys ? keys->keys.size() : 0;
  s.stale = keys && t - *last_success_ > settings_.jwks_ttl;
  s.breaker_state = std::string(CircuitBreaker::stateName(breaker_.state()));
  s.last_success = last_success_wall_;
  s.fetch_success_total = success_total_;
  s.fetch_failure_total = failure_total_;
  s.unknown_kid_refresh_total = unknown_kid_refresh_total_;
  return s;
}

int JwksCache::retryAfterSeconds() const {
  std::lock_guard lock(mu_);
  const auto wait = next_due_ - now();
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  return static_cast<int>(std::clamp<std::int64_t>(seconds, 1, kMaxRetryAfterSeconds));
}

void JwksCache::log(std::string_view line) const {
  if (options_.log) options_.log(line);
}

}  // namespace fraudgov::auth
