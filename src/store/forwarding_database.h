#pragma once
// A Database that hands every call to the one it wraps: the base of decorators that watch some
// calls (store/observed_database.h, the write benchmark's lock timer), so an interface change is
// one edit here rather than one per decorator.

#include <memory>

#include "store/database.h"

namespace fraudgov::store {

class ForwardingDatabase : public Database {
 public:
  explicit ForwardingDatabase(std::unique_ptr<Database> inner) : inner_(std::move(inner)) {}

  Dialect dialect() const override { return inner_->dialect(); }
  Status write(const std::function<Status(SqlSession&)>& work) override { return inner_->write(work); }
  Status read(const std::function<Status(SqlSession&)>& work) override { return inner_->read(work); }
  Status withSession(const std::function<Status(SqlSession&)>& work) override { return inner_->withSession(work); }
  Status checkReady(Deadline deadline) override { return inner_->checkReady(deadline); }
  PoolStats poolStats() const override { return inner_->poolStats(); }
  std::optional<std::uint64_t> changeStamp() override { return inner_->changeStamp(); }
  Result<std::unique_ptr<NamedLock>> lockNamed(std::string_view name, Deadline deadline) override {
    return inner_->lockNamed(name, deadline);
  }

  Database& inner() { return *inner_; }

 private:
  std::unique_ptr<Database> inner_;
};

}  // namespace fraudgov::store
