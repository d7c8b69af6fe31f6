#pragma once
// The closed set of failure kinds every module reports, and the Result type that carries them.
// Codes are canonical and transport-free (in the spirit of Abseil's status codes); only the HTTP
// edge (http/problem.cpp) turns them into status codes. Refusals that exist only in HTTP itself
// (405, 408, 413, 431, bad framing) are http::Refusal, not errors of the domain.
//
// An Error carries what a client may see (message, details) apart from what only the log may see
// (internal_detail): constraint names, SQL states, table and column names, library text.

#include <boost/json/object.hpp>
#include <string>
#include <tl/expected.hpp>

namespace fraudgov {

enum class ErrorCode {
  kMalformed,           // input that cannot be parsed: bad JSON, cursor, query parameter syntax
  kInvalidArgument,     // well-formed input that breaks a rule
  kUnsupportedFormat,   // input in a representation we do not accept (e.g. not JSON)
  kUnauthenticated,     // missing or invalid credentials
  kPermissionDenied,    // authenticated but not allowed
  kNotFound,            //
  kAlreadyExists,       // an entity with the same identity exists
  kFailedPrecondition,  // the entity's state does not allow the operation
  kSeparationOfDuties,  // maker-checker: the same person may not make and check
  kAborted,             // concurrent modification: refresh and retry
  kCompilationFailed,   // a ruleset cannot be compiled
  kResourceExhausted,   // a rate limit
  kUnavailable,         // a dependency (database, identity provider, object store) is down
  kDeadlineExceeded,    // a dependency did not answer in time
  kStorageUnavailable,  // the database cannot write: disk full, read-only or failing storage
  kUnimplemented,       // a feature of the input we deliberately do not support
  kDataLoss,            // stored data that cannot be decoded: corruption or tampering
  kInternal,            // a bug
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;          // public
  boost::json::object details;  // public, structured
  std::string internal_detail;  // log only; never rendered into a response
  // For kResourceExhausted, kUnavailable, kDeadlineExceeded and kStorageUnavailable: when the client may retry (0 = unspecified).
  int retry_after_seconds = 0;

  static Error make(ErrorCode code, std::string message, boost::json::object details = {}) {
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.details = std::move(details);
    return e;
  }
  static Error malformed(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kMalformed, std::move(m), std::move(d));
  }
  static Error validation(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kInvalidArgument, std::move(m), std::move(d));
  }
  static Error unsupportedFormat(std::string m) { return make(ErrorCode::kUnsupportedFormat, std::move(m)); }
  static Error unauthenticated() { return make(ErrorCode::kUnauthenticated, "Invalid or expired token"); }
  static Error permissionDenied() { return make(ErrorCode::kPermissionDenied, "Insufficient permissions"); }
  static Error notFound(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kNotFound, std::move(m), std::move(d));
  }
  static Error alreadyExists(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kAlreadyExists, std::move(m), std::move(d));
  }
  static Error conflict(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kFailedPrecondition, std::move(m), std::move(d));
  }
  static Error separationOfDuties(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kSeparationOfDuties, std::move(m), std::move(d));
  }
  static Error concurrentModification(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kAborted, std::move(m), std::move(d));
  }
  static Error compilation(std::string m, boost::json::object d = {}) {
    return make(ErrorCode::kCompilationFailed, std::move(m), std::move(d));
  }
  static Error rateLimited(std::string m, int retry_after) {
    return withRetry(make(ErrorCode::kResourceExhausted, std::move(m)), retry_after);
  }
  static Error unavailable(std::string m, int retry_after = 0) {
    return withRetry(make(ErrorCode::kUnavailable, std::move(m)), retry_after);
  }
  static Error deadlineExceeded(std::string m, int retry_after = 0) {
    return withRetry(make(ErrorCode::kDeadlineExceeded, std::move(m)), retry_after);
  }
  static Error storageUnavailable(std::string m, int retry_after = 0) {
    return withRetry(make(ErrorCode::kStorageUnavailable, std::move(m)), retry_after);
  }
  static Error unimplemented(std::string m) { return make(ErrorCode::kUnimplemented, std::move(m)); }
  // The public message of these two is fixed; `internal_detail` goes to the log only.
  static Error dataLoss(std::string internal_detail) {
    return withInternal(make(ErrorCode::kDataLoss, "Stored data could not be read"), std::move(internal_detail));
  }
  static Error internal(std::string internal_detail) {
    return withInternal(make(ErrorCode::kInternal, "An unexpected error occurred"), std::move(internal_detail));
  }

  // Adds log-only context (e.g. a constraint name) to any error.
  Error withInternalDetail(std::string detail) && {
    internal_detail = std::move(detail);
    return std::move(*this);
  }

 private:
  static Error withRetry(Error e, int retry_after) {
    e.retry_after_seconds = retry_after;
    return e;
  }
  static Error withInternal(Error e, std::string detail) {
    e.internal_detail = std::move(detail);
    return e;
  }
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
