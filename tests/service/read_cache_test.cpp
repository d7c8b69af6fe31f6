// The read model's cache (service/read_cache.h) on its own: a body is kept only under the stamp
// it was rendered under, nothing is served or kept while the stamp is unknown, errors are never
// kept, memory stays within the budget, and entity tags come from the bytes alone. Against a
// real store: a body rendered while a write commits is never kept as fresh.

#include "service/read_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "service/catalog_service.h"
#include "support/test_database.h"

namespace fraudgov {
namespace {

using service::ReadCache;
using service::ReadCacheSettings;
using service::ReadKey;

// A stamp the test moves by hand; nullopt: the notification channel is down.
struct FakeStamps {
  std::atomic<std::uint64_t> value{1};
  std::atomic<bool> known{true};
  ReadCache::StampSource source() {
    return [this]() -> std::optional<std::uint64_t> {
      if (!known.load()) return std::nullopt;
      return value.load();
    };
  }
};

double metric(const observability::Registry& registry, const std::string& series) {
  const std::string text = registry.render();
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

class ReadCacheTest : public ::testing::Test {
 protected:
  ReadCache& cache(std::size_t max_bytes = 1 << 20) {
    cache_ = std::make_unique<ReadCache>(ReadCacheSettings{max_bytes}, stamps.source(), metrics);
    return *cache_;
  }
  // A render that counts its calls and answers `body`.
  ReadCache::Render counting(std::string body) {
    return [this, body = std::move(body)]() -> Result<std::string> {
      ++renders;
      return body;
    };
  }
  std::string get(ReadCache& c, const ReadKey& key, const std::string& body) {
    auto got = c.get(key, counting(body));
    EXPECT_TRUE(got);
    return got ? (*got)->bytes : "";
  }

  FakeStamps stamps;
  observability::Registry metrics;
  std::unique_ptr<ReadCache> cache_;
  int renders = 0;
};

TEST_F(ReadCacheTest, ServesTheKeptBodyWhileTheStampStaysPut) {
  auto& c = cache();
  EXPECT_EQ(get(c, ReadKey("rules"), "[1]"), "[1]");
  EXPECT_EQ(get(c, ReadKey("rules"), "[2]"), "[1]");
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(metric(metrics, "fraudgov_read_cache_lookups_total{result=\"hit\"}"), 1);
  EXPECT_EQ(metric(metrics, "fraudgov_read_cache_lookups_total{result=\"miss\"}"), 1);
}

TEST_F(ReadCacheTest, AMovedStampMakesEveryEntryUnusable) {
  auto& c = cache();
  get(c, ReadKey("a"), "old-a");
  get(c, ReadKey("b"), "old-b");
  stamps.value = 2;
  EXPECT_EQ(get(c, ReadKey("a"), "new-a"), "new-a");
  EXPECT_EQ(get(c, ReadKey("b"), "new-b"), "new-b");
  EXPECT_EQ(renders, 4);
  EXPECT_EQ(c.entries(), 2u);
  EXPECT_EQ(metric(metrics, "fraudgov_read_cache_invalidations_total"), 2);
}

TEST_F(ReadCacheTest, NothingIsServedOrKeptWhileTheStampIsUnknown) {
  auto& c = cache();
  get(c, ReadKey("a"), "before");
  stamps.known = false;
  EXPECT_EQ(get(c, ReadKey("a"), "during-1"), "during-1");
  EXPECT_EQ(get(c, ReadKey("a"), "during-2"), "during-2");
  EXPECT_EQ(metric(metrics, "fraudgov_read_cache_lookups_total{result=\"bypass\"}"), 2);
  // Back, under a new stamp (the listener moves it when it regains the channel): nothing from
  // before or during the outage is served.
  stamps.known = true;
  stamps.value = 7;
  EXPECT_EQ(get(c, ReadKey("a"), "after"), "after");
  EXPECT_EQ(get(c, ReadKey("a"), "later"), "after");
  EXPECT_EQ(renders, 4);
}

TEST_F(ReadCacheTest, ABodyRenderedWhileTheStampMovedIsAnsweredButNotKept) {
  auto& c = cache();
  auto got = c.get(ReadKey("a"), [&]() -> Result<std::string> {
    ++renders;
    stamps.value = 2;  // a write committed while the page was being read
    return std::string("racing");
  });
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)->bytes, "racing");
  EXPECT_EQ(get(c, ReadKey("a"), "fresh"), "fresh");
  EXPECT_EQ(get(c, ReadKey("a"), "again"), "fresh");
  EXPECT_EQ(renders, 2);
}

TEST_F(ReadCacheTest, AReaderWithAnOlderStampNeitherEvictsNorStores) {
  auto& c = cache();
  stamps.value = 5;
  get(c, ReadKey("a"), "at-5");
  stamps.value = 4;  // a reader that read its stamp before the change the cache already saw
  EXPECT_EQ(get(c, ReadKey("a"), "at-4"), "at-4");
  EXPECT_EQ(get(c, ReadKey("b"), "b-at-4"), "b-at-4");
  stamps.value = 5;
  EXPECT_EQ(get(c, ReadKey("a"), "x"), "at-5");
  EXPECT_EQ(get(c, ReadKey("b"), "b-at-5"), "b-at-5");
}

TEST_F(ReadCacheTest, ErrorsAreNeverKept) {
  auto& c = cache();
  for (int i = 0; i < 2; ++i) {
    auto got = c.get(ReadKey("missing"), [&]() -> Result<std::string> {
      ++renders;
      return fail(Error::notFound("Rule not found"));
    });
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
  }
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(c.entries(), 0u);
}

TEST_F(ReadCacheTest, ZeroBudgetKeepsNothingButStillTagsTheBody) {
  auto& c = cache(0);
  auto first = c.get(ReadKey("a"), counting("body"));
  auto second = c.get(ReadKey("a"), counting("body"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(renders, 2);
  EXPECT_EQ((*first)->etag, service::strongEtag("body"));
  EXPECT_EQ((*first)->etag, (*second)->etag);
  EXPECT_EQ(c.bytes(), 0u);
}

TEST_F(ReadCacheTest, StaysWithinItsBudgetEvictingTheLeastRecentlyUsed) {
  constexpr std::size_t kBudget = 8192;
  auto& c = cache(kBudget);
  const std::string body(900, 'x');
  get(c, ReadKey("page").add(std::int64_t{0}), body);
  for (std::int64_t i = 1; i < 40; ++i) {
    get(c, ReadKey("page").add(i), body);
    get(c, ReadKey("page").add(std::int64_t{0}), body);  // keeps page 0 the most recently used
    EXPECT_LE(c.bytes(), kBudget);
    EXPECT_LE(metric(metrics, "fraudgov_read_cache_bytes"), static_cast<double>(kBudget));
  }
  EXPECT_GT(metric(metrics, "fraudgov_read_cache_evictions_total"), 0);
  EXPECT_GT(c.entries(), 3u);
  const int before = renders;
  get(c, ReadKey("page").add(std::int64_t{0}), body);
  get(c, ReadKey("page").add(std::int64_t{39}), body);
  EXPECT_EQ(renders, before);  // the most recent two survived
  get(c, ReadKey("page").add(std::int64_t{1}), body);
  EXPECT_EQ(renders, before + 1);  // an old one did not
}

TEST_F(ReadCacheTest, ABodyTooLargeForItsShareOfTheBudgetIsServedButNotKept) {
  auto& c = cache(4096);
  get(c, ReadKey("huge"), std::string(2000, 'x'));
  get(c, ReadKey("huge"), std::string(2000, 'x'));
  EXPECT_EQ(renders, 2);
  EXPECT_EQ(c.bytes(), 0u);
}

TEST_F(ReadCacheTest, ConcurrentReadersAndMovingStampsStayConsistent) {
  auto& c = cache(64 * 1024);
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::uint64_t stamp = stamps.value.load();
        const std::string key = std::to_string((i + t) % 17);
        // The body names the stamp it was rendered under; a served body must never be older
        // than the stamp the reader saw before asking.
        auto got = c.get(ReadKey("k").add(key), [&]() -> Result<std::string> {
          return std::to_string(stamps.value.load()) + ":" + key;
        });
        if (!got || std::stoull((*got)->bytes) < stamp) ++wrong;
      }
    });
  }
  std::thread writer([&] {
    while (!stop.load()) {
      stamps.value.fetch_add(1);
      std::this_thread::yield();
    }
  });
  for (auto& r : readers) r.join();
  stop = true;
  writer.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(c.bytes(), 64u * 1024u);
}

TEST(StrongEtag, DerivesFromTheBytesAlone) {
  const std::string tag = service::strongEtag("{\"a\":1}");
  EXPECT_EQ(tag.size(), 24u);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(tag.back(), '"');
  EXPECT_EQ(tag.find_first_not_of("\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(tag, service::strongEtag("{\"a\":1}"));
  EXPECT_NE(tag, service::strongEtag("{\"a\":2}"));
}

TEST(ReadKeyTest, DifferentParameterListsNeverShareAKey) {
  EXPECT_NE(ReadKey("k").add("ab").add("c").text(), ReadKey("k").add("a").add("bc").text());
  EXPECT_NE(ReadKey("k").add(std::optional<std::string>{}).text(), ReadKey("k").add("").text());
  EXPECT_NE(ReadKey("k").add("-").text(), ReadKey("k").add(std::optional<std::string>{}).text());
  EXPECT_NE(ReadKey("rules").text(), ReadKey("rulesets").text());
  EXPECT_EQ(ReadKey("k").add(std::int64_t{5}).text(), ReadKey("k").add("5").text());
}

// With the real store: a field renamed while its body is rendered must not be served afterwards.
TEST(ReadCacheStore, AWriteDuringTheRenderLeavesNoStaleEntry) {
  auto db = testing::openFreshDatabase();
  ASSERT_TRUE(db);
  service::CatalogService catalog(*db);
  ASSERT_TRUE(catalog.seedStandardFields());
  observability::Registry metrics;
  ReadCache cache(ReadCacheSettings{}, [&db] { return db->changeStamp(); }, metrics);
  // The watcher starts on the first ask (PostgreSQL answers nullopt until it listens).
  for (int i = 0; i < 1000 && !db->changeStamp(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(db->changeStamp());

  const domain::Actor maker{"https://idp.test/", "maker-1", "req-1"};
  auto render = [&]() -> Result<std::string> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto field, catalog.getField("amount"));
    return field.definition.display_name;
  };
  bool renamed = false;
  auto first = cache.get(ReadKey("rule-field").add("amount"), [&]() -> Result<std::string> {
    auto body = render();  // read the old name...
    service::FieldPatch patch;
    patch.display_name = "Renamed";
    auto patched = catalog.patchField(maker, "amount", patch);  // ...then a write commits
    renamed = static_cast<bool>(patched);
    return body;
  });
  ASSERT_TRUE(first);
  ASSERT_TRUE(renamed);
  EXPECT_EQ((*first)->bytes, "Amount");
  auto next = cache.get(ReadKey("rule-field").add("amount"), render);
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)->bytes, "Renamed");
}

// find() is what an I/O thread may call: it answers only what get() kept under the current
// stamp and never renders.
TEST_F(ReadCacheTest, FindServesOnlyKeptBodiesAndNeverRenders) {
  auto& c = cache();
  const ReadKey key("rules");
  EXPECT_EQ(c.find(key), nullptr);
  get(c, key, "[1]");
  ASSERT_NE(c.find(key), nullptr);
  EXPECT_EQ(c.find(key)->bytes, "[1]");
  EXPECT_EQ(renders, 1);
  stamps.value = 2;
  EXPECT_EQ(c.find(key), nullptr);
  get(c, key, "[2]");
  stamps.known = false;
  EXPECT_EQ(c.find(key), nullptr);
  EXPECT_EQ(renders, 2);
}

}  // namespace
}  // namespace fraudgov
