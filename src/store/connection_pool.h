#pragma once
// A bounded pool of connections shared by both backends: lazy connects up to capacity, waits
// at most acquire_timeout (then kUnavailable, so callers answer 503 instead of queueing
// forever), and drops connections that report broken() when they come back.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/error.h"
#include "store/database.h"

namespace fraudgov::store {

template <class Conn>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

  ConnectionPool(std::size_t capacity, std::chrono::milliseconds acquire_timeout, Factory factory)
      : capacity_(capacity), acquire_timeout_(acquire_timeout), factory_(std::move(factory)) {}

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

  Result<Lease> acquire() {
    std::unique_lock lock(mu_);
    const bool ready = cv_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty() || open_ < capacity_; });
    if (!ready) {
      ++timeouts_;
      return fail(Error::unavailable("Database connection pool exhausted", 1));
    }
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;
    lock.unlock();
    auto c = factory_();
    if (!c) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
      return fail(c.error());
    }
    return Lease(this, std::move(*c));
  }

  PoolStats stats() const {
    std::lock_guard lock(mu_);
    return {open_, open_ - idle_.size(), capacity_, timeouts_};
  }

 private:
  void release(std::unique_ptr<Conn> c) {
    std::lock_guard lock(mu_);
    if (c->broken()) {
      --open_;  // dropped; the next acquire reconnects
    } else {
      idle_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  const std::size_t capacity_;
  const std::chrono::milliseconds acquire_timeout_;
  Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::size_t open_ = 0;
  std::uint64_t timeouts_ = 0;
};

// The parts of a Database every pooled backend shares: sessions outside transactions, the
// readiness ping and pool statistics. Backends add their dialect and transaction boundaries.
template <class Conn>
class PooledDatabase : public Database {
 public:
  Status withSession(const std::function<Status(SqlSession&)>& work) override {
    FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire());
    return work(*lease);
  }

  Status ping() override {
    return withSession([](SqlSession& s) -> Status {
      static constexpr Sql kPing{"ping", "SELECT 1"};
      FRAUDGOV_RETURN_IF_ERROR(s.query(kPing));
      return {};
    });
  }

  PoolStats poolStats() const override { return pool_.stats(); }

 protected:
  PooledDatabase(const DatabaseOptions& options, typename ConnectionPool<Conn>::Factory factory)
      : pool_(options.pool_size, options.acquire_timeout, std::move(factory)) {}

  ConnectionPool<Conn> pool_;
};

}  // namespace fraudgov::store
