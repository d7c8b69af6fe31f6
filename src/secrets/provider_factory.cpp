#include "secrets/provider_factory.h"

#include <fmt/format.h>

namespace fraudgov::secrets {

std::shared_ptr<SecretProvider> makeSecretProvider(const ProviderSettings& settings, const EnvLookup& env,
                                                   std::vector<std::string>& problems,
                                                   std::shared_ptr<net::HttpClient> http) {
  auto files = std::make_shared<FileSecretProvider>(env, !settings.production);
  if (settings.kind == "file") return files;
  if (settings.kind != "aws-secretsmanager") {
    problems.push_back(fmt::format("SECRETS_PROVIDER must be file or aws-secretsmanager (got '{}')", settings.kind));
    return nullptr;
  }
  AwsSecretsManagerSettings aws = settings.aws;
  aws.production = settings.production;
  auto invalid = validateSettings(aws);
  if (!invalid.empty()) {
    problems.insert(problems.end(), invalid.begin(), invalid.end());
    return nullptr;
  }
  if (!http) http = std::make_shared<net::CurlHttpClient>();
  auto remote =
      std::make_shared<AwsSecretsManagerProvider>(std::move(aws), credentialsFromProvider(files), std::move(http));
  return std::make_shared<LayeredSecretProvider>(std::vector<std::shared_ptr<SecretProvider>>{remote, files});
}

}  // namespace fraudgov::secrets
