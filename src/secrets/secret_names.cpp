#include "secrets/secret_names.h"

namespace fraudgov::secrets {

const std::vector<std::string>& applicationSecretNames() {
  static const std::vector<std::string> kNames = {
      names::kCursorHmacKey, names::kHealthToken,   names::kMetricsToken,      names::kDatabasePassword,
      names::kRedisPassword, names::kS3AccessKeyId, names::kS3SecretAccessKey, names::kArtifactSigningKey,
      names::kAuditSigningKey};
  return kNames;
}

const std::vector<std::string>& allSecretNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> all = applicationSecretNames();
    all.insert(all.end(), {names::kAwsAccessKeyId, names::kAwsSecretAccessKey, names::kAwsSessionToken});
    return all;
  }();
  return kNames;
}

}  // namespace fraudgov::secrets
