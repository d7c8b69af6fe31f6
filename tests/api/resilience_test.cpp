// Issue 11 items 1 and 3, against the real components: a PostgreSQL frozen with SIGSTOP (the
// kernel still ACKs, so only a client-side deadline notices), and SQLite on a filesystem that
// fills up or goes read-only. Bounds are generous ("answered at all, well before the frozen
// server resumes"), not benchmarks; the measured times are printed.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "support/api_harness.h"
#include "support/poll.h"
#include "support/postgres_cluster.h"
#include "support/scratch_filesystem.h"

namespace fraudgov {

using testing::ApiHarness;
using namespace std::chrono_literals;

namespace {

struct Timed {
  long status = 0;  // 0: no answer within the client's timeout
  std::chrono::milliseconds elapsed{0};
  net::OutboundResponse response;
  std::string body() const { return response.body; }
  std::string error() const {
    auto parsed = testing::HttpResult{response.status, response.body, response.headers}.json();
    if (!parsed.is_object() || !parsed.as_object().contains("error")) return {};
    return std::string(parsed.at("error").as_string());
  }
  int retryAfter() const {
    auto v = response.header("Retry-After");
    return v ? std::atoi(v->c_str()) : 0;
  }
};

// One request with its own client-side timeout, so a server that hangs fails the test instead of
// hanging it.
Timed timed(ApiHarness& api, const std::string& method, const std::string& path, const std::string& token,
            const std::string& body = "", std::chrono::milliseconds timeout = 15s) {
  net::OutboundRequest request;
  request.method = method;
  request.url = api.url(path);
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  request.timeout = timeout;
  net::CurlHttpClient client;
  Timed out;
  const auto started = std::chrono::steady_clock::now();
  auto response = client.send(request);
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (response) {
    out.status = response->status;
    out.response = std::move(*response);
  }
  std::printf("  %s %s -> %ld in %lld ms\n", method.c_str(), path.c_str(), out.status,
              static_cast<long long>(out.elapsed.count()));
  return out;
}

std::string fieldBody(const std::string& key) {
  return boost::json::serialize(boost::json::object{{"field_key", key},
                                                    {"display_name", "Resilience probe"},
                                                    {"data_type", "NUMBER"},
                                                    {"allowed_operators", {"GT", "LT"}}});
}

// Thaws on scope exit, declared after the harness so it runs before the runtime shuts down.
struct ThawOnExit {
  testing::PostgresCluster& pg;
  ~ThawOnExit() { pg.thaw(); }
};

}  // namespace

TEST(FrozenPostgres, HealthAnswersTheDatabaseCallsFailFastAndEverythingRecoversOnResume) {
  testing::PostgresCluster pg;
  ASSERT_TRUE(pg.running()) << pg.problem();
  constexpr auto kDbDeadline = 1500ms;
  constexpr auto kReadyzDeadline = 500ms;
  ApiHarness api({{{"DATABASE_URL", pg.url()},
                   {"DATABASE_DEADLINE_MS", std::to_string(kDbDeadline.count())},
                   {"READYZ_DEADLINE_MS", std::to_string(kReadyzDeadline.count())},
                   {"DATABASE_POOL_SIZE", "4"},
                   {"HTTP_WORKER_THREADS", "4"}},
                  true});
  ThawOnExit thaw_on_exit{pg};
  const std::string maker = api.makerToken();
  const std::string viewer = api.viewerToken();
  ASSERT_EQ(timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("before_freeze")).status, 201);
  ASSERT_EQ(timed(api, "GET", "/api/v1/readyz", "").status, 200);
  // Every pooled connection in use once, so frozen idle connections are what the next calls get.
  {
    std::vector<std::thread> warm;
    for (int i = 0; i < 4; ++i) warm.emplace_back([&] { timed(api, "GET", "/api/v1/rules?limit=5", viewer); });
    for (auto& t : warm) t.join();
  }

  pg.freeze();
  // More stuck API calls than there are workers: health must still answer. Each asks for a page
  // never read before: the read model may rightly answer a page it holds (nothing can change while
  // the database is frozen, and whether the warm-up's pages are still current depends on when the
  // notification of the write above arrived), so only unseen pages surely reach the database.
  std::vector<Timed> stuck(8);
  std::vector<std::thread> callers;
  for (std::size_t i = 0; i < stuck.size(); ++i) {
    callers.emplace_back([&, i] {
      stuck[i] = timed(api, "GET", "/api/v1/rules?limit=" + std::to_string(10 + i), viewer, "", 20s);
    });
  }
  std::this_thread::sleep_for(300ms);

  const Timed health = timed(api, "GET", "/api/v1/health", "", "", 10s);
  EXPECT_EQ(health.status, 200);
  EXPECT_LT(health.elapsed, 1000ms) << "health must answer from the process (nominally within 100 ms)";

  const Timed readyz = timed(api, "GET", "/api/v1/readyz", "", "", 10s);
  EXPECT_EQ(readyz.status, 503) << readyz.body();
  EXPECT_LT(readyz.elapsed, kReadyzDeadline + 1500ms);

  for (auto& t : callers) t.join();
  for (const auto& s : stuck) {
    EXPECT_EQ(s.status, 503) << s.body();
    EXPECT_GT(s.retryAfter(), 0);
    // Queued behind the other stuck calls at most once (8 calls, 4 workers).
    EXPECT_LT(s.elapsed, 2 * kDbDeadline + 3000ms);
  }

  const Timed read = timed(api, "GET", "/api/v1/rules?limit=30", viewer, "", 10s);
  EXPECT_EQ(read.status, 503) << read.body();
  EXPECT_GT(read.retryAfter(), 0) << "Retry-After on the read";
  EXPECT_LT(read.elapsed, kDbDeadline + 2000ms);

  const Timed write = timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("during_freeze"), 10s);
  EXPECT_EQ(write.status, 503) << write.body();
  EXPECT_GT(write.retryAfter(), 0) << "Retry-After on the write";
  EXPECT_LT(write.elapsed, kDbDeadline + 2000ms);

  pg.thaw();
  // No restart: the same runtime serves again once PostgreSQL resumes.
  EXPECT_TRUE(testing::pollUntil([&] { return timed(api, "GET", "/api/v1/readyz", "", "", 5s).status == 200; }, 20s,
                                 200ms));
  EXPECT_EQ(timed(api, "GET", "/api/v1/rules?limit=5", viewer).status, 200);
  EXPECT_EQ(timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("after_thaw")).status, 201);
  // The write abandoned during the freeze left nothing behind.
  EXPECT_EQ(timed(api, "GET", "/api/v1/rule-fields/during_freeze", viewer).status, 404);
  EXPECT_EQ(timed(api, "GET", "/api/v1/rule-fields/before_freeze", viewer).status, 200);
}

TEST(SqliteStorage, ADiskFullIsA503AndReadinessIsRedUntilSpaceReturns) {
  testing::SizedTmpfs fs(24);
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  ApiHarness api({{{"DATABASE_URL", "sqlite:" + fs.path() + "/fraudgov.db"}}, true});
  const std::string maker = api.makerToken();
  ASSERT_EQ(timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("before_full")).status, 201);
  ASSERT_EQ(timed(api, "GET", "/api/v1/readyz", "").status, 200);

  ASSERT_TRUE(fs.fill());
  ::testing::internal::CaptureStdout();
  // The WAL may still have room in pages it already holds: write until the disk is really hit.
  Timed failed;
  for (int i = 0; i < 50; ++i) {
    failed = timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("full_" + std::to_string(i)));
    if (failed.status != 201) break;
  }
  const Timed readyz = timed(api, "GET", "/api/v1/readyz", "");
  std::fflush(stdout);
  const std::string log = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(failed.status, 503) << failed.body();
  EXPECT_EQ(failed.error(), "StorageUnavailable") << failed.body();
  EXPECT_GT(failed.retryAfter(), 0);
  EXPECT_EQ(readyz.status, 503) << readyz.body();
  EXPECT_NE(readyz.body().find("storage_unavailable"), std::string::npos) << readyz.body();
  EXPECT_EQ(log.find("rollback"), std::string::npos) << log;

  fs.release();
  // Readiness finds out by itself (no write needs to come first), then writes succeed again.
  EXPECT_EQ(timed(api, "GET", "/api/v1/readyz", "").status, 200);
  EXPECT_EQ(timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("after_full")).status, 201);
  EXPECT_EQ(timed(api, "GET", "/api/v1/readyz", "").status, 200);
}

TEST(SqliteStorage, AFilesystemGoneReadOnlyIsA503AndReadinessIsRed) {
  testing::Ext4Image disk(24);
  if (!disk.mounted()) GTEST_SKIP() << "cannot loop-mount an ext4 image here (needs root and loop devices)";
  {
    ApiHarness api({{{"DATABASE_URL", "sqlite:" + disk.path() + "/fraudgov.db"}}, true});
    const std::string maker = api.makerToken();
    ASSERT_EQ(timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("before_ro")).status, 201);
    ASSERT_EQ(timed(api, "GET", "/api/v1/readyz", "").status, 200);

    ASSERT_TRUE(disk.triggerError()) << "the kernel did not remount the filesystem read-only";
    ::testing::internal::CaptureStdout();
    const Timed write = timed(api, "POST", "/api/v1/rule-fields", maker, fieldBody("after_ro"));
    const Timed readyz = timed(api, "GET", "/api/v1/readyz", "");
    std::fflush(stdout);
    const std::string log = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(write.status, 503) << write.body();
    EXPECT_EQ(write.error(), "StorageUnavailable") << write.body();
    EXPECT_GT(write.retryAfter(), 0);
    EXPECT_EQ(readyz.status, 503) << readyz.body();
    EXPECT_NE(readyz.body().find("storage_unavailable"), std::string::npos) << readyz.body();
    EXPECT_EQ(log.find("rollback"), std::string::npos) << log;
  }  // the runtime closes its connections before the filesystem is unmounted
}

}  // namespace fraudgov
