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
    case ErrorCode::kMalformed:
      return {400, "BadRequestError", "bad-request", "Bad Request"};
    case ErrorCode::kInvalidArgument:
      return {422, "ValidationError", "validation", "Unprocessable Content"};
    case ErrorCode::kUnsupportedFormat:
      return {415, "UnsupportedMediaType", "unsupported-media-type", "Unsupported Media Type"};
    case ErrorCode::kUnauthenticated:
      return {401, "UnauthorizedError", "unauthorized", "Unauthorized"};
    case ErrorCode::kPermissionDenied:
      return {403, "ForbiddenError", "forbidden", "Forbidden"};
    case ErrorCode::kNotFound:
      return {404, "NotFoundError", "not-found", "Not Found"};
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return {409, "ConflictError", "conflict", "Conflict"};
    case ErrorCode::kSeparationOfDuties:
      return {409, "MakerCheckerViolation", "maker-checker", "Conflict"};
    case ErrorCode::kAborted:
      return {409, "ConcurrentModificationError", "concurrent-modification", "Conflict"};
    case ErrorCode::kCompilationFailed:
      return {422, "CompilationError", "compilation", "Unprocessable Content"};
    case ErrorCode::kResourceExhausted:
      return {429, "RateLimitExceeded", "rate-limited", "Too Many Requests"};
    case ErrorCode::kUnavailable:
      return {503, "ServiceUnavailable", "unavailable", "Service Unavailable"};
    case ErrorCode::kDeadlineExceeded:
      return {503, "ServiceUnavailable", "deadline-exceeded", "Service Unavailable"};
    case ErrorCode::kStorageUnavailable:
      return {503, "StorageUnavailable", "storage-unavailable", "Service Unavailable"};
    case ErrorCode::kUnimplemented:
      return {501, "NotImplemented", "not-implemented", "Not Implemented"};
    case ErrorCode::kDataLoss:
      return {500, "InternalServerError", "stored-data", "Internal Server Error"};
    case ErrorCode::kInternal:
      break;
  }
  return {500, "InternalServerError", "internal", "Internal Server Error"};
}

ProblemKind kindFor(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::kMalformed:
      break;
    case RefusalKind::kMethodNotAllowed:
      return {405, "MethodNotAllowed", "method-not-allowed", "Method Not Allowed"};
    case RefusalKind::kRequestTimeout:
      return {408, "RequestTimeout", "request-timeout", "Request Timeout"};
    case RefusalKind::kBodyTooLarge:
      return {413, "RequestTooLarge", "request-too-large", "Content Too Large"};
    case RefusalKind::kHeaderTooLarge:
      return {431, "RequestHeaderFieldsTooLarge", "header-too-large", "Request Header Fields Too Large"};
    case RefusalKind::kNotImplemented:
      return {501, "NotImplemented", "not-implemented", "Not Implemented"};
  }
  return {400, "BadRequestError", "bad-request", "Bad Request"};
}

Response render(const ProblemKind& kind, const std::string& message, const boost::json::object& details,
                std::string_view request_id, const boost::json::object& extensions) {
  boost::json::object body;
  body["type"] = std::string("https://fraudgov.dev/problems/") + std::string(kind.slug);
  body["title"] = kind.title;
  body["status"] = kind.status;
  body["detail"] = message;
  body["error"] = kind.error_name;
  body["message"] = message;
  body["details"] = details;
  body["request_id"] = request_id;
  for (const auto& kv : extensions) {
    if (!body.contains(kv.key())) body[kv.key()] = kv.value();
  }
  Response r;
  r.status = kind.status;
  r.headers.set("Content-Type", "application/problem+json");
  r.body = boost::json::serialize(body);
  return r;
}

}  // namespace

unsigned statusFor(ErrorCode code) { return kindFor(code).status; }
unsigned statusFor(RefusalKind kind) { return kindFor(kind).status; }
std::string_view errorNameFor(ErrorCode code) { return kindFor(code).error_name; }

Response problemResponse(const Error& error, std::string_view request_id, const boost::json::object& extensions) {
  // 500-class errors never echo their message or details: they may hold SQL or library text.
  const bool opaque = error.code == ErrorCode::kInternal || error.code == ErrorCode::kDataLoss;
  const std::string message = opaque ? std::string("An unexpected error occurred") : error.message;
  Response r = render(kindFor(error.code), message, opaque ? boost::json::object{} : error.details, request_id,
                      extensions);
  if (error.retry_after_seconds > 0) r.headers.set("Retry-After", std::to_string(error.retry_after_seconds));
  if (opaque) r.log_detail = error.internal_detail;
  if (error.code == ErrorCode::kUnauthenticated) r.headers.set("WWW-Authenticate", "Bearer realm=\"fraudgov\"");
  return r;
}

Response problemResponse(const Refusal& refusal, std::string_view request_id) {
  boost::json::object details;
  if (!refusal.allow.empty()) details["allow"] = refusal.allow;
  Response r = render(kindFor(refusal.kind), refusal.message, details, request_id, {});
  if (!refusal.allow.empty()) r.headers.set("Allow", refusal.allow);
  return r;
}

}  // namespace fraudgov::http
