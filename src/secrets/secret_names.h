#pragma once
// The names of every secret fraudgov knows (SPEC §6.5). Each is read through a SecretProvider
// under exactly this name (and NAME_FILE / $CREDENTIALS_DIRECTORY/NAME for files).

#include <string>
#include <vector>

namespace fraudgov::secrets {

namespace names {
inline constexpr const char* kCursorHmacKey = "CURSOR_HMAC_KEY";
inline constexpr const char* kHealthToken = "HEALTH_TOKEN";
inline constexpr const char* kMetricsToken = "METRICS_TOKEN";
// Injected into the PostgreSQL connection (libpq "password"), so DATABASE_URL carries none.
inline constexpr const char* kDatabasePassword = "DATABASE_PASSWORD";
inline constexpr const char* kRedisPassword = "REDIS_PASSWORD";
inline constexpr const char* kS3AccessKeyId = "S3_ACCESS_KEY_ID";
inline constexpr const char* kS3SecretAccessKey = "S3_SECRET_ACCESS_KEY";
inline constexpr const char* kArtifactSigningKey = "ARTIFACT_SIGNING_KEY";
// Signs audit checkpoints (Ed25519, PEM), like ARTIFACT_SIGNING_KEY: generated under the var dir
// outside prod when absent, required in prod.
inline constexpr const char* kAuditSigningKey = "AUDIT_SIGNING_KEY";
// Bootstrap credentials of the AWS Secrets Manager provider. They cannot come from the secret
// they unlock, so they are always read through the file provider.
inline constexpr const char* kAwsAccessKeyId = "AWS_ACCESS_KEY_ID";
inline constexpr const char* kAwsSecretAccessKey = "AWS_SECRET_ACCESS_KEY";
inline constexpr const char* kAwsSessionToken = "AWS_SESSION_TOKEN";
}  // namespace names

// The secrets the application uses at runtime: held by the SecretStore, re-read on SIGHUP.
const std::vector<std::string>& applicationSecretNames();
// Everything that must never be a plain environment variable in prod: the application secrets
// plus the provider's bootstrap credentials.
const std::vector<std::string>& allSecretNames();

}  // namespace fraudgov::secrets
