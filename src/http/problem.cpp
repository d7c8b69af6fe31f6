#include "http/problem.h"

#include <boost/json/serialize.hpp>

namespace fraudgov::http {

namespace {

struct ProblemKind {
  unsigned status;
  std::string_view error_name;
  std::string_view slug;
  std::string_view title;
};

ProblemKind kindFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return {400, "BadRequestError", "bad-request", "Bad Request"};
    case ErrorCode::kValidation:
      return {422, "ValidationError", "validation", "Unprocessable Content"};
    case ErrorCode::kUnauthenticated:
      return {401, "UnauthorizedError", "unauthorized", "Unauthorized"};
    case ErrorCode::kForbidden:
      return {403, "ForbiddenError", "forbidden", "Forbidden"};
    case ErrorCode::kNotFound:
      return {404, "NotFoundError", "not-found", "Not Found"};
    case ErrorCode::kMethodNotAllowed:
      return {405, "MethodNotAllowed", "method-not-allowed", "Method Not Allowed"};
    case ErrorCode::kConflict:
      return {409, "ConflictError", "conflict", "Conflict"};
    case ErrorCode::kMakerChecker:
      return {409, "MakerCheckerViolation", "maker-checker", "Conflict"};
    case ErrorCode::kConcurrentModification:
      return {409, "ConcurrentModificationError", "concurrent-modification", "Conflict"};
    case ErrorCode::kCompilation:
      return {422, "CompilationError", "compilation", "Unprocessable Content"};
    case ErrorCode::kPayloadTooLarge:
      return {413, "RequestTooLarge", "request-too-large", "Content Too Large"};
    case ErrorCode::kHeaderTooLarge:
      return {431, "RequestHeaderFieldsTooLarge", "header-too-large", "Request Header Fields Too Large"};
    case ErrorCode::kUnsupportedMediaType:
      return {415, "UnsupportedMediaType", "unsupported-media-type", "Unsupported Media Type"};
    case ErrorCode::kRateLimited:
      return {429, "RateLimitExceeded", "rate-limited", "Too Many Requests"};
    case ErrorCode::kUnavailable:
      return {503, "ServiceUnavailable", "unavailable", "Service Unavailable"};
    case ErrorCode::kTimeout:
      return {408, "RequestTimeout", "request-timeout", "Request Timeout"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "InternalServerError", "internal", "Internal Server Error"};
}

}  // namespace

unsigned statusFor(ErrorCode code) { return kindFor(code).status; }
std::string_view errorNameFor(ErrorCode code) { return kindFor(code).error_name; }

Response problemResponse(const Error& error, std::string_view request_id, const boost::json::object& extensions) {
  const ProblemKind kind = kindFor(error.code);
  // Internal errors never echo their message: it may hold SQL or library text.
  const std::string message =
      error.code == ErrorCode::kInternal ? std::string("An unexpected error occurred") : error.message;
  boost::json::object body;
  body["type"] = std::string("https://fraudgov.dev/problems/") + std::string(kind.slug);
  body["title"] = kind.title;
  body["status"] = kind.status;
  body["detail"] = message;
  body["error"] = kind.error_name;
  body["message"] = message;
  body["details"] = error.code == ErrorCode::kInternal ? boost::json::object{} : error.details;
  body["request_id"] = request_id;
  for (const auto& kv : extensions) {
    if (!body.contains(kv.key())) body[kv.key()] = kv.value();
  }
  Response r;
  r.status = kind.status;
  r.headers.set("Content-Type", "application/problem+json");
  r.body = boost::json::serialize(body);
  if (error.retry_after_seconds > 0) r.headers.set("Retry-After", std::to_string(error.retry_after_seconds));
  if (error.code == ErrorCode::kUnauthenticated) r.headers.set("WWW-Authenticate", "Bearer realm=\"fraudgov\"");
  if (error.code == ErrorCode::kMethodNotAllowed) {
    if (const auto allow = error.details.if_contains("allow"); allow && allow->is_string()) {
      r.headers.set("Allow", std::string(allow->as_string()));
    }
  }
  return r;
}

}  // namespace fraudgov::http
