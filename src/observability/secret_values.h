#pragma once
// The secret values one runtime has in use (from its secret store, replaced on SIGHUP). Its
// logger masks each of them wherever it appears in a line, raw or JSON-escaped, so that even a
// library message quoting a password does not leave the process (SPEC §6.5, §7).

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fraudgov::observability {

class SecretValues {
 public:
  // Replaces the list. Values shorter than 8 characters are ignored: masking them would mangle
  // ordinary text and reveal where the short secret occurs.
  void set(std::vector<std::string> values);
  // `text` with every value masked, then the credential patterns of redactText().
  std::string redact(std::string_view text) const;

 private:
  struct Values {
    std::vector<std::string> raw;           // longest first, so no value masks part of another
    std::vector<std::string> json_escaped;  // how a value appears inside a serialized log line
  };
  std::shared_ptr<const Values> current() const;

  mutable std::mutex mu_;
  std::shared_ptr<const Values> values_ = std::make_shared<Values>();
};

}  // namespace fraudgov::observability
