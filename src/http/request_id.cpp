#include "http/request_id.h"

#include "common/uuid.h"

namespace fraudgov::http {

std::string generateRequestId() { return uuid::v4(); }

std::string sanitizeClientRequestId(std::string_view inbound) {
  std::string out;
  const std::string_view bounded = inbound.substr(0, kMaxClientRequestIdLength);
  out.reserve(bounded.size());
  // Visible ASCII only: no CR/LF or other controls (log forging), no bytes a terminal or log
  // viewer would interpret, nothing that is not valid UTF-8 in a JSON log line.
  for (const char c : bounded) out.push_back(c >= '!' && c <= '~' ? c : '?');
  return out;
}

Middleware requestIdMiddleware() {
  return [](Request& request, const Next& next) {
    request.request_id = generateRequestId();
    if (const auto inbound = request.headers.get("X-Request-ID")) {
      request.client_request_id = sanitizeClientRequestId(*inbound);
    }
    Response response = next(request);
    response.headers.set("X-Request-ID", request.request_id);
    return response;
  };
}

}  // namespace fraudgov::http
