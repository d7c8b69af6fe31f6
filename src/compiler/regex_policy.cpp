#include "compiler/regex_policy.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include "compiler/text_checks.h"

namespace fraudgov::compiler {

Result<std::shared_ptr<const re2::RE2>> compileRegex(std::string_view pattern, std::size_t max_bytes) {
  if (pattern.size() > max_bytes) {
    return fail(Error::validation(fmt::format("REGEX pattern exceeds maximum length of {} bytes", max_bytes)));
  }
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  options.set_max_mem(kRegexMaxMemBytes);
  options.set_never_capture(true);  // matching is yes/no; captures only cost time
  options.set_log_errors(false);    // a client's bad pattern is not a server log event
  auto compiled = std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!compiled->ok()) {
    return fail(Error::validation(fmt::format("REGEX pattern does not compile: {}", displayText(compiled->error()))));
  }
  return std::shared_ptr<const re2::RE2>(std::move(compiled));
}

}  // namespace fraudgov::compiler
