#pragma once
// Request inputs every governed kind shares: a UUID path parameter, and the bodies of the
// maker-checker actions (submit, approve/reject/activate).

#include <boost/json/object.hpp>
#include <string>

#include "http/message.h"
#include "service/approval_flow.h"

namespace fraudgov::api {

// An id that is not a UUID cannot name anything: 404 without echoing the input.
Result<std::string> uuidParam(const http::Request& request, std::string_view name, std::string_view what);
// {"idempotency_key"?, "remarks"?}
Result<service::SubmitInput> readSubmit(const boost::json::object& body);
// {"remarks"?, "idempotency_key"? (accepted for compatibility; the Idempotency-Key header is honoured)}
Result<service::DecisionInput> readDecision(const boost::json::object& body);

}  // namespace fraudgov::api
