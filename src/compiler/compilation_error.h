#pragma once
// The one place a kCompilation error (422: the ruleset cannot be compiled or published) is made.

#include <boost/json/object.hpp>
#include <string>

#include "common/error.h"

namespace fraudgov::compiler {

Error compilationError(std::string message, boost::json::object details = {});

}  // namespace fraudgov::compiler
