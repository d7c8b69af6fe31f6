#pragma once
// AWS Secrets Manager as a secret source (SPEC §6.5): one GetSecretValue call per reload, signed
// with SigV4 by libcurl. The secret's SecretString is a JSON object mapping secret names to
// values ({"HEALTH_TOKEN": "...", "DATABASE_PASSWORD": "..."}), so one call yields every key.
// Errors name the secret id, the AWS error type and the HTTP status; never a value, a
// credential or AWS's own message text (which can echo the signed request).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "secrets/secret_provider.h"

namespace fraudgov::secrets {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless the credentials are temporary (STS)
};
// Asked before every fetch, so rotated bootstrap credentials are picked up on the next reload.
using AwsCredentialSource = std::function<Result<AwsCredentials>()>;

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN read through `files`
// (the file provider: NAME_FILE or systemd credentials; plain variables only outside prod).
AwsCredentialSource credentialsFromProvider(std::shared_ptr<SecretProvider> files);

struct AwsSecretsManagerSettings {
  std::string secret_id;                    // AWS_SECRETS_MANAGER_SECRET_ID: name or ARN
  std::string region = "us-east-1";         // AWS_REGION
  std::string endpoint;                     // AWS_SECRETS_MANAGER_ENDPOINT; empty: the regional AWS endpoint
  bool production = false;                  // prod: https only; otherwise http is accepted for loopback hosts
  std::chrono::milliseconds timeout{5000};  // per attempt; at most two attempts per fetch
};

// One message per problem with the settings (missing secret id, bad region, non-TLS endpoint).
std::vector<std::string> validateSettings(const AwsSecretsManagerSettings& settings);
// The URL GetSecretValue is posted to.
std::string endpointUrl(const AwsSecretsManagerSettings& settings);

class AwsSecretsManagerProvider final : public SecretProvider {
 public:
  // settings must have passed validateSettings.
  AwsSecretsManagerProvider(AwsSecretsManagerSettings settings, AwsCredentialSource credentials,
                            std::shared_ptr<net::HttpClient> http);

  // Fetches the secret; on failure the previously fetched values stay.
  Status refresh() override;
  // From the last fetch (fetching first if nothing was fetched yet); nullopt when the JSON
  // object has no such key.
  Result<std::optional<std::string>> get(std::string_view name) override;
  std::string_view describe() const override { return "aws-secretsmanager"; }

 private:
  using Values = std::map<std::string, std::string, std::less<>>;
  Result<Values> fetch() const;
  Result<net::OutboundResponse> call(const AwsCredentials& credentials) const;
  Result<Values> parseSuccess(const std::string& body) const;
  Error refusal(const net::OutboundResponse& response) const;

  AwsSecretsManagerSettings settings_;
  AwsCredentialSource credentials_;
  std::shared_ptr<net::HttpClient> http_;
  std::mutex mu_;
  std::optional<Values> values_;
};

}  // namespace fraudgov::secrets
