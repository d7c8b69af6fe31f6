#pragma once
// The one place where an Error becomes an HTTP status: RFC 9457 problem+json that also keeps
// the predecessor's error/message/details members for existing clients.

#include "common/error.h"
#include "http/message.h"

namespace fraudgov::http {

unsigned statusFor(ErrorCode code);
// The predecessor's error type name, e.g. NotFoundError, MakerCheckerViolation.
std::string_view errorNameFor(ErrorCode code);

// extensions: extra members (RFC 9457 §3.2), e.g. the readiness report on a 503.
Response problemResponse(const Error& error, std::string_view request_id, const boost::json::object& extensions = {});

}  // namespace fraudgov::http
