#pragma once
// The identity provider's signing keys, kept fresh by a background thread so that request threads
// only ever copy a pointer (SPEC §6.2). Refreshes before expiry, retries with backoff behind a
// circuit breaker, serves the last good keys while the provider is down (up to max_stale), and
// refreshes once on an unknown kid, single-flight and rate-limited by a cooldown.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "auth/auth_settings.h"
#include "auth/circuit_breaker.h"
#include "auth/jwk.h"
#include "auth/key_lookup.h"
#include "common/clock.h"
#include "common/time.h"
#include "net/http_client.h"

namespace fraudgov::auth {

struct JwksCacheOptions {
  const Clock* clock = &systemClock();  // every decision reads it; must outlive the cache
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
  // The worker re-reads `clock` at least this often while idle; only matters for fake clocks.
  std::chrono::milliseconds max_idle_wait{std::chrono::hours(1)};
  // Receives one line per notable event (fetch failures, key rotation); never secrets or tokens.
  // Called from the worker thread without internal locks held.
  std::function<void(std::string_view)> log;
};

class JwksCache {
 public:
  using Options = JwksCacheOptions;

  struct Status {
    std::size_t key_count = 0;  // keys that would be served right now
    bool stale = false;         // serving keys older than jwks_ttl because refreshes fail
    std::string breaker_state;  // "closed", "open", "half_open"
    std::optional<Timestamp> last_success;
    std::uint64_t fetch_success_total = 0;
    std::uint64_t fetch_failure_total = 0;
    std::uint64_t unknown_kid_refresh_total = 0;
  };

  JwksCache(AuthSettings settings, std::shared_ptr<net::HttpClient> http, Options options = {});
  ~JwksCache();  // stops the worker
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // Starts the background worker, which fetches immediately. Idempotent.
  void start();
  // Stops and joins the worker; waits at most for one in-flight fetch (fetch_timeout). Idempotent.
  void stop();

  // Never touches the network. Only an unknown kid may wait (up to unknown_kid_wait) for a
  // refresh that the background worker performs.
  KeyLookup find(std::string_view kid);
  // The cached keys only: an unknown kid is kUnknownKid at once, with no refresh and no wait.
  KeyLookup findCached(std::string_view kid);
  KeyLookupFn lookupFn() {
    return [this](std::string_view kid) { return find(kid); };
  }

  // Ask the worker for a refresh soon (e.g. on SIGHUP); the breaker still applies. Non-blocking.
  void requestRefresh();
  // Blocks until the first fetch attempt has finished; returns whether keys are available.
  bool waitForFirstAttempt(std::chrono::milliseconds timeout);

  Status status() const;
  // Seconds a client should wait before retrying when we have no keys (Retry-After), >= 1.
  int retryAfterSeconds() const;

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  void run();
  void attemptLocked(std::unique_lock<std::mutex>& lock);
  Result<std::shared_ptr<const KeySet>> fetch();
  // Both return a log line (possibly empty) for the caller to emit once the lock is released.
  std::string recordSuccessLocked(std::shared_ptr<const KeySet> keys, TimePoint now);
  std::string recordFailureLocked(const Error& error, TimePoint now);
  std::shared_ptr<const KeySet> servableLocked(TimePoint now) const;
  KeyLookup awaitUnknownKid(std::string_view kid);
  std::chrono::milliseconds backoff() const;
  void log(std::string_view line) const;
  TimePoint now() const { return clock_.monotonic(); }

  const AuthSettings settings_;
  const std::shared_ptr<net::HttpClient> http_;
  const Options options_;
  const Clock& clock_;
  CircuitBreaker breaker_;

  std::mutex lifecycle_mu_;  // serializes start/stop
  mutable std::mutex mu_;
  std::condition_variable wake_worker_;
  std::condition_variable attempt_done_;
  std::shared_ptr<const KeySet> keys_;
  std::optional<TimePoint> last_success_;
  std::optional<Timestamp> last_success_wall_;
  std::optional<TimePoint> last_attempt_;
  TimePoint next_due_{};
  unsigned consecutive_failures_ = 0;
  bool refresh_requested_ = false;
  bool unknown_kid_flight_ = false;  // an unknown-kid refresh is requested or running
  std::uint64_t attempts_completed_ = 0;
  bool running_ = false;
  bool stopping_ = false;
  std::uint64_t success_total_ = 0;
  std::uint64_t failure_total_ = 0;
  std::uint64_t unknown_kid_refresh_total_ = 0;
  std::thread worker_;
};

}  // namespace fraudgov::auth
