// Cost of one in-process rate-limit decision (every API request pays it once, twice when it
// carries an unfamiliar credential): a hot key, many keys, and contended threads.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ratelimit/local_limiter.h"
#include "ratelimit/recent_keys.h"

namespace {

using namespace fraudgov::ratelimit;

const Policy kRead{"read", 1000000000, std::chrono::seconds(60)};

void BM_ConsumeHotKey(benchmark::State& state) {
  LocalLimiter limiter;
  for (auto _ : state) benchmark::DoNotOptimize(limiter.consume(kRead, "3f2a9c0e41b7d85e6a1c2b3d4e5f6a7b"));
}
BENCHMARK(BM_ConsumeHotKey);

void BM_ConsumeManyKeys(benchmark::State& state) {
  LocalLimiter limiter;
  std::vector<std::string> keys;
  for (int i = 0; i < state.range(0); ++i)
    keys.push_back("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(limiter.consume(kRead, keys[i++ % keys.size()]));
}
BENCHMARK(BM_ConsumeManyKeys)->Arg(1000)->Arg(60000);

// Random keys beyond the cap, each left drained (no idle bucket to reclaim): every decision
// inserts and evicts the least recently used bucket.
void BM_ConsumeUnderEviction(benchmark::State& state) {
  const Policy tight{"auth-failures", 1, std::chrono::seconds(3600)};
  LocalLimiter limiter({4096, 16, {}});
  std::uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(limiter.consume(tight, std::to_string(i++)));
  state.counters["buckets"] = static_cast<double>(limiter.size());
  state.counters["evictions"] = static_cast<double>(limiter.evictions());
}
BENCHMARK(BM_ConsumeUnderEviction);

LocalLimiter& sharedLimiter() {
  static LocalLimiter limiter;
  return limiter;
}

void BM_ConsumeContended(benchmark::State& state) {
  const std::string key = "principal-" + std::to_string(state.thread_index() % 4);
  for (auto _ : state) benchmark::DoNotOptimize(sharedLimiter().consume(kRead, key));
}
BENCHMARK(BM_ConsumeContended)->Threads(2)->Threads(8);

void BM_VerifiedCredentialLookup(benchmark::State& state) {
  RecentKeys keys(16384, std::chrono::minutes(15));
  const std::string digest(16, 'x');
  keys.remember(digest);
  for (auto _ : state) benchmark::DoNotOptimize(keys.contains(digest));
}
BENCHMARK(BM_VerifiedCredentialLookup);

}  // namespace

BENCHMARK_MAIN();
