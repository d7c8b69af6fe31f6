// The shared limiter against a real redis-server: the Lua script's semantics match the local
// buckets, instances share one budget, lost scripts are re-sent, keys expire, and every way
// Redis can fail (refused, hanging, wrong password, killed mid-run) falls back to local
// buckets, logged once per transition and counted, then recovers.
#include "ratelimit/redis_limiter.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "common/manual_clock.h"
#include "observability/log.h"
#include "observability/logger.h"
#include "support/child_process.h"
#include "support/poll.h"
#include "support/redis_server.h"

namespace fraudgov::ratelimit {
namespace {

using namespace std::chrono_literals;

// Where the limiters under test report transitions (LogCapture reads the process's output).
const observability::Logger& testLog() {
  static const observability::Logger log;
  return log;
}

// The backoff between Redis attempts (and the local fallback buckets) run on `clock` when given.
RedisLimiter::Options optionsFor(unsigned short port, const Clock* clock = nullptr) {
  RedisLimiter::Options o;
  if (clock) o.local.clock = clock;
  o.log = &testLog();
  o.endpoint = {"127.0.0.1", port, 0};
  o.timeout = 200ms;
  o.pool_size = 4;
  o.min_backoff = 100ms;
  o.max_backoff = 400ms;
  return o;
}

RedisConnection::Options connectionFor(unsigned short port) { return {{"127.0.0.1", port, 0}, std::nullopt, 500ms}; }

// Captures the JSON log lines the limiter writes.
class LogCapture {
 public:
  LogCapture() {
    observability::initLogging("info");
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~LogCapture() {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  std::size_t count(std::string_view needle) {
    spdlog::default_logger()->flush();
    const std::string text = out_.str();
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

constexpr std::string_view kDownMessage = "redis unavailable, using local buckets";
constexpr std::string_view kUpMessage = "redis reachable again";

TEST(RedisLimiter, ScriptSemanticsMatchTheLocalBuckets) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.ready());
  RedisLimiter limiter(optionsFor(redis.port()));
  const Policy write{"write", 3, 60s};
  for (int expected = 2; expected >= 0; --expected) {
    auto d = limiter.consume(write, "alice");
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, expected);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.policy, "write");
  }
  auto denied = limiter.consume(write, "alice");
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_GE(denied.retry_after_seconds, 19);
  EXPECT_LE(denied.retry_after_seconds, 20);
  EXPECT_GE(denied.reset_seconds, 59);
  EXPECT_LE(denied.reset_seconds, 60);
  EXPECT_TRUE(limiter.consume(write, "bob").allowed) << "keys are independent";
  EXPECT_TRUE(limiter.consume(Policy{"read", 3, 60s}, "alice").allowed) << "policies are independent";
  EXPECT_FALSE(limiter.degraded());
  EXPECT_EQ(limiter.fallbackCount(), 0u);
  EXPECT_EQ(limiter.stats().local_buckets, 0u) << "nothing was decided locally";
}

TEST(RedisLimiter, RefillsContinuouslyOnTheServerClock) {
  testing::RedisServer redis;
  RedisLimiter limiter(optionsFor(redis.port()));
  const Policy fast{"fast", 10, 1s};  // one unit every 100 ms of the Redis server's clock
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.consume(fast, "k").allowed);
  EXPECT_FALSE(limiter.consume(fast, "k").allowed);
  // The script reads the server's TIME, which no fake clock moves: wait until a unit has come back
  // (peek charges nothing).
  ASSERT_TRUE(testing::pollUntil([&] { return limiter.peek(fast, "k").allowed; }, 2s));
  auto d = limiter.consume(fast, "k");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
}

TEST(RedisLimiter, PeekNeitherChargesNorCreatesKeys) {
  testing::RedisServer redis;
  RedisLimiter limiter(optionsFor(redis.port()));
  const Policy p{"auth-failures", 2, 60s};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.peek(p, "10.0.0.1").allowed);
  auto conn = RedisConnection::open(connectionFor(redis.port()));
  ASSERT_TRUE(conn);
  EXPECT_EQ((*conn)->command({"DBSIZE"})->integer, 0);
  limiter.consume(p, "10.0.0.1");
  limiter.consume(p, "10.0.0.1");
  EXPECT_FALSE(limiter.peek(p, "10.0.0.1").allowed);
  EXPECT_EQ((*conn)->command({"DBSIZE"})->integer, 1);
}

TEST(RedisLimiter, KeysExpireOnceTheBucketWouldBeFull) {
  testing::RedisServer redis;
  RedisLimiter limiter(optionsFor(redis.port()));
  limiter.consume(Policy{"write", 120, 60s}, "alice");
  auto conn = RedisConnection::open(connectionFor(redis.port()));
  ASSERT_TRUE(conn);
  auto keys = (*conn)->command({"KEYS", "fraudgov:rl:*"});
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->elements.size(), 1u);
  EXPECT_EQ(keys->elements[0].text, "fraudgov:rl:write:alice");
  auto ttl = (*conn)->command({"PTTL", "fraudgov:rl:write:alice"});
  // One unit missing at 2/s: 500 ms plus a second of slack. Never a key without expiry.
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 1500);
}

TEST(RedisLimiter, TwoInstancesShareOneBudget) {
  testing::RedisServer redis;
  RedisLimiter a(optionsFor(redis.port()));
  RedisLimiter b(optionsFor(redis.port()));
  const Policy write{"write", 5, 60s};
  int allowed = 0;
  for (int i = 0; i < 4; ++i) {
    allowed += a.consume(write, "shared").allowed;
    allowed += b.consume(write, "shared").allowed;
  }
  EXPECT_EQ(allowed, 5);
}

TEST(RedisLimiter, ALostScriptCacheFallsBackToEval) {
  testing::RedisServer redis;
  RedisLimiter limiter(optionsFor(redis.port()));
  const Policy write{"write", 3, 60s};
  EXPECT_TRUE(limiter.consume(write, "k").allowed);
  auto conn = RedisConnection::open(connectionFor(redis.port()));
  ASSERT_TRUE(conn);
  ASSERT_EQ((*conn)->command({"SCRIPT", "FLUSH"})->text, "OK");
  auto d = limiter.consume(write, "k");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 1) << "the state survived; only the script was re-sent";
  EXPECT_FALSE(limiter.degraded());
  EXPECT_EQ(limiter.stats().redis_errors, 0u);
}

TEST(RedisLimiter, ConcurrentCallersNeverOverspend) {
  testing::RedisServer redis;
  RedisLimiter limiter(optionsFor(redis.port()));
  const Policy quota{"q", 50, 3600s};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) allowed += limiter.consume(quota, "shared").allowed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 50);
  EXPECT_EQ(limiter.fallbackCount(), 0u);
}

TEST(RedisLimiter, UnreachableRedisFallsBackLocallyLogsOnceAndRecovers) {
  LogCapture log;
  const unsigned short port = testing::freePort();  // nothing listens here yet
  ManualClock clock;
  RedisLimiter limiter(optionsFor(port, &clock));
  const Policy write{"write", 2, 60s};
  EXPECT_TRUE(limiter.consume(write, "k").allowed) << "no outage";
  EXPECT_TRUE(limiter.degraded());
  EXPECT_TRUE(limiter.consume(write, "k").allowed);
  EXPECT_FALSE(limiter.consume(write, "k").allowed) << "the local buckets still enforce the quota";
  clock.advance(250ms);  // past the backoff: the next call probes (and fails again)
  limiter.consume(write, "other");
  auto stats = limiter.stats();
  EXPECT_TRUE(stats.redis_degraded);
  EXPECT_EQ(stats.fallback_transitions, 1u);
  EXPECT_GE(stats.redis_errors, 2u) << "the probe after the backoff was counted";
  EXPECT_EQ(stats.fallback_decisions, 4u);
  EXPECT_EQ(log.count(kDownMessage), 1u) << "logged once per transition, not per request";

  testing::RedisServer redis({port, std::nullopt});
  ASSERT_TRUE(redis.ready());
  clock.advance(500ms);  // longer than the (doubled) backoff
  auto d = limiter.consume(write, "k");
  EXPECT_FALSE(limiter.degraded());
  EXPECT_TRUE(d.allowed) << "redis has its own, fresh bucket";
  EXPECT_EQ(log.count(kUpMessage), 1u);
  EXPECT_EQ(limiter.stats().fallback_decisions, 4u);
}

TEST(RedisLimiter, RedisKilledMidRunNeverFailsARequest) {
  LogCapture log;
  auto redis = std::make_unique<testing::RedisServer>();
  const unsigned short port = redis->port();
  ManualClock clock;
  RedisLimiter limiter(optionsFor(port, &clock));
  const Policy read{"read", 100, 60s};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.consume(read, "k").allowed);
  redis->kill();
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(limiter.consume(read, "k").allowed);
  EXPECT_TRUE(limiter.degraded());
  EXPECT_EQ(limiter.stats().fallback_transitions, 1u);
  EXPECT_EQ(log.count(kDownMessage), 1u);
  // A restarted Redis (same port) is picked up again; stale pooled connections are not reused.
  redis = std::make_unique<testing::RedisServer>(testing::RedisServer::Options{port, std::nullopt});
  ASSERT_TRUE(redis->ready());
  clock.advance(500ms);  // past the backoff
  limiter.consume(read, "k");
  EXPECT_FALSE(limiter.degraded());
  EXPECT_EQ(limiter.stats().fallback_transitions, 1u);
}

TEST(RedisLimiter, AHangingRedisCostsOneTimeoutThenNothing) {
  // Accepts connections (the kernel backlog does) but never answers a command.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto options = optionsFor(ntohs(addr.sin_port));
  options.min_backoff = 10s;
  RedisLimiter limiter(options);
  const Policy read{"read", 100, 60s};
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(limiter.consume(read, "k").allowed);
  const auto first = std::chrono::steady_clock::now() - start;
  EXPECT_GE(first, 150ms) << "it did wait for the command timeout";
  EXPECT_LT(first, 3s) << "but not forever";
  EXPECT_TRUE(limiter.degraded());
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(limiter.consume(read, "k").allowed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 150ms) << "during the backoff Redis is not asked";
  ::close(fd);
}

TEST(RedisLimiter, PasswordComesFromTheProviderAtConnectTime) {
  testing::RedisServer redis({0, std::string("s3cret-redis-pw")});
  ASSERT_TRUE(redis.ready());
  std::string current = "wrong-password";
  ManualClock clock;
  auto options = optionsFor(redis.port(), &clock);
  options.password = [&current] { return std::optional<std::string>(current); };
  LogCapture log;
  RedisLimiter limiter(options);
  const Policy p{"write", 5, 60s};
  EXPECT_TRUE(limiter.consume(p, "k").allowed);
  EXPECT_TRUE(limiter.degraded()) << "a refused AUTH is a Redis failure like any other";
  EXPECT_EQ(log.count("wrong-password"), 0u) << "never log the password";
  current = "s3cret-redis-pw";  // rotated (SIGHUP re-reads the secret store)
  clock.advance(250ms);         // past the backoff
  limiter.consume(p, "k");
  EXPECT_FALSE(limiter.degraded());
  EXPECT_EQ(log.count("s3cret-redis-pw"), 0u);
}

}  // namespace
}  // namespace fraudgov::ratelimit
