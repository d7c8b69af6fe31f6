// The price of SQLite synchronous=FULL (what fraudgov runs, SPEC §3 invariant 11) against
// synchronous=NORMAL (what it ran before issue 11) for one governance write: an audit append in
// its own write transaction, i.e. one commit. Both variants run in the same process on the same
// file system, so the ratio is meaningful even on a noisy machine. The database lives under
// $FRAUDGOV_BENCH_DIR (default /tmp): point it at the file system production uses.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/audit_store.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace {

using namespace fraudgov;

std::string freshPath(const char* name) {
  const char* base = std::getenv("FRAUDGOV_BENCH_DIR");
  const std::filesystem::path dir = std::filesystem::path(base ? base : "/tmp") / "fraudgov-sqlite-sync-bench";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

void BM_AuditAppendCommit(benchmark::State& state, store::SqliteSync sync, const char* file) {
  store::DatabaseOptions options;
  options.pool_size = 1;
  auto db = store::openSqlite(freshPath(file), options, sync);
  if (!db || !store::applyMigrations(**db)) {
    state.SkipWithError("cannot open and migrate the database");
    return;
  }
  const domain::Actor actor{"https://idp.bench/", "bench", "req-bench"};
  std::int64_t n = 0;
  for (auto _ : state) {
    auto status = (*db)->write([&](store::SqlSession& s) -> Status {
      boost::json::object value{{"n", ++n}, {"field_key", "velocity_1h"}};
      auto appended = store::AuditStore::append(
          s, actor, {"RULE_FIELD", "01900000-0000-7000-8000-000000000001", "UPDATE", nullptr, std::move(value)});
      if (!appended) return fail(appended.error());
      return {};
    });
    if (!status) {
      state.SkipWithError("write failed");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_AuditAppendCommit, sync_full, store::SqliteSync::kFull, "full.db")->UseRealTime();
BENCHMARK_CAPTURE(BM_AuditAppendCommit, sync_normal, store::SqliteSync::kNormal, "normal.db")->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
