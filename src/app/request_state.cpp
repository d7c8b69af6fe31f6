#include "app/request_state.h"

namespace fraudgov::app {

RequestState& requestState(http::Request& request) {
  if (auto* state = std::any_cast<RequestState>(&request.app_state)) return *state;
  return request.app_state.emplace<RequestState>();
}

}  // namespace fraudgov::app
