#include "api/request_state.h"

namespace fraudgov::api {

RequestState& requestState(http::Request& request) {
  if (auto* state = std::any_cast<RequestState>(&request.app_state)) return *state;
  return request.app_state.emplace<RequestState>();
}

}  // namespace fraudgov::api
