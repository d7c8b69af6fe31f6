#include "app/commands/transaction_lines.h"

#include <fmt/format.h>

#include "common/json.h"

namespace fraudgov::app::commands {

namespace {

bool isBlank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

Result<boost::json::object> parseLine(std::string_view line, std::size_t index) {
  auto value = json::parseStrict(line);
  if (!value) return fail(Error::validation(fmt::format("line {}: {}", index + 1, value.error().message)));
  if (!value->is_object()) return fail(Error::validation(fmt::format("line {}: not a JSON object", index + 1)));
  return std::move(value->get_object());
}

}  // namespace

Status forEachTransaction(std::string_view text, const std::function<Status(const TransactionLine&)>& each) {
  std::size_t index = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!isBlank(line)) {
      FRAUDGOV_ASSIGN_OR_RETURN(auto transaction, parseLine(line, index));
      FRAUDGOV_RETURN_IF_ERROR(each(TransactionLine{index, std::move(transaction)}));
    }
    ++index;
  }
  return {};
}

std::string transactionId(const TransactionLine& line) {
  const auto* id = line.transaction.if_contains("transaction_id");
  if (id != nullptr && id->is_string()) return std::string(id->get_string());
  return std::to_string(line.index);
}

}  // namespace fraudgov::app::commands
