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
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/catalog_service.h"
#include "service/cursor_codec.h"
#include "service/rule_service.h"
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

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

int run(const std::string& url, int seconds, const std::vector<int>& clients) {
  store::DatabaseOptions options;
  options.pool_size = 40;
  auto opened = store::openDatabase(url, options);
  if (!opened) {
    std::fprintf(stderr, "cannot open %s: %s\n", url.c_str(), opened.error().message.c_str());
    return 1;
  }
  TimedDatabase db(std::move(*opened));
  if (!store::applyMigrations(db) || !service::CatalogService(db).seedStandardFields()) {
    std::fprintf(stderr, "cannot migrate and seed %s\n", url.c_str());
    return 1;
  }
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

}  // namespace
}  // namespace fraudgov

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: write_bench <database url> <seconds> <clients>...\n");
    return 2;
  }
  std::vector<int> clients;
  for (int i = 3; i < argc; ++i) clients.push_back(std::atoi(argv[i]));
  return fraudgov::run(argv[1], std::atoi(argv[2]), clients);
}
