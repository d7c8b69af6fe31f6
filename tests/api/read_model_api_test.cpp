// The read model over HTTP (issue 9), on SQLite and PostgreSQL. Coherence, not speed: every
// cached body is byte-identical to the one an uncached instance renders for the same state; a
// change made with plain SQL is seen on the next read (PostgreSQL: once its NOTIFY arrives); a
// lost LISTEN connection never leads to a stale read; the cache stays within its budget; two
// real fraudgov processes on one database see each other's writes within a bounded time; and
// ETag / If-None-Match / 304 behave, with every security property still in place.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <csignal>
#include <iostream>

#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/mini_http_server.h"
#include "support/poll.h"
#include "support/test_database.h"
#include "support/test_env.h"
#include "support/token_factory.h"

namespace fraudgov {

using testing::ApiHarness;
using testing::HttpResult;
using namespace std::chrono_literals;

namespace {

// One key for every instance of a test, so cursors (and therefore pages) are identical.
constexpr const char* kCursorKey = "read-model-test-cursor-key-0123456789abcdef";
// How long another instance's write (or an operator's SQL) may take to be seen: PostgreSQL
// delivers NOTIFY asynchronously. SQLite's data_version is immediate.
constexpr auto kVisibleWithin = 2s;

bool postgres() { return testing::currentBackend() == testing::Backend::kPostgres; }

std::string str(const boost::json::value& v, std::string_view key) { return std::string(v.at(key).as_string()); }

// A series' value from the runtime's own metrics registry; -1 when absent.
double metric(ApiHarness& api, const std::string& series) {
  const std::string text = api.runtime().telemetry().metrics().render();
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}
double hits(ApiHarness& api) { return metric(api, "fraudgov_read_cache_lookups_total{result=\"hit\"}"); }

HttpResult conditionalGet(ApiHarness& api, const std::string& path, const std::string& token,
                          const std::string& if_none_match, const std::string& method = "GET") {
  net::HeaderList headers{{"If-None-Match", if_none_match}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return api.send(method, path, "", headers);
}

ApiHarness::Options withEnv(std::map<std::string, std::string> env) {
  env.emplace("CURSOR_HMAC_KEY", kCursorKey);
  ApiHarness::Options options;
  options.env = std::move(env);
  return options;
}

// Governance data of every cached kind, written through `api`.
struct Story {
  std::string rule_id, rule_version_id, ruleset_id, ruleset_version_id;
};

Story writeStory(ApiHarness& api) {
  const std::string maker = api.makerToken();
  const std::string checker = api.checkerToken();
  Story s;
  for (int i = 0; i < 5; ++i) {
    auto rule = api.post("/api/v1/rules",
                         {{"rule_name", "rule " + std::to_string(i)},
                          {"rule_type", i % 2 ? "AUTH" : "MONITORING"},
                          {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 100 * (i + 1)}}}},
                         maker);
    EXPECT_EQ(rule.status, 201) << rule.body;
    if (i == 1) s.rule_id = str(rule.json(), "rule_id");
  }
  auto versions = api.get("/api/v1/rules/" + s.rule_id + "/versions", maker);
  s.rule_version_id = str(versions.json().as_array().at(0), "rule_version_id");
  EXPECT_EQ(api.post("/api/v1/rule-versions/" + s.rule_version_id + "/submit", boost::json::object{}, maker).status,
            200);
  EXPECT_EQ(api.post("/api/v1/rule-versions/" + s.rule_version_id + "/approve", boost::json::object{}, checker).status,
            200);
  auto ruleset = api.post("/api/v1/rulesets",
                          {{"environment", "test"}, {"region", "APAC"}, {"country", "IN"}, {"rule_type", "AUTH"}}, maker);
  EXPECT_EQ(ruleset.status, 201) << ruleset.body;
  s.ruleset_id = str(ruleset.json(), "ruleset_id");
  auto rsv = api.post("/api/v1/rulesets/" + s.ruleset_id + "/versions",
                      {{"rule_version_ids", boost::json::array{boost::json::value(s.rule_version_id)}}}, maker);
  EXPECT_EQ(rsv.status, 201) << rsv.body;
  s.ruleset_version_id = str(rsv.json(), "ruleset_version_id");
  EXPECT_EQ(api.post("/api/v1/field-registry/publish", boost::json::object{}, maker).status, 201);
  return s;
}

// Every cacheable GET of the story, following list cursors to their second page.
std::vector<std::string> cacheablePaths(ApiHarness& api, const Story& s) {
  std::vector<std::string> paths = {"/api/v1/rule-fields",
                                    "/api/v1/rule-fields/amount",
                                    "/api/v1/rules",
                                    "/api/v1/rules?limit=2",
                                    "/api/v1/rules?rule_type=AUTH&limit=1",
                                    "/api/v1/rules/" + s.rule_id,
                                    "/api/v1/rules/" + s.rule_id + "/summary",
                                    "/api/v1/rules/" + s.rule_id + "/versions",
                                    "/api/v1/rule-versions/" + s.rule_version_id,
                                    "/api/v1/rulesets",
                                    "/api/v1/rulesets?environment=test&limit=1",
                                    "/api/v1/rulesets/" + s.ruleset_id,
                                    "/api/v1/rulesets/" + s.ruleset_id + "/versions",
                                    "/api/v1/ruleset-versions/" + s.ruleset_version_id,
                                    "/api/v1/field-registry",
                                    "/api/v1/field-registry/versions",
                                    "/api/v1/field-registry/versions/1",
                                    "/api/v1/field-registry/versions/1/fields"};
  auto page = api.get("/api/v1/rules?limit=2", api.viewerToken());
  const auto next = page.json().at("next_cursor");
  EXPECT_TRUE(next.is_string()) << page.body;
  if (next.is_string()) {
    paths.push_back("/api/v1/rules?limit=2&cursor=" + std::string(next.as_string()));
    auto second = api.get(paths.back(), api.viewerToken());
    const auto prev = second.json().at("prev_cursor");
    if (prev.is_string()) paths.push_back("/api/v1/rules?limit=2&direction=prev&cursor=" + std::string(prev.as_string()));
  }
  return paths;
}

// Until the runtime's change stamp is known (PostgreSQL starts listening on the first ask).
void waitForStamp(ApiHarness& api) {
  ASSERT_TRUE(testing::pollUntil([&] { return api.runtime().database().changeStamp().has_value(); }, 10s, 5ms));
}

// Until the stamp is known and has not moved for a while: on PostgreSQL the NOTIFY of every
// earlier write (this instance's own included) arrives asynchronously and moves it once more,
// so a test counting cache hits waits for that news to stop.
void waitForQuietStamp(ApiHarness& api) {
  auto& db = api.runtime().database();
  std::optional<std::uint64_t> last = db.changeStamp();
  auto since = std::chrono::steady_clock::now();
  ASSERT_TRUE(testing::pollUntil(
      [&] {
        if (auto now = db.changeStamp(); now != last || !now) {
          last = now;
          since = std::chrono::steady_clock::now();
        }
        return last && std::chrono::steady_clock::now() - since >= 200ms;
      },
      10s, 5ms));
}

// GET `path` until pred(body) holds; the time it took, or nullopt after kVisibleWithin.
template <class Pred>
std::optional<std::chrono::milliseconds> timeUntil(const std::function<HttpResult()>& get, Pred pred) {
  const auto start = std::chrono::steady_clock::now();
  bool seen = testing::pollUntil([&] { return pred(get()); }, kVisibleWithin, 2ms);
  if (!seen) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace

// (a) What the cache serves is exactly what the database path renders, bytes and tag.
TEST(ReadModel, CachedBodiesAreByteIdenticalToUncachedOnes) {
  ApiHarness cached(withEnv({}));
  const Story story = writeStory(cached);
  ApiHarness uncached(withEnv({{"READ_CACHE_MAX_BYTES", "0"},
                               {"DATABASE_URL", cached.runtime().config().database_url}}));
  waitForQuietStamp(cached);
  const std::string viewer = cached.viewerToken();
  const auto paths = cacheablePaths(cached, story);
  ASSERT_GE(paths.size(), 19u);
  const double hits_before = hits(cached);
  for (const auto& path : paths) {
    auto first = cached.get(path, viewer);
    auto second = cached.get(path, viewer);
    auto plain = uncached.get(path, viewer);
    ASSERT_EQ(first.status, 200) << path << " " << first.body;
    ASSERT_EQ(second.status, 200) << path;
    ASSERT_EQ(plain.status, 200) << path << " " << plain.body;
    EXPECT_EQ(first.body, plain.body) << path;
    EXPECT_EQ(second.body, plain.body) << path;
    const auto tag = plain.header("ETag");
    ASSERT_TRUE(tag) << path;
    EXPECT_EQ(first.header("ETag"), tag) << path;
    EXPECT_EQ(second.header("ETag"), tag) << path;
    EXPECT_EQ(first.header("Content-Type"), plain.header("Content-Type")) << path;
  }
  // The second round came from memory (the first too, for pages cacheablePaths already read).
  EXPECT_GE(hits(cached) - hits_before, static_cast<double>(paths.size()));
  EXPECT_EQ(metric(uncached, "fraudgov_read_cache_lookups_total{result=\"hit\"}"), 0);
}

// (b) An operator's UPDATE, with no fraudgov transaction and no write lock, is seen.
TEST(ReadModel, ADirectSqlChangeIsSeenOnTheNextRead) {
  ApiHarness api(withEnv({}));
  const std::string viewer = api.viewerToken();
  auto rule = api.post("/api/v1/rules",
                       {{"rule_name", "before sql"},
                        {"rule_type", "AUTH"},
                        {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 1}}}},
                       api.makerToken());
  ASSERT_EQ(rule.status, 201);
  const std::string rule_id = str(rule.json(), "rule_id");
  waitForQuietStamp(api);
  for (const std::string& path :
       std::vector<std::string>{"/api/v1/rule-fields/amount", "/api/v1/rules?limit=50", "/api/v1/rules/" + rule_id}) {
    ASSERT_EQ(api.get(path, viewer).status, 200);
  }
  const double warm = hits(api);
  ASSERT_EQ(api.get("/api/v1/rules/" + rule_id, viewer).status, 200);
  ASSERT_EQ(hits(api), warm + 1) << "the read before the change came from the cache";

  testing::runAdminSql(api.runtime().database(),
                       "UPDATE rule_fields SET display_name = 'Renamed in SQL' WHERE field_key = 'amount'; "
                       "UPDATE rules SET rule_name = 'renamed in sql' WHERE rule_id = '" + rule_id + "';");
  auto field = [&] { return api.get("/api/v1/rule-fields/amount", viewer); };
  auto list = [&] { return api.get("/api/v1/rules?limit=50", viewer); };
  auto single = [&] { return api.get("/api/v1/rules/" + rule_id, viewer); };
  if (!postgres()) {
    // data_version moves with the commit itself: the very next read sees it.
    EXPECT_EQ(str(field().json(), "display_name"), "Renamed in SQL");
    EXPECT_NE(list().body.find("renamed in sql"), std::string::npos);
    EXPECT_EQ(str(single().json(), "rule_name"), "renamed in sql");
    return;
  }
  auto seen = timeUntil(field, [](const HttpResult& r) { return r.body.find("Renamed in SQL") != std::string::npos; });
  ASSERT_TRUE(seen) << "not seen within " << kVisibleWithin.count() << " s";
  std::cout << "[ read model ] direct SQL change seen after " << seen->count() << " ms\n";
  // Once one read sees it, all of them do (one stamp for the whole read model).
  EXPECT_NE(list().body.find("renamed in sql"), std::string::npos);
  EXPECT_EQ(str(single().json(), "rule_name"), "renamed in sql");
}

// (c) While the LISTEN connection is gone nothing is served from memory, and what was kept
// before is never served again: a change made during the outage is seen at once.
TEST(ReadModel, ALostListenConnectionNeverLeadsToAStaleRead) {
  if (!postgres()) GTEST_SKIP() << "PostgreSQL LISTEN connection";
  ApiHarness api(withEnv({}));
  const std::string viewer = api.viewerToken();
  waitForQuietStamp(api);
  const std::string path = "/api/v1/rule-fields/amount";
  ASSERT_EQ(api.get(path, viewer).status, 200);
  const double warm = hits(api);
  ASSERT_EQ(str(api.get(path, viewer).json(), "display_name"), "Amount");
  ASSERT_EQ(hits(api), warm + 1);

  auto& db = api.runtime().database();
  const auto before = db.changeStamp();
  ASSERT_TRUE(before);
  // The listener's backend is gone when this returns (the timeout makes it wait for the exit)...
  testing::runAdminSql(db,
                       "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                       "WHERE application_name = 'fraudgov-listener' AND datname = current_database();");
  // ...and the instance has noticed (it waits at least 100 ms before reconnecting).
  ASSERT_TRUE(testing::pollUntil([&] { return db.changeStamp() != before; }, 10s, 1ms));
  // A change nobody will ever be notified about: the listener is not there to hear it.
  testing::runAdminSql(db, "UPDATE rule_fields SET display_name = 'Changed while deaf' WHERE field_key = 'amount';");
  if (!db.changeStamp()) {
    // Still deaf after the commit: whenever the listener is back, its new stamp postdates the
    // change, so not a single read may be stale.
    EXPECT_EQ(str(api.get(path, viewer).json(), "display_name"), "Changed while deaf");
  } else {
    // Back already (the machine stalled this thread for 100 ms): the change was committed while
    // listening again, so it is heard like any other, within the notification latency.
    EXPECT_TRUE(testing::pollUntil(
        [&] { return str(api.get(path, viewer).json(), "display_name") == "Changed while deaf"; }, kVisibleWithin, 2ms));
  }

  // The listener comes back under a new stamp; the entry from before the outage stays dead and
  // the cache serves again.
  waitForQuietStamp(api);
  EXPECT_EQ(str(api.get(path, viewer).json(), "display_name"), "Changed while deaf");
  const double resumed = hits(api);
  EXPECT_EQ(str(api.get(path, viewer).json(), "display_name"), "Changed while deaf");
  EXPECT_EQ(hits(api), resumed + 1) << "serving from memory again once the channel is back";
}

// (d) Many distinct pages, a small budget: the cache never holds more than it may.
TEST(ReadModel, TheCacheStaysWithinItsMemoryBudget) {
  constexpr double kBudget = 32768;
  ApiHarness api(withEnv({{"READ_CACHE_MAX_BYTES", "32768"}}));
  const std::string maker = api.makerToken();
  std::vector<std::string> ids;
  for (int i = 0; i < 14; ++i) {
    auto rule = api.post("/api/v1/rules",
                         {{"rule_name", "budget " + std::to_string(i)},
                          {"rule_type", "AUTH"},
                          {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", i}}}},
                         maker);
    ASSERT_EQ(rule.status, 201);
    ids.push_back(str(rule.json(), "rule_id"));
  }
  waitForStamp(api);
  EXPECT_EQ(metric(api, "fraudgov_read_cache_max_bytes"), kBudget);
  for (int round = 0; round < 2; ++round) {
    for (int limit = 1; limit <= 14; ++limit) {
      auto page = api.get("/api/v1/rules?limit=" + std::to_string(limit), maker);
      ASSERT_EQ(page.status, 200);
      EXPECT_EQ(page.json().at("items").as_array().size(), static_cast<std::size_t>(limit));
      EXPECT_LE(metric(api, "fraudgov_read_cache_bytes"), kBudget);
    }
    for (const auto& id : ids) {
      for (const std::string& path : {"/api/v1/rules/" + id, "/api/v1/rules/" + id + "/versions"}) {
        ASSERT_EQ(api.get(path, maker).status, 200);
        EXPECT_LE(metric(api, "fraudgov_read_cache_bytes"), kBudget);
      }
    }
  }
  EXPECT_GT(metric(api, "fraudgov_read_cache_evictions_total"), 0);
  EXPECT_GT(metric(api, "fraudgov_read_cache_bytes"), 0);
}

// (e) Two real fraudgov processes on one database behave as one system.
TEST(ReadModel, TwoProcessesOnOneDatabaseSeeEachOthersWritesWithinBoundedTime) {
  testing::MiniHttpServer idp(
      [](const testing::MiniRequest&) { return testing::MiniResponse::json(testing::TokenFactory::get().jwks()); });
  const std::string database_url = testing::migratedDatabaseUrl();
  auto envFor = [&](unsigned short port) {
    auto env = testing::testEnvironment(idp.url("/jwks"));
    env["HTTP_PORT"] = std::to_string(port);
    env["DATABASE_URL"] = database_url;
    env["CURSOR_HMAC_KEY"] = kCursorKey;
    env["FRAUDGOV_VAR_DIR"] = testing::makeTempDir("readmodel");
    return env;
  };
  const unsigned short port_a = testing::freePort();
  testing::ChildProcess a(testing::binaryPath("fraudgov"), {"serve"}, envFor(port_a));
  const std::string base_a = "http://127.0.0.1:" + std::to_string(port_a);
  ASSERT_TRUE(testing::waitForHttp(base_a + "/api/v1/health", 30s)) << a.stderrText();
  const unsigned short port_b = testing::freePort();
  testing::ChildProcess b(testing::binaryPath("fraudgov"), {"serve"}, envFor(port_b));
  const std::string base_b = "http://127.0.0.1:" + std::to_string(port_b);
  ASSERT_TRUE(testing::waitForHttp(base_b + "/api/v1/health", 30s)) << b.stderrText();

  auto token = [](const std::string& subject, std::initializer_list<const char*> permissions) {
    auto claims = testing::TokenFactory::claims(testing::kTestIssuer, testing::kTestAudience, subject);
    boost::json::array p;
    for (const char* permission : permissions) p.emplace_back(permission);
    claims["permissions"] = std::move(p);
    return testing::TokenFactory::get().rs256(claims);
  };
  const std::string maker = token("maker-1", {"rule:create", "rule:read", "rule_field:update"});
  net::CurlHttpClient client;
  auto call = [&](const std::string& method, const std::string& url, const std::string& body = "") {
    net::OutboundRequest r;
    r.method = method;
    r.url = url;
    r.headers = {{"Authorization", "Bearer " + maker}, {"Content-Type", "application/json"}};
    r.body = body;
    r.timeout = 10s;
    auto response = client.send(r);
    HttpResult out;
    if (response) {
      out.status = response->status;
      out.body = response->body;
      out.headers = response->headers;
    }
    return out;
  };

  std::vector<long> latencies;
  for (int i = 0; i < 5; ++i) {
    // B has both reads in memory (the second of each is a hit)...
    const std::string field = base_b + "/api/v1/rule-fields/amount";
    const std::string list = base_b + "/api/v1/rules?limit=50";
    for (int warm = 0; warm < 2; ++warm) {
      ASSERT_EQ(call("GET", field).status, 200);
      ASSERT_EQ(call("GET", list).status, 200);
    }
    // ...when A writes.
    const std::string name = "Written through A #" + std::to_string(i);
    ASSERT_EQ(call("PATCH", base_a + "/api/v1/rule-fields/amount",
                   boost::json::serialize(boost::json::object{{"display_name", name}}))
                  .status,
              200);
    auto seen = timeUntil([&] { return call("GET", field); },
                          [&](const HttpResult& r) { return r.body.find(name) != std::string::npos; });
    ASSERT_TRUE(seen) << "B did not see A's field change within " << kVisibleWithin.count() << " s";
    latencies.push_back(static_cast<long>(seen->count()));

    const std::string rule_name = "created through A #" + std::to_string(i);
    ASSERT_EQ(call("POST", base_a + "/api/v1/rules",
                   boost::json::serialize(boost::json::object{
                       {"rule_name", rule_name},
                       {"rule_type", "AUTH"},
                       {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", i}}}}))
                  .status,
              201);
    seen = timeUntil([&] { return call("GET", list); },
                     [&](const HttpResult& r) { return r.body.find(rule_name) != std::string::npos; });
    ASSERT_TRUE(seen) << "B did not list A's new rule within " << kVisibleWithin.count() << " s";
    latencies.push_back(static_cast<long>(seen->count()));
  }
  // B answered from memory between the writes (so what it saw was invalidation, not a cold miss).
  const std::string exposition = call("GET", base_b + "/metrics").body;
  const std::string hit_series = "fraudgov_read_cache_lookups_total{result=\"hit\"} ";
  const auto at = exposition.find(hit_series);
  ASSERT_NE(at, std::string::npos) << exposition;
  EXPECT_GE(std::stod(exposition.substr(at + hit_series.size())), 5.0);
  std::sort(latencies.begin(), latencies.end());
  std::cout << "[ read model ] write through A visible through B after (ms, sorted):";
  for (long ms : latencies) std::cout << ' ' << ms;
  std::cout << '\n';
  ::testing::Test::RecordProperty("max_cross_instance_latency_ms", std::to_string(latencies.back()));
  a.signal(SIGTERM);
  b.signal(SIGTERM);
  EXPECT_EQ(a.wait(15s), 0) << a.stderrText();
  EXPECT_EQ(b.wait(15s), 0) << b.stderrText();
}

// (f) Conditional requests: one tag per state, 304 with every security header, a new tag after
// a write, and no path around authentication.
TEST(ReadModel, ETagsAndNotModified) {
  ApiHarness api(withEnv({}));
  const std::string viewer = api.viewerToken();
  const std::string path = "/api/v1/rules?limit=50";
  auto first = api.get(path, viewer);
  auto second = api.get(path, viewer);
  ASSERT_EQ(first.status, 200);
  const std::string tag = first.header("ETag").value_or("");
  ASSERT_EQ(tag.size(), 24u) << tag;
  EXPECT_EQ(second.header("ETag"), tag);

  // The harness checks the security headers and request id on every response, 304s included.
  for (const std::string& condition : {tag, "W/" + tag, "\"nope\", " + tag, std::string("*")}) {
    auto r = conditionalGet(api, path, viewer, condition);
    EXPECT_EQ(r.status, 304) << condition;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(r.header("ETag"), tag) << condition;
    EXPECT_FALSE(r.header("Content-Length").has_value() && r.header("Content-Length") != "0");
  }
  EXPECT_EQ(conditionalGet(api, path, viewer, tag, "HEAD").status, 304);
  auto other = conditionalGet(api, path, viewer, "\"something-else\"");
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, first.body);

  // Knowing the tag gets nobody past authentication or permissions.
  auto anonymous = conditionalGet(api, path, "", tag);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_FALSE(anonymous.header("ETag"));
  auto unprivileged = conditionalGet(api, path, api.token("nobody", {}), tag);
  EXPECT_EQ(unprivileged.status, 403);
  EXPECT_FALSE(unprivileged.header("ETag"));
  // A 404 stays a 404, whatever the condition.
  EXPECT_EQ(conditionalGet(api, "/api/v1/rule-fields/no_such_field", viewer, "*").status, 404);

  // A write: the old tag no longer matches, the new one does.
  auto rule = api.post("/api/v1/rules",
                       {{"rule_name", "etag probe"},
                        {"rule_type", "AUTH"},
                        {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 1}}}},
                       api.makerToken());
  ASSERT_EQ(rule.status, 201);
  auto changed = conditionalGet(api, path, viewer, tag);
  ASSERT_EQ(changed.status, 200);
  const std::string new_tag = changed.header("ETag").value_or("");
  EXPECT_NE(new_tag, tag);
  EXPECT_NE(changed.body.find("etag probe"), std::string::npos);
  EXPECT_EQ(conditionalGet(api, path, viewer, new_tag).status, 304);

  // Every cacheable kind carries a tag.
  for (const char* p : {"/api/v1/rule-fields", "/api/v1/rule-fields/amount", "/api/v1/rulesets",
                              "/api/v1/field-registry", "/api/v1/field-registry/versions"}) {
    auto r = api.get(p, viewer);
    ASSERT_EQ(r.status, 200) << p;
    const auto t = r.header("ETag");
    ASSERT_TRUE(t) << p;
    EXPECT_EQ(conditionalGet(api, p, viewer, *t).status, 304) << p;
  }
  // The audit log is an append-only history paged from the database: no tag, no 304.
  EXPECT_FALSE(api.get("/api/v1/audit-log?limit=5", api.checkerToken()).header("ETag"));
}

// 304s are charged to the read budget like any read: revalidation is cheap, not free of limits.
TEST(ReadModel, NotModifiedIsRateLimitedLikeAnyRead) {
  ApiHarness api(withEnv({{"RATE_LIMIT_READ_PER_MINUTE", "3"}}));
  const std::string viewer = api.viewerToken();
  auto first = api.get("/api/v1/rule-fields", viewer);
  ASSERT_EQ(first.status, 200);
  const std::string tag = first.header("ETag").value_or("");
  EXPECT_EQ(conditionalGet(api, "/api/v1/rule-fields", viewer, tag).status, 304);
  EXPECT_EQ(conditionalGet(api, "/api/v1/rule-fields", viewer, tag).status, 304);
  auto limited = conditionalGet(api, "/api/v1/rule-fields", viewer, tag);
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.header("ETag"));
}

}  // namespace fraudgov
