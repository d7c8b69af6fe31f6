#pragma once
// The one place REGEX operands are compiled, so the validator and the evaluator agree on what a
// pattern means and on its resource bounds. RE2 guarantees linear-time matching and has no
// backreferences or lookaround; patterns using them fail to compile and are refused.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/error.h"

namespace re2 {
class RE2;
}

namespace fraudgov::compiler {

// Memory RE2 may use for one compiled pattern (program plus DFA cache). Compile time grows with
// it (about 20 us per KiB for patterns that hit the budget), so it is kept small: 128 KiB still
// takes every realistic pattern, "^.{0,512}$" and "^[^@]{1,64}@[^@]{1,255}$" included, and caps a
// hostile one at about 2.5 ms. TreeLimits::max_regex_leaves caps the count per tree.
inline constexpr std::int64_t kRegexMaxMemBytes = 128 * 1024;

// Patterns compiled while validating a tree, kept so compiling it for evaluation does not pay again.
using RegexCache = std::unordered_map<std::string, std::shared_ptr<const re2::RE2>>;

// Compiles a pattern of at most max_bytes. On failure the error message says why (RE2's
// reason, or the length); it does not repeat the pattern.
Result<std::shared_ptr<const re2::RE2>> compileRegex(std::string_view pattern, std::size_t max_bytes);

}  // namespace fraudgov::compiler
