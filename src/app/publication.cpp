#include "app/publication.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "net/http_client.h"
#include "observability/log.h"
#include "publish/filesystem_artifact_store.h"
#include "publish/s3_artifact_store.h"

namespace fraudgov::app {

namespace {

// Outside prod: the development signing key under the var dir, created (0600) when absent.
Result<std::string> developmentKeyPem(const Config& config, const SigningKeySecret& secret) {
  const std::filesystem::path path = std::filesystem::path(config.var_dir) / secret.development_file;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in.good() && !in.eof()) return fail(Error::unavailable("cannot read the development signing key " + path.string()));
    return pem.str();
  }
  FRAUDGOV_ASSIGN_OR_RETURN(auto key, publish::ArtifactSigningKey::generate());
  std::filesystem::create_directories(path.parent_path(), ec);
  const std::string pem = key.privatePem();
  const std::filesystem::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << pem;
    if (!out.good()) return fail(Error::unavailable("cannot write the development signing key " + path.string()));
  }
  ::chmod(temp.c_str(), 0600);
  std::filesystem::rename(temp, path, ec);
  if (ec) return fail(Error::unavailable("cannot store the development signing key " + path.string()));
  return pem;
}

}  // namespace

Result<std::shared_ptr<publish::ArtifactStore>> makeArtifactStore(const Config& config) {
  const PublicationSettings& p = config.publication;
  if (p.backend == ArtifactBackend::kFilesystem) {
    return std::shared_ptr<publish::ArtifactStore>(std::make_shared<publish::FilesystemArtifactStore>(p.artifact_dir));
  }
  publish::S3Settings s3;
  s3.endpoint_url = p.s3_endpoint_url;
  s3.bucket = p.s3_bucket;
  s3.region = p.s3_region;
  s3.force_path_style = p.s3_force_path_style;
  s3.timeout = p.s3_timeout;
  s3.credentials = [secrets = config.secrets]() -> std::optional<std::pair<std::string, std::string>> {
    auto id = secrets->get(secrets::names::kS3AccessKeyId);
    auto secret = secrets->get(secrets::names::kS3SecretAccessKey);
    if (!id || !secret) return std::nullopt;
    return std::make_pair(*id, *secret);
  };
  return std::shared_ptr<publish::ArtifactStore>(
      std::make_shared<publish::S3ArtifactStore>(std::move(s3), std::make_shared<net::CurlHttpClient>()));
}

Result<std::shared_ptr<SigningKeySource>> SigningKeySource::create(const Config& config,
                                                                   const observability::Logger& log,
                                                                   SigningKeySecret secret) {
  std::string fallback;
  if (!config.secrets->get(secret.name)) {
    if (config.env == AppEnv::kProd) {
      return fail(Error::validation(std::string(secret.name) + " is required in prod (an Ed25519 private key, PEM)"));
    }
    FRAUDGOV_ASSIGN_OR_RETURN(fallback, developmentKeyPem(config, secret));
  }
  std::shared_ptr<SigningKeySource> source(new SigningKeySource(config.secrets, secret, std::move(fallback), log));
  if (!source->current()) {
    return fail(Error::validation(std::string(secret.name) + " is not an Ed25519 private key (PEM)"));
  }
  return source;
}

std::shared_ptr<const publish::ArtifactSigningKey> SigningKeySource::current() {
  const std::string pem = secrets_->get(secret_.name).value_or(fallback_pem_);
  std::lock_guard lock(mu_);
  if (pem != cached_pem_ || !cached_) {
    auto key = publish::ArtifactSigningKey::fromPrivatePem(pem);
    if (!key) {
      // A bad rotation keeps the last good key rather than stopping signing.
      log_.event(spdlog::level::err, "signing key rejected", {{"secret", secret_.name}, {"reason", key.error().message}});
      return cached_;
    }
    cached_ = std::make_shared<const publish::ArtifactSigningKey>(std::move(*key));
    cached_pem_ = pem;
  }
  return cached_;
}

Result<service::PublisherSettings> publisherSettings(const Config& config, const observability::Logger& log,
                                                     std::shared_ptr<publish::ArtifactStore> store) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto keys, SigningKeySource::create(config, log, kArtifactSigningKeySecret));
  return service::PublisherSettings{config.publication.environment, std::move(store), [keys] { return keys->current(); }};
}

Result<service::AuditAnchoring> auditAnchoring(const Config& config, const observability::Logger& log,
                                               std::shared_ptr<publish::ArtifactStore> store) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto keys, SigningKeySource::create(config, log, kAuditSigningKeySecret));
  return service::AuditAnchoring{config.publication.environment, std::move(store), [keys] { return keys->current(); }};
}

}  // namespace fraudgov::app
