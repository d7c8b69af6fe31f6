#include "store/keyset.h"

#include <gtest/gtest.h>

namespace fraudgov {

TEST(CursorCodec, RoundTripsWithinScope) {
  store::CursorCodec codec("k0123456789abcdef0123456789abcdef");
  const std::string token = codec.encode("audit-log|{}", boost::json::array{42});
  auto keys = codec.decode("audit-log|{}", token);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->at(0).as_int64(), 42);
}

TEST(CursorCodec, RefusesForgedForeignAndGarbledCursors) {
  store::CursorCodec codec("k0123456789abcdef0123456789abcdef");
  store::CursorCodec other("another-key-0123456789abcdef012345");
  const std::string token = codec.encode("audit-log|{}", boost::json::array{42});
  EXPECT_FALSE(codec.decode("rules|{}", token));                      // another list
  EXPECT_FALSE(codec.decode("audit-log|{\"action\":\"X\"}", token));  // other filters
  EXPECT_FALSE(other.decode("audit-log|{}", token));                  // other key
  std::string edited = token;
  edited[1] = edited[1] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(codec.decode("audit-log|{}", edited));
  for (const char* bad : {"", ".", "abc", "abc.def", "eyJpZCI6IDF9", "W10.", "!!!.???", "W10.W10.W10"}) {
    auto r = codec.decode("audit-log|{}", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kBadRequest);
  }
  EXPECT_FALSE(codec.decode("audit-log|{}", std::string(5000, 'A')));
}

TEST(AssemblePage, ForwardAndBackwardFlags) {
  store::CursorCodec codec("k0123456789abcdef0123456789abcdef");
  auto key = [](int v) { return boost::json::array{v}; };
  // First page: 4 rows fetched for limit 3.
  auto first =
      store::assemblePage(std::vector<int>{10, 9, 8, 7}, {std::nullopt, store::Direction::kNext, 3}, key, codec, "s");
  EXPECT_EQ(first.items, (std::vector<int>{10, 9, 8}));
  EXPECT_TRUE(first.has_next);
  EXPECT_FALSE(first.has_prev);
  EXPECT_TRUE(first.next_cursor);
  EXPECT_FALSE(first.prev_cursor);
  // Backwards from a cursor: rows arrive ascending and come out newest first.
  auto back = store::assemblePage(std::vector<int>{8, 9, 10}, {boost::json::array{7}, store::Direction::kPrev, 3}, key,
                                  codec, "s");
  EXPECT_EQ(back.items, (std::vector<int>{10, 9, 8}));
  EXPECT_FALSE(back.has_prev);
  EXPECT_TRUE(back.has_next);
  // Empty page: no flags, no cursors.
  auto empty =
      store::assemblePage(std::vector<int>{}, {boost::json::array{1}, store::Direction::kNext, 3}, key, codec, "s");
  EXPECT_FALSE(empty.has_next || empty.has_prev || empty.next_cursor || empty.prev_cursor);
}

}  // namespace fraudgov
