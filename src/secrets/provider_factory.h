#pragma once
// Builds the provider that SECRETS_PROVIDER selects (SPEC §2.1, §6.5).

#include <memory>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "secrets/aws_secrets_manager_provider.h"
#include "secrets/secret_provider.h"

namespace fraudgov::secrets {

struct ProviderSettings {
  std::string kind = "file";  // "file" or "aws-secretsmanager"
  bool production = false;    // prod: no plain environment variables, TLS endpoints only
  AwsSecretsManagerSettings aws;
};

// "file": NAME_FILE / $CREDENTIALS_DIRECTORY / (outside prod) plain NAME.
// "aws-secretsmanager": the keys of the JSON secret first; a name the secret does not hold falls
// back to the file provider, which also supplies the bootstrap AWS credentials.
// Appends one message per problem and returns null when there was any.
std::shared_ptr<SecretProvider> makeSecretProvider(const ProviderSettings& settings, const EnvLookup& env,
                                                   std::vector<std::string>& problems,
                                                   std::shared_ptr<net::HttpClient> http = nullptr);

}  // namespace fraudgov::secrets
