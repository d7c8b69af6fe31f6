#pragma once
// The closed set of failure kinds every module reports, and the Result type that carries them.
// Modules return Result<T>; only the HTTP edge (http/problem.cpp) turns an Error into a status code.

#include <boost/json/object.hpp>
#include <string>
#include <tl/expected.hpp>

namespace fraudgov {

enum class ErrorCode {
  kBadRequest,       // malformed syntax: bad JSON, bad cursor, bad query parameter
  kValidation,       // well-formed but semantically invalid input (422)
  kUnauthenticated,  // missing or invalid credentials (401)
  kForbidden,        // authenticated but not allowed (403)
  kNotFound,
  kMethodNotAllowed,
  kConflict,                // state does not allow the operation, duplicates
  kMakerChecker,            // separation-of-duties violation (409)
  kConcurrentModification,  // optimistic lock mismatch (409)
  kCompilation,             // ruleset cannot be compiled/published (422)
  kPayloadTooLarge,
  kHeaderTooLarge,
  kUnsupportedMediaType,
  kRateLimited,
  kUnavailable,  // dependency down: database, identity provider (503)
  kTimeout,      // client too slow to send its request (408)
  kInternal,
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  boost::json::object details;
  // For kRateLimited and kUnavailable: when the client may retry (Retry-After), 0 = unspecified.
  int retry_after_seconds = 0;

  static Error badRequest(std::string m, boost::json::object d = {}) {
    return {ErrorCode::kBadRequest, std::move(m), std::move(d)};
  }
  static Error validation(std::string m, boost::json::object d = {}) {
    return {ErrorCode::kValidation, std::move(m), std::move(d)};
  }
  static Error notFound(std::string m, boost::json::object d = {}) {
    return {ErrorCode::kNotFound, std::move(m), std::move(d)};
  }
  static Error conflict(std::string m, boost::json::object d = {}) {
    return {ErrorCode::kConflict, std::move(m), std::move(d)};
  }
  static Error unavailable(std::string m, int retry_after = 0) {
    return {ErrorCode::kUnavailable, std::move(m), {}, retry_after};
  }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m), {}}; }
  static Error unauthenticated() { return {ErrorCode::kUnauthenticated, "Invalid or expired token", {}}; }
  static Error forbidden() { return {ErrorCode::kForbidden, "Insufficient permissions", {}}; }
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

}  // namespace fraudgov

// Early-return helpers in the style of ABSL_ASSIGN_OR_RETURN; keep handler code linear.
// FRAUDGOV_ASSIGN_OR_RETURN expands to several statements: always give it its own braces.
#define FRAUDGOV_CONCAT_INNER(a, b) a##b
#define FRAUDGOV_CONCAT(a, b) FRAUDGOV_CONCAT_INNER(a, b)
#define FRAUDGOV_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)       \
  auto tmp = (expr);                                         \
  if (!tmp) return ::fraudgov::fail(std::move(tmp).error()); \
  lhs = std::move(*tmp)
#define FRAUDGOV_ASSIGN_OR_RETURN(lhs, expr) \
  FRAUDGOV_ASSIGN_OR_RETURN_IMPL(FRAUDGOV_CONCAT(fraudgov_result_, __LINE__), lhs, expr)
#define FRAUDGOV_RETURN_IF_ERROR(expr)                                                   \
  do {                                                                                   \
    auto fraudgov_status_ = (expr);                                                      \
    if (!fraudgov_status_) return ::fraudgov::fail(std::move(fraudgov_status_).error()); \
  } while (false)
