#include "secrets/secret_provider.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fraudgov::secrets {

EnvLookup processEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

Result<std::string> readSecretFile(const std::string& path) {
  constexpr std::uintmax_t kMaxBytes = 64 * 1024;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(Error::validation("Secret file " + path + " cannot be read"));
  if (size > kMaxBytes) return fail(Error::validation("Secret file " + path + " is larger than 64 KiB"));
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::validation("Secret file " + path + " cannot be read"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string value = buffer.str();
  if (!value.empty() && value.back() == '\n') value.pop_back();
  if (!value.empty() && value.back() == '\r') value.pop_back();
  return value;
}

Result<std::optional<std::string>> FileSecretProvider::get(std::string_view name) {
  const std::string key(name);
  if (auto file = env_(key + "_FILE"); file && !file->empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(std::string value, readSecretFile(*file));
    return std::optional<std::string>(std::move(value));
  }
  if (auto dir = env_("CREDENTIALS_DIRECTORY"); dir && !dir->empty()) {
    const auto path = std::filesystem::path(*dir) / key;
    if (std::filesystem::exists(path)) {
      FRAUDGOV_ASSIGN_OR_RETURN(std::string value, readSecretFile(path.string()));
      return std::optional<std::string>(std::move(value));
    }
  }
  if (auto plain = env_(key); plain && !plain->empty()) {
    if (!allow_plain_) {
      return fail(Error::validation(key + " is set as a plain environment variable; in prod provide it as " + key +
                                    "_FILE, a systemd credential or through the secrets manager"));
    }
    return std::optional<std::string>(*plain);
  }
  return std::optional<std::string>{};
}

LayeredSecretProvider::LayeredSecretProvider(std::vector<std::shared_ptr<SecretProvider>> layers)
    : layers_(std::move(layers)) {
  for (const auto& layer : layers_) {
    description_ += (description_.empty() ? "" : "+") + std::string(layer->describe());
  }
}

Status LayeredSecretProvider::refresh() {
  for (const auto& layer : layers_) FRAUDGOV_RETURN_IF_ERROR(layer->refresh());
  return {};
}

Result<std::optional<std::string>> LayeredSecretProvider::get(std::string_view name) {
  for (const auto& layer : layers_) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto value, layer->get(name));
    if (value) return value;
  }
  return std::optional<std::string>{};
}

}  // namespace fraudgov::secrets
