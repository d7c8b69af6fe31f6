#include "common/time.h"

#include <gtest/gtest.h>

namespace fraudgov {

TEST(Time, FormatsIso) {
  EXPECT_EQ(formatIso({0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatIso({1'768'473'000'123'456}), "2026-01-15T10:30:00.123456Z");
  EXPECT_EQ(formatIsoFixed({1'768'473'000'000'000}), "2026-01-15T10:30:00.000000Z");
}

TEST(Time, ParsesTheAcceptedForms) {
  const Timestamp t{1'768'473'000'123'456};
  EXPECT_EQ(parseIso("2026-01-15T10:30:00.123456Z"), t);
  EXPECT_EQ(parseIso("2026-01-15 10:30:00.123456+00:00"), t);
  EXPECT_EQ(parseIso("2026-01-15T12:30:00.123456+02:00"), t);
  EXPECT_EQ(parseIso("2026-01-15T10:30:00.123456789"), t);  // no offset: UTC; nanoseconds truncated
  EXPECT_EQ(parseIso("2026-01-15"), Timestamp{1'768'435'200'000'000});
  EXPECT_EQ(parseIso("2026-01-15T10:30Z"), Timestamp{1'768'473'000'000'000});
  EXPECT_EQ(parseIso("2026-01-15 10:30:00+0000"), Timestamp{1'768'473'000'000'000});
}

TEST(Time, RefusesInvalidDates) {
  for (const char* bad : {"", "invalid-date", "2026-13-01", "2026-02-30", "2025-02-29", "2026-01-15T25:00:00Z",
                          "2026-01-15T10:30:00.Z", "2026-01-15T10:30:00Zjunk", "2026-1-5", "20260115"}) {
    EXPECT_FALSE(parseIso(bad)) << bad;
  }
  EXPECT_TRUE(parseIso("2024-02-29"));
}

TEST(Time, RoundTrips) {
  for (std::int64_t us : {0LL, 1LL, 951'782'400'000'000LL, 4'102'444'799'999'999LL, -1LL}) {
    EXPECT_EQ(parseIso(formatIsoFixed({us})), Timestamp{us}) << us;
  }
}

}  // namespace fraudgov
