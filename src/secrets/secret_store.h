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

#include "secrets/secret_names.h"
#include "secrets/secret_provider.h"

namespace fraudgov::secrets {

class SecretStore {
 public:
  using Snapshot = std::map<std::string, std::string, std::less<>>;

  SecretStore(std::shared_ptr<SecretProvider> provider, std::vector<std::string> names);

  // Refreshes the provider once, then reads every name from it. On any failure nothing changes
  // and the error names the secret (never its value). Concurrent reloads run one at a time.
  Status reload();
  std::shared_ptr<const Snapshot> snapshot() const;
  std::optional<std::string> get(std::string_view name) const;
  // For tests and for values that are not read from a provider (e.g. a generated local key).
  void setForProcess(std::string_view name, std::string value);

 private:
  std::shared_ptr<SecretProvider> provider_;
  std::vector<std::string> names_;
  std::vector<std::string> pinned_;  // set for the process; a reload never removes them
  std::mutex reload_mu_;             // one reload at a time, so two SIGHUPs cannot interleave
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace fraudgov::secrets
