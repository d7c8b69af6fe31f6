#include "app/client_address.h"

namespace fraudgov::app {

std::string clientAddress(const http::Request& request) { return request.peer_address; }

}  // namespace fraudgov::app
