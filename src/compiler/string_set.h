#pragma once
// The operand set of a STRING IN/NOT_IN leaf: exact byte equality, looked up without copying the
// transaction's string. Small sets (the common case: a few currencies or countries) are scanned,
// which beats hashing; larger ones are hashed.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace fraudgov::compiler {

class StringSet {
 public:
  void insert(std::string value) {
    if (contains(value)) return;
    if (hashed_.empty() && small_.size() < kScanLimit) {
      small_.push_back(std::move(value));
      return;
    }
    for (auto& s : small_) hashed_.insert(std::move(s));
    small_.clear();
    hashed_.insert(std::move(value));
  }

  bool contains(std::string_view value) const {
    if (hashed_.empty()) return std::find(small_.begin(), small_.end(), value) != small_.end();
    return hashed_.find(value) != hashed_.end();
  }

  std::size_t size() const { return small_.size() + hashed_.size(); }

 private:
  static constexpr std::size_t kScanLimit = 8;

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<std::string> small_;
  std::unordered_set<std::string, Hash, std::equal_to<>> hashed_;
};

}  // namespace fraudgov::compiler
