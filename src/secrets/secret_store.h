#pragma once
// The current values of every secret the service uses, re-readable at runtime (SIGHUP) so a
// rotated token takes effect without a restart. Readers take a snapshot pointer and never block
// a reload; a reload that fails keeps the previous values.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "secrets/secret_provider.h"

namespace fraudgov::secrets {

// Names of the secrets fraudgov reads (SPEC §6.5).
namespace names {
inline constexpr const char* kCursorHmacKey = "CURSOR_HMAC_KEY";
inline constexpr const char* kHealthToken = "HEALTH_TOKEN";
inline constexpr const char* kMetricsToken = "METRICS_TOKEN";
}  // namespace names

class SecretStore {
 public:
  using Snapshot = std::map<std::string, std::string, std::less<>>;

  SecretStore(std::shared_ptr<SecretProvider> provider, std::vector<std::string> names);

  // Reads every name from the provider. On any failure nothing changes and the error names the
  // secret (never its value).
  Status reload();
  std::shared_ptr<const Snapshot> snapshot() const;
  std::optional<std::string> get(std::string_view name) const;
  // For tests and for values that are not read from a provider (e.g. a generated local key).
  void setForProcess(std::string_view name, std::string value);

 private:
  std::shared_ptr<SecretProvider> provider_;
  std::vector<std::string> names_;
  std::vector<std::string> pinned_;  // set for the process; a reload never removes them
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace fraudgov::secrets
