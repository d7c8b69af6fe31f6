#pragma once
// Which transactions a rule applies to, from its scope object.
//
// Semantics: every scope dimension must be satisfied. A dimension {"country":"US"} needs the
// transaction's member "country" to be the string "US"; {"country":["US","CA"]} needs it to be
// one of the listed strings (an empty list is satisfied by nothing). An absent member, JSON null
// or a non-string value satisfies no dimension. Comparison is exact bytes, like STRING leaves.
// An empty scope applies to every transaction.

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "compiler/string_set.h"

namespace fraudgov::compiler {

class ScopeMatcher {
 public:
  ScopeMatcher() = default;  // empty scope: applies to everything
  // The scope must have passed domain::checkScope (values are strings or lists of strings).
  explicit ScopeMatcher(const boost::json::object& scope);

  bool applies(const boost::json::object& transaction) const;

 private:
  std::vector<std::pair<std::string, StringSet>> dimensions_;
};

}  // namespace fraudgov::compiler
