#pragma once
// Validation findings with the JSON path of the node each one is about. The walk keeps one
// Diagnostics object; entering a member or an element extends the current path for the
// lifetime of a Segment, so callers never build path strings themselves.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace fraudgov::compiler {

class Diagnostics {
 public:
  // Restores the path to what it was when the segment was entered.
  class Segment {
   public:
    Segment(Diagnostics& owner, std::size_t restore) : owner_(&owner), restore_(restore) {}
    Segment(const Segment&) = delete;
    Segment& operator=(const Segment&) = delete;
    ~Segment() { owner_->path_.resize(restore_); }

   private:
    Diagnostics* owner_;
    std::size_t restore_;
  };

  explicit Diagnostics(std::size_t max_errors) : max_errors_(max_errors) {}

  [[nodiscard]] Segment member(std::string_view key);                  // .key
  [[nodiscard]] Segment element(std::string_view key, std::size_t i);  // .key[i]
  [[nodiscard]] Segment index(std::size_t i);                          // [i]

  const std::string& path() const { return path_; }

  // Records a finding at the current path.
  void report(std::string message);
  // Records a finding and ends the walk: used for limits, where going on would cost unbounded work.
  void abort(std::string message);
  // The walk should not look at more nodes: too many findings already, or a limit was hit.
  bool stopped() const { return aborted_ || errors_.size() >= max_errors_; }
  bool empty() const { return errors_.empty(); }

  // kValidation "Invalid condition tree: <first> at <path>" with details.errors [{path, message}].
  Error toError() const;

 private:
  struct Finding {
    std::string path;
    std::string message;
  };

  std::string path_ = "$";
  std::vector<Finding> errors_;
  std::size_t max_errors_;
  bool aborted_ = false;
  bool truncated_ = false;
};

}  // namespace fraudgov::compiler
