#pragma once
// The JSON Lines input of `fraudgov evaluate`: one transaction object per line, blank lines
// skipped. Each line is parsed strictly (duplicate keys refused), like every untrusted input.

#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::app::commands {

struct TransactionLine {
  std::size_t index = 0;  // 0-based line index in the file (blank lines count)
  boost::json::object transaction;
};

// Calls `each` for every non-blank line in order; stops at the first malformed one with
// kValidation "line <index + 1>: <problem>".
Status forEachTransaction(std::string_view text, const std::function<Status(const TransactionLine&)>& each);

// The transaction's "transaction_id" when it is a string, else its line index.
std::string transactionId(const TransactionLine& line);

}  // namespace fraudgov::app::commands
