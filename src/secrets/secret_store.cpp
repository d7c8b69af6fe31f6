#include "secrets/secret_store.h"

#include <algorithm>

namespace fraudgov::secrets {

SecretStore::SecretStore(std::shared_ptr<SecretProvider> provider, std::vector<std::string> names)
    : provider_(std::move(provider)), names_(std::move(names)), current_(std::make_shared<Snapshot>()) {}

Status SecretStore::reload() {
  std::lock_guard serial(reload_mu_);
  FRAUDGOV_RETURN_IF_ERROR(provider_->refresh());
  auto next = std::make_shared<Snapshot>();
  {
    std::lock_guard lock(mu_);
    *next = *current_;  // keeps values set for the process
  }
  for (const auto& name : names_) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto value, provider_->get(name));
    if (value) {
      (*next)[name] = std::move(*value);
    } else if (std::find(pinned_.begin(), pinned_.end(), name) == pinned_.end()) {
      next->erase(name);
    }
  }
  std::lock_guard lock(mu_);
  current_ = std::move(next);
  return {};
}

std::shared_ptr<const SecretStore::Snapshot> SecretStore::snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::optional<std::string> SecretStore::get(std::string_view name) const {
  auto snap = snapshot();
  auto it = snap->find(name);
  if (it == snap->end()) return std::nullopt;
  return it->second;
}

void SecretStore::setForProcess(std::string_view name, std::string value) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<Snapshot>(*current_);
  (*next)[std::string(name)] = std::move(value);
  pinned_.emplace_back(name);
  current_ = std::move(next);
}

}  // namespace fraudgov::secrets
