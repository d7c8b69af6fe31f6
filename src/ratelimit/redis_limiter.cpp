#include "ratelimit/redis_limiter.h"

#include <algorithm>

#include "common/crypto.h"
#include "ratelimit/redis_script.h"

namespace fraudgov::ratelimit {

namespace {
// Waiting for a pooled connection longer than a command may take means every connection is
// busy; that is load on this instance, not a Redis failure, so it only decides locally.
Error poolExhausted() { return Error::deadlineExceeded("redis: no free connection"); }
}  // namespace

RedisLimiter::RedisLimiter(Options options)
    : options_(std::move(options)),
      script_sha_(crypto::toHex(crypto::sha1(kTokenBucketScript))),
      local_(options_.local) {
  options_.pool_size = std::max<std::size_t>(1, options_.pool_size);
}

RedisLimiter::~RedisLimiter() = default;

Decision RedisLimiter::consume(const Policy& policy, std::string_view key) { return decide(policy, key, 1); }
Decision RedisLimiter::peek(const Policy& policy, std::string_view key) { return decide(policy, key, 0); }

Decision RedisLimiter::decide(const Policy& policy, std::string_view key, int cost) {
  const Attempt attempt = mayTryRedis();
  if (attempt != Attempt::kSkip) {
    auto decision = runScript(policy, key, cost);
    if (decision) {
      recordSuccess();
      return std::move(*decision);
    }
    if (decision.error().code != ErrorCode::kDeadlineExceeded)
      recordFailure(decision.error(), attempt == Attempt::kProbe);
    else if (attempt == Attempt::kProbe)
      probing_.store(false);
  }
  fallback_decisions_.fetch_add(1, std::memory_order_relaxed);
  return cost > 0 ? local_.consume(policy, key) : local_.peek(policy, key);
}

Result<Decision> RedisLimiter::runScript(const Policy& policy, std::string_view key, int cost) {
  const std::string redis_key = options_.key_prefix + policy.name + ":" + std::string(key);
  const std::string quota = std::to_string(policy.quota);
  const std::string window_ms = std::to_string(policy.window.count() * 1000);
  const std::string units = std::to_string(cost);
  const std::vector<std::string_view> args{"EVALSHA", script_sha_, "1", redis_key, quota, window_ms, units};

  FRAUDGOV_ASSIGN_OR_RETURN(Pooled pooled, acquire(true));
  auto reply = evalScript(*pooled.conn, args);
  if (!reply && pooled.reused) {
    // An idle connection may predate a Redis restart: one retry on a fresh connection.
    release(std::move(pooled.conn));
    FRAUDGOV_ASSIGN_OR_RETURN(pooled, acquire(false));
    reply = evalScript(*pooled.conn, args);
  }
  release(std::move(pooled.conn));
  if (!reply) return fail(std::move(reply).error());
  if (reply->isError()) return fail(Error::unavailable("redis: script failed: " + reply->text));
  const auto& e = reply->elements;
  if (reply->type != RedisReply::Type::kArray || e.size() != 2 || e[0].type != RedisReply::Type::kInteger ||
      e[1].type != RedisReply::Type::kInteger) {
    return fail(Error::unavailable("redis: unexpected script reply"));
  }
  return decisionFor(policy, e[0].integer == 1, static_cast<double>(e[1].integer) / 1000.0);
}

Result<RedisReply> RedisLimiter::evalScript(RedisConnection& conn, const std::vector<std::string_view>& args) {
  FRAUDGOV_ASSIGN_OR_RETURN(RedisReply reply, conn.command(args));
  if (reply.isError() && reply.text.rfind("NOSCRIPT", 0) == 0) {
    // The server lost its script cache (restart, SCRIPT FLUSH): EVAL sends the text and caches it again.
    std::vector<std::string_view> eval = args;
    eval[0] = "EVAL";
    eval[1] = kTokenBucketScript;
    return conn.command(eval);
  }
  return reply;
}

Result<std::unique_ptr<RedisConnection>> RedisLimiter::connect() {
  RedisConnection::Options o{options_.endpoint, options_.password ? options_.password() : std::nullopt,
                             options_.timeout};
  FRAUDGOV_ASSIGN_OR_RETURN(auto conn, RedisConnection::open(o));
  FRAUDGOV_ASSIGN_OR_RETURN(RedisReply loaded, conn->command({"SCRIPT", "LOAD", kTokenBucketScript}));
  if (loaded.isError()) return fail(Error::unavailable("redis: SCRIPT LOAD refused: " + loaded.text));
  if (loaded.text != script_sha_) return fail(Error::unavailable("redis: SCRIPT LOAD returned an unexpected digest"));
  return conn;
}

Result<RedisLimiter::Pooled> RedisLimiter::acquire(bool allow_idle) {
  {
    std::unique_lock lock(pool_mu_);
    const auto usable = [&] { return !idle_.empty() || open_connections_ < options_.pool_size; };
    if (!pool_cv_.wait_for(lock, options_.timeout, usable)) return fail(poolExhausted());
    if (allow_idle && !idle_.empty()) {
      Pooled p{std::move(idle_.back()), true};
      idle_.pop_back();
      return p;
    }
    if (open_connections_ >= options_.pool_size) {
      // Only idle connections are left and the caller wants a fresh one: replace one of them.
      idle_.pop_back();
      --open_connections_;
    }
    ++open_connections_;
  }
  auto conn = connect();
  if (!conn) {
    {
      std::lock_guard lock(pool_mu_);
      --open_connections_;
    }
    pool_cv_.notify_one();
    return fail(std::move(conn).error());
  }
  return Pooled{std::move(*conn), false};
}

void RedisLimiter::release(std::unique_ptr<RedisConnection> conn) {
  {
    std::lock_guard lock(pool_mu_);
    if (conn && !conn->broken())
      idle_.push_back(std::move(conn));
    else
      --open_connections_;
  }
  pool_cv_.notify_one();
}

void RedisLimiter::dropIdleConnections() {
  std::vector<std::unique_ptr<RedisConnection>> dropped;
  {
    std::lock_guard lock(pool_mu_);
    open_connections_ -= idle_.size();
    dropped.swap(idle_);
  }
  pool_cv_.notify_all();
}

RedisLimiter::Attempt RedisLimiter::mayTryRedis() {
  if (!degraded_.load(std::memory_order_acquire)) return Attempt::kNormal;
  std::lock_guard lock(health_mu_);
  if (!degraded_.load()) return Attempt::kNormal;
  if (probing_.load() || clock().monotonic() < retry_at_) return Attempt::kSkip;
  probing_.store(true);
  return Attempt::kProbe;
}

void RedisLimiter::recordSuccess() {
  if (!degraded_.load(std::memory_order_acquire)) return;
  {
    std::lock_guard lock(health_mu_);
    if (!degraded_.load()) return;
    degraded_.store(false, std::memory_order_release);
    probing_.store(false);
    backoff_ = std::chrono::milliseconds(0);
  }
  if (options_.log) {
    options_.log->event(spdlog::level::info, "rate limiting: redis reachable again, shared buckets in use",
                        {{"redis", options_.endpoint.describe()}});
  }
}

void RedisLimiter::recordFailure(const Error& error, bool probe) {
  redis_errors_.fetch_add(1, std::memory_order_relaxed);
  bool transition = false;
  std::chrono::milliseconds retry_in{0};
  {
    std::lock_guard lock(health_mu_);
    if (!degraded_.load()) {
      degraded_.store(true, std::memory_order_release);
      fallback_transitions_.fetch_add(1, std::memory_order_relaxed);
      backoff_ = options_.min_backoff;
      transition = true;
    } else if (probe) {
      backoff_ = std::min(options_.max_backoff, backoff_ * 2);
    } else {
      return;  // a request that was already in flight when Redis failed: nothing new to learn
    }
    retry_in = backoff_;
    retry_at_ = clock().monotonic() + backoff_;
    probing_.store(false);
  }
  dropIdleConnections();
  if (transition && options_.log) {
    options_.log->event(
        spdlog::level::warn, "rate limiting: redis unavailable, using local buckets",
        {{"redis", options_.endpoint.describe()}, {"error", error.message}, {"retry_in_ms", retry_in.count()}});
  }
}

LimiterStats RedisLimiter::stats() const {
  LimiterStats s = local_.stats();
  s.redis_configured = true;
  s.redis_degraded = degraded();
  s.redis_errors = redis_errors_.load(std::memory_order_relaxed);
  s.fallback_transitions = fallback_transitions_.load(std::memory_order_relaxed);
  s.fallback_decisions = fallback_decisions_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace fraudgov::ratelimit
