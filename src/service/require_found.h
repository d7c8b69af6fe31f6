#pragma once
// A lookup that must find what it looks for: "not found" is the caller's own error, made only
// when needed.

#include <optional>
#include <utility>

#include "common/error.h"

namespace fraudgov::service {

template <class T, class Missing>
Result<T> requireFound(Result<std::optional<T>> lookup, Missing missing) {
  if (!lookup) return fail(std::move(lookup.error()));
  if (!*lookup) return fail(missing());
  return std::move(**lookup);
}

}  // namespace fraudgov::service
