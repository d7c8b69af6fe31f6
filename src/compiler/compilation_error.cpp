#include "compiler/compilation_error.h"

namespace fraudgov::compiler {

Error compilationError(std::string message, boost::json::object details) {
  return Error{ErrorCode::kCompilation, std::move(message), std::move(details)};
}

}  // namespace fraudgov::compiler
