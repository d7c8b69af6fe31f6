#pragma once
// Where secrets come from (SPEC §6.5). Every secret — tokens, keys, passwords — is read through
// this interface by name; nothing else in the code base looks secrets up in the environment.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace fraudgov::secrets {

using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
EnvLookup processEnvironment();

class SecretProvider {
 public:
  virtual ~SecretProvider() = default;
  // Called once at the start of every reload, before the get() calls of that reload: a remote
  // provider fetches here, once, instead of once per name. A failure aborts the reload.
  virtual Status refresh() { return {}; }
  // nullopt when the secret is not configured anywhere this provider looks.
  virtual Result<std::optional<std::string>> get(std::string_view name) = 0;
  virtual std::string_view describe() const = 0;
};

// Files: $NAME_FILE, then $CREDENTIALS_DIRECTORY/NAME (systemd LoadCredential=). When
// allow_plain_environment is true (local/test only) a plain $NAME is accepted last.
class FileSecretProvider final : public SecretProvider {
 public:
  FileSecretProvider(EnvLookup env, bool allow_plain_environment)
      : env_(std::move(env)), allow_plain_(allow_plain_environment) {}
  Result<std::optional<std::string>> get(std::string_view name) override;
  std::string_view describe() const override { return "file"; }

 private:
  EnvLookup env_;
  bool allow_plain_;
};

// Asks each provider in turn; the first that has the name wins. An error from any of them is an
// error (a broken source is never silently skipped).
class LayeredSecretProvider final : public SecretProvider {
 public:
  explicit LayeredSecretProvider(std::vector<std::shared_ptr<SecretProvider>> layers);
  Status refresh() override;
  Result<std::optional<std::string>> get(std::string_view name) override;
  std::string_view describe() const override { return description_; }

 private:
  std::vector<std::shared_ptr<SecretProvider>> layers_;
  std::string description_;
};

// Reads a secret file: at most 64 KiB, one trailing newline removed. Errors never include the
// file's content.
Result<std::string> readSecretFile(const std::string& path);

}  // namespace fraudgov::secrets
