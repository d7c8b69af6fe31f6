#include "compiler/ast_arena.h"

#include <boost/json/memory_resource.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <mutex>

namespace fraudgov::compiler {

namespace {

class SynchronizedArena final : public boost::json::memory_resource {
 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    std::lock_guard lock(mutex_);
    return arena_.allocate(bytes, align);
  }
  void do_deallocate(void*, std::size_t, std::size_t) override {}  // all of it goes with the arena
  bool do_is_equal(const boost::json::memory_resource& other) const noexcept override { return this == &other; }

  std::mutex mutex_;
  boost::json::monotonic_resource arena_{64 * 1024};
};

}  // namespace

boost::json::storage_ptr makeAstArena() { return boost::json::make_shared_resource<SynchronizedArena>(); }

}  // namespace fraudgov::compiler
