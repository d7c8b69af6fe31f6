#include "compiler/ast_arena.h"

#include <boost/json/memory_resource.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace fraudgov::compiler {

namespace {

// Bump allocation in fixed 64 KiB blocks. Fixed and small on purpose: blocks below the C
// library's mmap threshold come from (and go back to) the ordinary heap, so the next compile
// reuses warm pages instead of faulting in fresh ones, which monotonic_resource's geometrically
// growing blocks did.
class SynchronizedArena final : public boost::json::memory_resource {
 private:
  static constexpr std::size_t kBlockBytes = 64 * 1024;

  void* do_allocate(std::size_t bytes, std::size_t align) override {
    std::lock_guard lock(mutex_);
    if (void* p = bump(bytes, align)) return p;
    if (bytes + align > kBlockBytes / 4) return alignUp(newBlock(bytes + align), align);
    next_ = newBlock(kBlockBytes);
    end_ = next_ + kBlockBytes;
    return bump(bytes, align);
  }
  void do_deallocate(void*, std::size_t, std::size_t) override {}  // all of it goes with the arena
  bool do_is_equal(const boost::json::memory_resource& other) const noexcept override { return this == &other; }

  static std::byte* alignUp(std::byte* p, std::size_t align) {
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    return p + ((align - address % align) % align);
  }

  void* bump(std::size_t bytes, std::size_t align) {
    if (next_ == nullptr) return nullptr;
    std::byte* p = alignUp(next_, align);
    if (p > end_ || static_cast<std::size_t>(end_ - p) < bytes) return nullptr;
    next_ = p + bytes;
    return p;
  }

  std::byte* newBlock(std::size_t bytes) {
    blocks_.emplace_back(new std::byte[bytes]);  // uninitialized: touching it would fault every page in
    return blocks_.back().get();
  }

  std::mutex mutex_;
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
};

}  // namespace

boost::json::storage_ptr makeAstArena() { return boost::json::make_shared_resource<SynchronizedArena>(); }

}  // namespace fraudgov::compiler
