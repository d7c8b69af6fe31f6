#pragma once
// A bounded pool of connections shared by both backends: lazy connects up to capacity, waits
// for a free connection at most until the caller's Deadline (then kDeadlineExceeded, so callers
// answer 503 instead of queueing forever), hands every lease that deadline (Conn::setDeadline)
// and drops connections that report broken() when they come back: a connection whose call
// passed its deadline, or lost its server, is never reused.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/deadline.h"
#include "common/error.h"
#include "store/database.h"

namespace fraudgov::store {

template <class Conn>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>(const Deadline&)>;

  ConnectionPool(std::size_t capacity, Factory factory) : capacity_(capacity), factory_(std::move(factory)) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->release(std::move(c_));
    }
    Conn& operator*() { return *c_; }
    Conn* operator->() { return c_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Conn> c_;
  };

  Result<Lease> acquire(const Deadline& deadline) {
    std::unique_lock lock(mu_);
    const bool ready = cv_.wait_until(lock, deadline.when(), [&] { return !idle_.empty() || open_ < capacity_; });
    if (!ready) {
      ++timeouts_;
      return fail(Error::deadlineExceeded("No database connection became free in time", 1));
    }
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      c->setDeadline(deadline);
      return Lease(this, std::move(c));
    }
    ++open_;
    lock.unlock();
    auto c = factory_(deadline);
    if (!c) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
      return fail(c.error());
    }
    (*c)->setDeadline(deadline);
    return Lease(this, std::move(*c));
  }

  PoolStats stats() const {
    std::lock_guard lock(mu_);
    return {open_, open_ - idle_.size(), capacity_, timeouts_};
  }

 private:
  void release(std::unique_ptr<Conn> c) {
    const bool broken = c->broken();
    if (broken) c.reset();  // closed outside the lock
    std::lock_guard lock(mu_);
    if (broken) {
      --open_;  // dropped; the next acquire reconnects
    } else {
      idle_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  const std::size_t capacity_;
  Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::size_t open_ = 0;
  std::uint64_t timeouts_ = 0;
};

// The parts of a Database every pooled backend shares: sessions outside transactions, the
// readiness check, what storage failures mean for readiness, and pool statistics. Backends add
// their dialect and transaction boundaries, and call noteOutcome() with the result of each call.
template <class Conn>
class PooledDatabase : public Database {
 public:
  Status withSession(const std::function<Status(SqlSession&)>& work) override {
    Status status = [&]() -> Status {
      FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire(newDeadline()));
      return work(*lease);
    }();
    noteOutcome(status, false);
    return status;
  }

  Status checkReady(Deadline deadline) override {
    Status reachable = [&]() -> Status {
      FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire(deadline));
      static constexpr Sql kPing{"ping", "SELECT 1"};
      FRAUDGOV_RETURN_IF_ERROR(lease->query(kPing, {}));
      return {};
    }();
    if (!reachable) {
      noteOutcome(reachable, false);
      return reachable;
    }
    if (!storage_failing_.load(std::memory_order_acquire)) return {};
    // A write failed for storage reasons: only a write can tell whether that is over. The probe
    // rewrites one row with its own value: a real commit (WAL frame, fsync) that changes nothing.
    static constexpr Sql kWriteProbe{"readiness_write_probe",
                                     "UPDATE schema_migrations SET version = version "
                                     "WHERE version = (SELECT MAX(version) FROM schema_migrations)"};
    return writeWithin(deadline, [](SqlSession& s) -> Status {
      FRAUDGOV_RETURN_IF_ERROR(s.execute(kWriteProbe, {}));
      return {};
    });
  }

  PoolStats poolStats() const override { return pool_.stats(); }

 protected:
  PooledDatabase(const DatabaseOptions& options, typename ConnectionPool<Conn>::Factory factory)
      : pool_(options.pool_size, std::move(factory)), budget_(options.deadline) {}

  Deadline newDeadline() const { return Deadline::after(budget_); }

  // A write transaction bounded by `deadline` (write() is writeWithin(newDeadline(), ...)).
  virtual Status writeWithin(Deadline deadline, const std::function<Status(SqlSession&)>& work) = 0;

  // Readiness stays red from a storage failure until a write commits again.
  void noteOutcome(const Status& status, bool committed_write) {
    if (status) {
      if (committed_write) storage_failing_.store(false, std::memory_order_release);
    } else if (status.error().code == ErrorCode::kStorageUnavailable) {
      storage_failing_.store(true, std::memory_order_release);
    }
  }

  ConnectionPool<Conn> pool_;
  const std::chrono::milliseconds budget_;

 private:
  std::atomic<bool> storage_failing_{false};
};

}  // namespace fraudgov::store
