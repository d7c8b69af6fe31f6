#include "service/paging.h"

#include <gtest/gtest.h>

namespace fraudgov {

TEST(CursorCodec, RoundTripsWithinScope) {
  service::CursorCodec codec("k0123456789abcdef0123456789abcdef");
  const std::string token = codec.encode("audit-log|{}", boost::json::array{42});
  auto keys = codec.decode("audit-log|{}", token);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->at(0).as_int64(), 42);
}

TEST(CursorCodec, RefusesForgedForeignAndGarbledCursors) {
  service::CursorCodec codec("k0123456789abcdef0123456789abcdef");
  service::CursorCodec other("another-key-0123456789abcdef012345");
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
    EXPECT_EQ(r.error().code, ErrorCode::kMalformed);
  }
  EXPECT_FALSE(codec.decode("audit-log|{}", std::string(5000, 'A')));
}

// The store is asked for limit + 1 rows; the paginator trims, orders and sets flags and cursors.
TEST(Paginator, ForwardAndBackwardFlags) {
  service::CursorCodec codec("k0123456789abcdef0123456789abcdef");
  service::Paginator paging(codec);
  auto keyOf = [](std::int64_t v) { return v; };
  std::optional<store::SeqBounds> asked;
  auto rows = [&asked](std::vector<std::int64_t> out) {
    return [&asked, out](const store::SeqBounds& b) -> Result<std::vector<std::int64_t>> {
      asked = b;
      return out;
    };
  };
  // First page: 4 rows fetched for limit 3.
  auto first = paging.page<std::int64_t>("s", {}, {"", service::Direction::kNext, 3}, rows({10, 9, 8, 7}), keyOf);
  ASSERT_TRUE(first);
  EXPECT_FALSE(asked->after);
  EXPECT_EQ(asked->limit, 3);
  EXPECT_EQ(first->items, (std::vector<std::int64_t>{10, 9, 8}));
  EXPECT_TRUE(first->has_next);
  EXPECT_FALSE(first->has_prev);
  ASSERT_TRUE(first->next_cursor);
  EXPECT_FALSE(first->prev_cursor);
  // Backwards from a cursor: rows arrive ascending and come out newest first.
  auto back = paging.page<std::int64_t>("s", {}, {*first->next_cursor, service::Direction::kPrev, 3},
                                        rows({8, 9, 10}), keyOf);
  ASSERT_TRUE(back);
  EXPECT_EQ(asked->after, 8);
  EXPECT_TRUE(asked->backwards);
  EXPECT_EQ(back->items, (std::vector<std::int64_t>{10, 9, 8}));
  EXPECT_FALSE(back->has_prev);
  EXPECT_TRUE(back->has_next);
  // Empty page: no flags, no cursors.
  auto empty =
      paging.page<std::int64_t>("s", {}, {*first->next_cursor, service::Direction::kNext, 3}, rows({}), keyOf);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_next || empty->has_prev || empty->next_cursor || empty->prev_cursor);
  // A cursor of another list, or with other filters, is refused before the store is asked.
  asked.reset();
  auto foreign = paging.page<std::int64_t>("t", {}, {*first->next_cursor, service::Direction::kNext, 3}, rows({}), keyOf);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kMalformed);
  auto refiltered = paging.page<std::int64_t>("s", {{"status", "DRAFT"}}, {*first->next_cursor, service::Direction::kNext, 3},
                                              rows({}), keyOf);
  EXPECT_FALSE(refiltered);
  EXPECT_FALSE(asked);
}

TEST(Paginator, CursorKeysOfTheWrongShapeAreBadCursors) {
  store::TimeIdKey time_id;
  std::int64_t seq = 0;
  EXPECT_FALSE(service::keyFromCursor(boost::json::array{1}, time_id));
  EXPECT_FALSE(service::keyFromCursor(boost::json::array{"not-a-time", "id"}, time_id));
  EXPECT_FALSE(service::keyFromCursor(boost::json::array{"x"}, seq));
  ASSERT_TRUE(service::keyFromCursor(service::cursorKey(store::TimeIdKey{Timestamp{1}, "abc"}), time_id));
  EXPECT_EQ(time_id.id, "abc");
  EXPECT_EQ(time_id.created_at.micros, 1);
}

}  // namespace fraudgov
