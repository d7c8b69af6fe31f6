#pragma once
// Watches PostgreSQL for committed changes so read caches know when to let go. Migration 3 puts
// statement triggers on every governance table that NOTIFY `fraudgov_changes`, so whoever
// changes the data (this process, another instance, an operator with psql) is heard. One
// dedicated connection LISTENs on a background thread; every notification, every local write,
// and every loss or regain of that connection moves the stamp on. While the connection is down
// there is no stamp at all, so nothing can be served from a cache that might have missed news.

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace fraudgov::store {

class ChangeListener {
 public:
  // connect: a new connection in non-blocking mode, or nullptr (the caller logs why); owned by
  // the listener. deadline: how long LISTEN may take (as every other database call, it has one).
  ChangeListener(std::function<PGconn*()> connect, std::chrono::milliseconds deadline);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  // Starts listening on the first call (which therefore answers nullopt).
  std::optional<std::uint64_t> stamp();
  // This process committed (or may have committed) a write: readers on this instance must see
  // it at once, not when the notification comes round.
  void noteLocalWrite() { stamp_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  void run();
  bool listen(PGconn* conn);
  void waitForNotifications(PGconn* conn);
  void pause(std::chrono::milliseconds how_long);

  std::function<PGconn*()> connect_;
  std::chrono::milliseconds deadline_;
  std::once_flag started_;
  std::thread thread_;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> stamp_{0};
};

}  // namespace fraudgov::store
