// Issue 9 item 5: governance-write throughput and latency with N concurrent clients, and the
// contention of the store-wide write lock. Not a Google benchmark: each client thread runs the
// maker-checker round trip of a rule (create rule with version 1, submit as the maker, approve as
// a different user: three write transactions, each with its audit rows) until the time is up.
//
//   write_bench <database url> <seconds> <clients>...
//
// prints one line per client count:
//   clients=8 round_trips=123 per_s=12.3 p50_ms=.. p99_ms=.. tx=369 wait_ms_avg=.. hold_ms_avg=.. lock_busy=0.93
// where "hold" is the time from the moment the transaction body starts (after BEGIN and the write
// lock: BEGIN IMMEDIATE on SQLite, pg_advisory_xact_lock on PostgreSQL) until COMMIT returned, and
// "wait" the time before it (pool, BEGIN, the lock). lock_busy = sum(hold) / wall time: how much of
// the run the single write lock was held. Measured by a decorator around Database::write, so no
// product code carries benchmark hooks.
//
//   write_bench --approvals <database url> <rounds> [upload_ms]
//
// prices what one ruleset publication costs the write lock: a ruleset version of 100 approved
// rules (the maximum membership) is created, submitted, approved (compile, sign, upload) and
// activated <rounds> times; the artifact store is the filesystem, each put delayed by upload_ms
// (default 50: an S3 round trip). One line per step:
//   step=approve rounds=10 call_ms_avg=.. hold_ms_avg=.. hold_ms_max=.. tx_per_call=..
// where hold is the write-lock hold time summed over the step's write transactions.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <filesystem>
#include <unistd.h>

#include "publish/filesystem_artifact_store.h"
#include "publish/forwarding_artifact_store.h"
#include "service/catalog_service.h"
#include "service/cursor_codec.h"
#include "service/rule_service.h"
#include "service/ruleset_service.h"
#include "store/database.h"
#include "store/forwarding_database.h"
#include "store/migrations.h"

namespace fraudgov {
namespace {

using Clock = std::chrono::steady_clock;

class TimedDatabase final : public store::ForwardingDatabase {
 public:
  explicit TimedDatabase(std::unique_ptr<store::Database> inner) : ForwardingDatabase(std::move(inner)) {}
  Status write(const std::function<Status(store::SqlSession&)>& work) override {
    const auto called = Clock::now();
    Clock::time_point started{};
    Status status = ForwardingDatabase::write([&](store::SqlSession& s) {
      if (started == Clock::time_point{}) started = Clock::now();  // first attempt's lock acquisition
      return work(s);
    });
    const auto done = Clock::now();
    if (started == Clock::time_point{}) started = done;
    wait_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(started - called).count();
    hold_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(done - started).count();
    ++transactions_;
    return status;
  }

  void reset() { wait_ns_ = hold_ns_ = transactions_ = 0; }
  std::atomic<std::int64_t> wait_ns_{0}, hold_ns_{0}, transactions_{0};
};

// The filesystem store with a network round trip's delay per put.
class SlowStore final : public publish::ForwardingArtifactStore {
 public:
  SlowStore(const std::filesystem::path& dir, std::chrono::milliseconds delay)
      : ForwardingArtifactStore(std::make_unique<publish::FilesystemArtifactStore>(dir)), delay_(delay) {}
  Result<publish::StoredObject> put(std::string_view key, std::string_view bytes,
                                    std::string_view content_type) override {
    std::this_thread::sleep_for(delay_);
    return ForwardingArtifactStore::put(key, bytes, content_type);
  }

 private:
  std::chrono::milliseconds delay_;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The database at `url`, migrated and seeded with the standard catalog, behind the lock timer;
// nullptr (after saying why) when that fails.
std::unique_ptr<TimedDatabase> openSeeded(const std::string& url, const store::DatabaseOptions& options) {
  auto opened = store::openDatabase(url, options);
  if (!opened) {
    std::fprintf(stderr, "cannot open %s: %s\n", url.c_str(), opened.error().message.c_str());
    return nullptr;
  }
  auto db = std::make_unique<TimedDatabase>(std::move(*opened));
  if (!store::applyMigrations(*db) || !service::CatalogService(*db).seedStandardFields()) {
    std::fprintf(stderr, "cannot migrate and seed %s\n", url.c_str());
    return nullptr;
  }
  return db;
}

int run(const std::string& url, int seconds, const std::vector<int>& clients) {
  store::DatabaseOptions options;
  options.pool_size = 40;
  const auto seeded = openSeeded(url, options);
  if (!seeded) return 1;
  TimedDatabase& db = *seeded;
  service::CursorCodec cursors("0123456789abcdef0123456789abcdef");
  service::RuleService rules(db, cursors);
  std::atomic<int> counter{0};
  for (const int n : clients) {
    db.reset();
    std::mutex mu;
    std::vector<double> latencies_ms;
    std::atomic<int> failures{0};
    const auto start = Clock::now();
    const auto until = start + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t) {
      threads.emplace_back([&, t] {
        const domain::Actor maker{"https://idp.bench/", "maker" + std::to_string(t), "bench"};
        const domain::Actor checker{"https://idp.bench/", "checker" + std::to_string(t), "bench"};
        std::vector<double> mine;
        while (Clock::now() < until) {
          const auto t0 = Clock::now();
          service::NewRule input;
          input.rule_name = "write bench " + std::to_string(++counter);
          input.rule_type = domain::RuleType::kAuth;
          input.condition_tree = boost::json::object{{"field", "amount"}, {"op", "GT"}, {"value", t}};
          auto created = rules.createRule(maker, input);
          bool ok = static_cast<bool>(created);
          if (ok) {
            const std::string id = created->first_version->rule_version_id;
            ok = rules.submit(maker, id, {}) && rules.approve(checker, id, {});
          }
          if (!ok) {
            ++failures;
            continue;
          }
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
        std::lock_guard lock(mu);
        latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      });
    }
    for (auto& th : threads) th.join();
    const double wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    const double tx = static_cast<double>(db.transactions_.load());
    const std::size_t done = latencies_ms.size();
    std::printf(
        "clients=%d round_trips=%zu per_s=%.1f p50_ms=%.1f p99_ms=%.1f failures=%d tx=%.0f wait_ms_avg=%.2f "
        "hold_ms_avg=%.2f lock_busy=%.2f\n",
        n, done, static_cast<double>(done) / wall_s, percentile(latencies_ms, 0.50), percentile(latencies_ms, 0.99),
        failures.load(), tx, tx > 0 ? static_cast<double>(db.wait_ns_.load()) / tx / 1e6 : 0.0,
        tx > 0 ? static_cast<double>(db.hold_ns_.load()) / tx / 1e6 : 0.0,
        static_cast<double>(db.hold_ns_.load()) / 1e9 / wall_s);
    std::fflush(stdout);
  }
  return 0;
}

// One approved rule of `conditions` comparisons (a realistic tree for the compiler to chew on).
Result<std::string> approvedRule(service::RuleService& rules, int i, int conditions) {
  const domain::Actor maker{"https://idp.bench/", "maker", "bench"};
  const domain::Actor checker{"https://idp.bench/", "checker", "bench"};
  boost::json::array all;
  for (int k = 0; k < conditions; ++k) {
    all.push_back(boost::json::object{{"field", "amount"}, {"op", k % 2 ? "GT" : "LT"}, {"value", 1000 * i + k}});
  }
  service::NewRule input;
  input.rule_name = "publication bench " + std::to_string(i);
  input.rule_type = domain::RuleType::kAuth;
  input.condition_tree = boost::json::object{{"and", std::move(all)}};
  FRAUDGOV_ASSIGN_OR_RETURN(auto created, rules.createRule(maker, input));
  const std::string id = created.first_version->rule_version_id;
  FRAUDGOV_RETURN_IF_ERROR(rules.submit(maker, id, {}));
  FRAUDGOV_RETURN_IF_ERROR(rules.approve(checker, id, {}));
  return id;
}

int runApprovals(const std::string& url, int rounds, std::chrono::milliseconds upload_delay) {
  const auto seeded = openSeeded(url, {});
  if (!seeded) return 1;
  TimedDatabase& db = *seeded;
  const auto dir = std::filesystem::temp_directory_path() / ("fraudgov-write-bench-" + std::to_string(::getpid()));
  auto key = std::make_shared<const publish::ArtifactSigningKey>(*publish::ArtifactSigningKey::generate());
  service::Publisher publisher({"bench", std::make_shared<SlowStore>(dir, upload_delay), [key] { return key; }});
  service::CursorCodec cursors("0123456789abcdef0123456789abcdef");
  service::RuleService rules(db, cursors);
  service::RulesetService rulesets(db, cursors, publisher);
  const domain::Actor maker{"https://idp.bench/", "maker", "bench"};
  const domain::Actor checker{"https://idp.bench/", "checker", "bench"};
  std::vector<std::string> members;
  for (int i = 0; i < static_cast<int>(domain::kMaxRulesetMembers); ++i) {
    auto id = approvedRule(rules, i, 20);
    if (!id) {
      std::fprintf(stderr, "rule: %s\n", id.error().message.c_str());
      return 1;
    }
    members.push_back(*id);
  }
  auto ruleset = rulesets.createRuleset(maker, {"bench", "APAC", "IN", domain::RuleType::kAuth, {}, {}});
  if (!ruleset) return 1;
  struct Step {
    const char* name;
    double call_ms = 0, hold_ms = 0, hold_max_ms = 0, tx = 0;
  };
  Step steps[] = {{"submit"}, {"approve"}, {"activate"}};
  auto timed = [&](Step& step, auto&& call) {
    db.reset();
    const auto t0 = Clock::now();
    auto result = call();
    step.call_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    const double hold = static_cast<double>(db.hold_ns_.load()) / 1e6;
    step.hold_ms += hold;
    step.hold_max_ms = std::max(step.hold_max_ms, hold);
    step.tx += static_cast<double>(db.transactions_.load());
    if (!result) std::fprintf(stderr, "%s: %s\n", step.name, result.error().message.c_str());
    return static_cast<bool>(result);
  };
  for (int r = 0; r < rounds; ++r) {
    auto version = rulesets.createVersion(maker, ruleset->ruleset_id, members);
    if (!version) return 1;
    const std::string id = version->version.ruleset_version_id;
    if (!timed(steps[0], [&] { return rulesets.submit(maker, id, {}); }) ||
        !timed(steps[1], [&] { return rulesets.approve(checker, id, {}); }) ||
        !timed(steps[2], [&] { return rulesets.activate(checker, id); })) {
      return 1;
    }
  }
  for (const auto& step : steps) {
    std::printf("step=%s rounds=%d members=%zu upload_ms=%lld call_ms_avg=%.2f hold_ms_avg=%.2f hold_ms_max=%.2f "
                "tx_per_call=%.1f\n",
                step.name, rounds, members.size(), static_cast<long long>(upload_delay.count()), step.call_ms / rounds,
                step.hold_ms / rounds, step.hold_max_ms, step.tx / rounds);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace fraudgov

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "--approvals") {
    const int upload_ms = argc >= 5 ? std::atoi(argv[4]) : 50;
    return fraudgov::runApprovals(argv[2], std::atoi(argv[3]), std::chrono::milliseconds(upload_ms));
  }
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: write_bench <database url> <seconds> <clients>...\n"
                 "       write_bench --approvals <database url> <rounds> [upload_ms]\n");
    return 2;
  }
  std::vector<int> clients;
  for (int i = 3; i < argc; ++i) clients.push_back(std::atoi(argv[i]));
  return fraudgov::run(argv[1], std::atoi(argv[2]), clients);
}
