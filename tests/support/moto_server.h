#pragma once
// A real AWS emulator for tests: the image's moto_server as a child process on a free loopback
// port, with SigV4 signature checking on. moto accepts the first INITIAL_NO_AUTH_ACTION_COUNT
// calls unauthenticated; start() spends exactly those on creating an IAM user, its access key and
// an allow-all policy, so every later call must be signed with that key (a wrong secret gets
// SignatureDoesNotMatch). moto_server is part of the image: when it is missing start() fails
// loudly instead of letting a test skip.

#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "net/http_client.h"
#include "support/child_process.h"

namespace fraudgov::testing {

struct AwsKey {
  std::string access_key_id;
  std::string secret_access_key;
};

// FRAUDGOV_MOTO_SERVER if set, else the pyenv installation; empty when none exists.
std::string motoServerPath();

class MotoServer {
 public:
  MotoServer() = default;
  ~MotoServer();
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  // Starts moto, waits for it and bootstraps the IAM user. The error says what went wrong,
  // including moto's own output.
  Status start();
  void stop();

  std::string endpoint() const;  // http://127.0.0.1:<port>
  const AwsKey& key() const { return key_; }
  std::string output() const;  // moto's stdout and stderr
  // CreateBucket, signed with the bootstrapped key (moto checks it like any other call).
  Status createBucket(const std::string& bucket) const;

  // A signed call of a JSON-protocol action, e.g. ("secretsmanager", "secretsmanager.CreateSecret", {...}).
  Result<net::OutboundResponse> jsonCall(const std::string& service, const std::string& target, const std::string& body,
                                         const std::optional<AwsKey>& key = std::nullopt);
  // A signed IAM query-protocol call (Action=... form body).
  Result<net::OutboundResponse> iamCall(const std::string& form_body, const std::optional<AwsKey>& key = std::nullopt);

  Status createSecret(const std::string& name, const std::string& secret_string);
  Status putSecretValue(const std::string& name, const std::string& secret_string);
  // A second IAM user with an access key and no policy at all (signed by the admin key).
  Result<AwsKey> createUserWithoutPermissions(const std::string& user_name);

 private:
  Result<AwsKey> createAccessKey(const std::string& user_name, const std::optional<AwsKey>& signer);

  std::unique_ptr<ChildProcess> process_;
  unsigned short port_ = 0;
  AwsKey key_;
  net::CurlHttpClient http_;
};

// application/x-www-form-urlencoded encoding of one value.
std::string formEncode(std::string_view value);

}  // namespace fraudgov::testing
