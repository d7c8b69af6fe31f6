// The pool never lets a caller wait past its deadline, hands every lease that deadline, and never
// gives out a connection that came back broken.
#include "store/connection_pool.h"

#include <gtest/gtest.h>

namespace fraudgov::store {

using namespace std::chrono_literals;

namespace {

struct FakeConnection {
  int id = 0;
  bool is_broken = false;
  Deadline deadline = Deadline::after(0ms);
  bool broken() const { return is_broken; }
  void setDeadline(Deadline d) { deadline = d; }
};

ConnectionPool<FakeConnection> pool(std::size_t capacity, int& made) {
  return ConnectionPool<FakeConnection>(capacity, [&made](const Deadline&) -> Result<std::unique_ptr<FakeConnection>> {
    auto c = std::make_unique<FakeConnection>();
    c->id = ++made;
    return c;
  });
}

}  // namespace

TEST(ConnectionPool, AcquireGivesUpAtTheDeadline) {
  int made = 0;
  auto p = pool(1, made);
  auto held = p.acquire(Deadline::after(1s));
  ASSERT_TRUE(held);
  const auto started = std::chrono::steady_clock::now();
  auto waited = p.acquire(Deadline::after(50ms));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_GT(waited.error().retry_after_seconds, 0);
  EXPECT_GE(elapsed, 50ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(p.stats().waits_timed_out, 1u);
}

TEST(ConnectionPool, EveryLeaseCarriesItsCallersDeadline) {
  int made = 0;
  auto p = pool(1, made);
  const auto first = Deadline::after(1s);
  { auto lease = p.acquire(first); ASSERT_TRUE(lease); EXPECT_EQ((**lease).deadline.when(), first.when()); }
  const auto second = Deadline::after(2s);
  auto lease = p.acquire(second);
  ASSERT_TRUE(lease);
  EXPECT_EQ((**lease).id, 1);  // reused
  EXPECT_EQ((**lease).deadline.when(), second.when());
}

TEST(ConnectionPool, ABrokenConnectionIsDroppedNotReused) {
  int made = 0;
  auto p = pool(1, made);
  {
    auto lease = p.acquire(Deadline::after(1s));
    ASSERT_TRUE(lease);
    (**lease).is_broken = true;  // e.g. a statement passed its deadline
  }
  EXPECT_EQ(p.stats().size, 0u);
  auto lease = p.acquire(Deadline::after(1s));
  ASSERT_TRUE(lease);
  EXPECT_EQ((**lease).id, 2);
}

}  // namespace fraudgov::store
