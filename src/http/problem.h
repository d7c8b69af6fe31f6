#pragma once
// The one place where an Error or a Refusal becomes an HTTP status: RFC 9457 problem+json that
// also keeps the predecessor's error/message/details members for existing clients. Internal
// detail (Error::internal_detail) is never rendered.

#include "common/error.h"
#include "http/message.h"
#include "http/refusal.h"

namespace fraudgov::http {

unsigned statusFor(ErrorCode code);
unsigned statusFor(RefusalKind kind);
// The predecessor's error type name, e.g. NotFoundError, MakerCheckerViolation.
std::string_view errorNameFor(ErrorCode code);

// extensions: extra members (RFC 9457 §3.2), e.g. the readiness report on a 503.
Response problemResponse(const Error& error, std::string_view request_id, const boost::json::object& extensions = {});
Response problemResponse(const Refusal& refusal, std::string_view request_id);

}  // namespace fraudgov::http
