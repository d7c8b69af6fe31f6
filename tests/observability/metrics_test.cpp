// The Prometheus registry: exact text exposition (HELP/TYPE, escaping, buckets, ordering),
// lock-cheap concurrent recording, callbacks, and promtool's verdict on everything it emits.
#include <gtest/gtest.h>

#include <thread>

#include "observability/governance_metrics.h"
#include "observability/http_metrics.h"
#include "observability/metrics.h"
#include "observability/telemetry.h"
#include "promtool.h"

namespace fraudgov::observability {

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(MetricsRegistry, RendersCounterAndGaugeExactly) {
  Registry r;
  auto& requests = r.counter("app_requests_total", "Requests.", {"route", "code"});
  requests.labels({"/b", "200"}).inc();
  requests.labels({"/a", "500"}).inc(2.5);
  requests.labels({"/a", "500"}).inc(-1);  // counters never go down
  r.gauge("app_temperature", "Line one\nline two \\ end.").get().set(-3.25);
  EXPECT_EQ(r.render(),
            "# HELP app_requests_total Requests.\n"
            "# TYPE app_requests_total counter\n"
            "app_requests_total{route=\"/a\",code=\"500\"} 2.5\n"
            "app_requests_total{route=\"/b\",code=\"200\"} 1\n"
            "# HELP app_temperature Line one\\nline two \\\\ end.\n"
            "# TYPE app_temperature gauge\n"
            "app_temperature -3.25\n");
}

TEST(MetricsRegistry, EscapesLabelValues) {
  Registry r;
  r.counter("weird_total", "Weird labels.", {"v"}).labels({"a\"b\\c\nd é"}).inc();
  EXPECT_TRUE(contains(r.render(), "weird_total{v=\"a\\\"b\\\\c\\nd é\"} 1\n")) << r.render();
  EXPECT_EQ(testing::promtoolCheck(r.render()).exit_code, 0) << testing::promtoolCheck(r.render()).output;
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeAndLessOrEqual) {
  Registry r;
  auto& h = r.histogram("op_duration_seconds", "Durations.", {0.25, 1, 10}, {"op"}).labels({"x"});
  for (double v : {0.125, 0.25, 0.5, 1.0, 7.0, 11.0}) h.observe(v);
  const std::string text = r.render();
  EXPECT_TRUE(contains(text,
                       "op_duration_seconds_bucket{op=\"x\",le=\"0.25\"} 2\n"
                       "op_duration_seconds_bucket{op=\"x\",le=\"1\"} 4\n"
                       "op_duration_seconds_bucket{op=\"x\",le=\"10\"} 5\n"
                       "op_duration_seconds_bucket{op=\"x\",le=\"+Inf\"} 6\n"
                       "op_duration_seconds_sum{op=\"x\"} 19.875\n"
                       "op_duration_seconds_count{op=\"x\"} 6\n"))
      << text;
  const auto snap = h.snapshot();
  EXPECT_EQ(snap.count, snap.cumulative.back());
}

TEST(MetricsRegistry, UnlabelledSeriesExistAtZeroAndRegistrationIsIdempotent) {
  Registry r;
  auto& a = r.counter("things_total", "Things.");
  auto& b = r.counter("things_total", "Things.");
  EXPECT_EQ(&a, &b);
  EXPECT_TRUE(contains(r.render(), "things_total 0\n"));
  auto& h = r.histogram("latency_seconds", "L.", latencyBuckets());
  EXPECT_EQ(&h, &r.histogram("latency_seconds", "L.", latencyBuckets()));
  EXPECT_TRUE(contains(r.render(), "latency_seconds_count 0\n"));
}

TEST(MetricsRegistry, WrongLabelCountIsPaddedNotFatal) {
  Registry r;
  auto& f = r.counter("pairs_total", "Pairs.", {"a", "b"});
  f.labels({"only-a"}).inc();
  f.labels({"x", "y", "z"}).inc();
  const auto text = r.render();
  EXPECT_TRUE(contains(text, "pairs_total{a=\"only-a\",b=\"\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "pairs_total{a=\"x\",b=\"y\"} 1\n")) << text;
}

TEST(MetricsRegistryDeathTest, InvalidDefinitionsStopAtStartup) {
  EXPECT_DEATH(Registry().counter("no_suffix", "x"), "must end in _total");
  EXPECT_DEATH(Registry().gauge("bad-name", "x"), "invalid metric name");
  EXPECT_DEATH(Registry().gauge("ok", "x", {"__reserved"}), "invalid label name");
  EXPECT_DEATH(Registry().histogram("h_seconds", "x", {1, 1}), "strictly increasing");
  EXPECT_DEATH(Registry().histogram("h_seconds", "x", {1}, {"le"}), "le");
  EXPECT_DEATH(
      {
        Registry r;
        r.gauge("same", "x");
        r.counter("same_total", "x");
        r.gauge("same", "x", {"label"});
      },
      "different definitions");
}

TEST(MetricsRegistry, CallbacksAreReadAtScrapeTimeSortedAndDeduplicated) {
  Registry r;
  double value = 1;
  r.callback("pool_connections", "Open connections.", MetricType::kGauge, {"pool"}, [&value] {
    return std::vector<Sample>{{{"b"}, value}, {{"a"}, 2}, {{"b"}, 99}};
  });
  r.callbackGauge("simple_value", "A value.", [&value] { return value * 10; });
  value = 4;
  const auto text = r.render();
  EXPECT_TRUE(contains(text, "pool_connections{pool=\"a\"} 2\npool_connections{pool=\"b\"} 4\n")) << text;
  EXPECT_TRUE(contains(text, "simple_value 40\n"));
  // Registering again replaces the function (a restarted component re-registers).
  r.callbackGauge("simple_value", "A value.", [] { return 7.0; });
  EXPECT_TRUE(contains(r.render(), "simple_value 7\n"));
}

TEST(MetricsRegistry, SeveralRegistriesMergeInNameOrderWithoutDuplicates) {
  Registry a, b;
  a.gauge("zeta", "Z.").get().set(1);
  b.gauge("alpha", "A.").get().set(2);
  b.gauge("zeta", "Z from b.").get().set(3);
  const auto text = renderExposition({&a, &b});
  EXPECT_LT(text.find("# HELP alpha"), text.find("# HELP zeta"));
  EXPECT_TRUE(contains(text, "zeta 1\n"));
  EXPECT_FALSE(contains(text, "zeta 3\n"));
}

TEST(MetricsRegistry, ConcurrentRecordingLosesNothing) {
  Registry r;
  auto& family = r.counter("hits_total", "Hits.", {"route"});
  auto& hist = r.histogram("work_seconds", "W.", latencyBuckets(), {"route"});
  constexpr int kThreads = 4, kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string route = "/r" + std::to_string((i + t) % 8);  // new series appear while others record
        family.labels({route}).inc();
        hist.labels({route}).observe(0.002);
      }
    });
  }
  std::thread scraper([&] {
    for (int i = 0; i < 50; ++i) (void)r.render();
  });
  for (auto& th : threads) th.join();
  scraper.join();
  double total = 0;
  std::uint64_t observed = 0;
  for (int i = 0; i < 8; ++i) {
    total += family.labels({"/r" + std::to_string(i)}).value();
    observed += hist.labels({"/r" + std::to_string(i)}).snapshot().count;
  }
  EXPECT_EQ(total, kThreads * kPerThread);
  EXPECT_EQ(observed, static_cast<std::uint64_t>(kThreads * kPerThread));
}

TEST(MetricsRegistry, HttpMetricsNormalizeUntrustedLabels) {
  Registry r;
  HttpMetrics http(r);
  http.record("GET", "/api/v1/rules/{rule_id}", 200, 0.004);
  http.record("BREW", "", 404, 0.001);       // unknown method, no route matched
  http.record("GET", "/x/{id}", 42, 0.001);  // impossible status: counted as 500
  {
    auto in_flight = http.track();
    EXPECT_TRUE(contains(r.render(), "http_requests_in_flight 1\n"));
  }
  const auto text = r.render();
  EXPECT_TRUE(contains(text, "http_requests_in_flight 0\n"));
  EXPECT_TRUE(contains(text,
                       "http_requests_total{method=\"GET\",route=\"/api/v1/rules/{rule_id}\",status_code=\"200\","
                       "status_class=\"2xx\"} 1\n"))
      << text;
  EXPECT_TRUE(contains(text, "{method=\"OTHER\",route=\"__unmatched__\",status_code=\"404\",status_class=\"4xx\"} 1"));
  EXPECT_TRUE(contains(text, "status_code=\"500\",status_class=\"5xx\"} 1"));
  EXPECT_TRUE(contains(text,
                       "http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/rules/{rule_id}\","
                       "le=\"0.005\"} 1\n"));
  EXPECT_FALSE(contains(text, "BREW"));
}

TEST(MetricsRegistry, GovernanceApiRecordsIntoItsRuntimesRegistry) {
  Telemetry telemetry;
  auto& g = telemetry.governance();
  g.approval(ApprovalSubject::kRulesetVersion, ApprovalOutcome::kMakerCheckerDenied);
  g.compile(std::chrono::milliseconds(42), true, 120);
  g.compile(std::chrono::milliseconds(3), false);
  g.publish(PublishArtifact::kRuleset, PublishBackend::kS3, std::chrono::milliseconds(80), true);
  g.rateLimited("write");
  g.rateLimited("auth-failures");
  g.rateLimited("Write\"}\n{evil");
  g.redisFallback();
  const auto text = renderExposition({&processRegistry(), &telemetry.metrics()});
  EXPECT_TRUE(
      contains(text, "fraudgov_approvals_total{subject=\"ruleset_version\",outcome=\"maker_checker_denied\"} 1"));
  EXPECT_TRUE(contains(text, "fraudgov_approvals_total{subject=\"rule_version\",outcome=\"content_changed\"} 0"))
      << "every closed-set series exists before its first event";
  EXPECT_TRUE(contains(text, "fraudgov_compile_duration_seconds_bucket{outcome=\"success\",le=\"0.05\"} 1"));
  EXPECT_TRUE(contains(text, "fraudgov_compile_duration_seconds_count{outcome=\"error\"} 1"));
  EXPECT_TRUE(contains(text, "fraudgov_compile_rules_bucket{le=\"250\"} 1"));
  EXPECT_TRUE(contains(text, "fraudgov_compile_rules_bucket{le=\"100\"} 0"));
  EXPECT_TRUE(contains(text,
                       "fraudgov_publish_duration_seconds_count{artifact=\"ruleset\",backend=\"s3\","
                       "outcome=\"success\"} 1"));
  EXPECT_TRUE(contains(text, "fraudgov_rate_limited_total{policy=\"write\"} 1"));
  EXPECT_TRUE(contains(text, "fraudgov_rate_limited_total{policy=\"auth-failures\"} 1")) << "the policy's own name";
  EXPECT_TRUE(contains(text, "fraudgov_rate_limited_total{policy=\"other\"} 1")) << "hostile policy names are folded";
  EXPECT_FALSE(contains(text, "evil"));
  EXPECT_TRUE(contains(text, "fraudgov_rate_limit_redis_fallbacks_total 1"));
  EXPECT_TRUE(contains(text, "fraudgov_build_info{version=\""));
  EXPECT_TRUE(contains(text, "process_start_time_seconds "));
  EXPECT_TRUE(contains(text, "process_resident_memory_bytes "));
}

TEST(MetricsRegistry, EverythingWeEmitPassesPromtool) {
  Registry r;
  HttpMetrics http(r);
  http.record("GET", "/api/v1/rule-fields/{field_key}", 200, 0.003);
  http.record("POST", "", 413, 0.0001);
  r.callback("dep_up", "Dependency up.", MetricType::kGauge, {"dep"}, [] { return std::vector<Sample>{{{"db"}, 1}}; });
  r.callback("dep_calls_total", "Calls.", MetricType::kCounter, {}, [] { return std::vector<Sample>{{{}, 3}}; });
  GovernanceMetrics governance(r);
  governance.approval(ApprovalSubject::kRuleVersion, ApprovalOutcome::kApproved);
  const auto text = renderExposition({&processRegistry(), &r});
  const auto check = testing::promtoolCheck(text);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << text;
}

}  // namespace fraudgov::observability
