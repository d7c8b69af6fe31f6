#include "support/moto_server.h"

#include "common/crypto.h"

#include "support/loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "support/poll.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {

constexpr const char* kRegion = "us-east-1";
constexpr const char* kAdminUser = "fraudgov-test-admin";
// Unauthenticated calls moto allows: CreateUser, CreateAccessKey, PutUserPolicy.
constexpr int kBootstrapCalls = 3;

// The text between <tag> and </tag>, or empty.
std::string xmlText(const std::string& xml, const std::string& tag) {
  const auto open = xml.find("<" + tag + ">");
  const auto close = xml.find("</" + tag + ">");
  if (open == std::string::npos || close == std::string::npos) return {};
  const auto start = open + tag.size() + 2;
  return close > start ? xml.substr(start, close - start) : std::string();
}

Status expectOk(const Result<net::OutboundResponse>& response, const std::string& what) {
  if (!response) return fail(Error::internal(what + ": " + response.error().message));
  if (response->status != 200) {
    return fail(Error::internal(what + ": HTTP " + std::to_string(response->status) + " " + response->body));
  }
  return {};
}

}  // namespace

std::string motoServerPath() {
  if (const char* configured = std::getenv("FRAUDGOV_MOTO_SERVER"); configured && *configured) return configured;
  std::error_code ec;
  const std::filesystem::path versions = "/root/.pyenv/versions";
  for (const auto& entry : std::filesystem::directory_iterator(versions, ec)) {
    const auto candidate = entry.path() / "bin" / "moto_server";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  for (const char* candidate : {"/usr/local/bin/moto_server", "/usr/bin/moto_server"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return {};
}

std::string formEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

MotoServer::~MotoServer() { stop(); }

void MotoServer::stop() {
  if (!process_) return;
  process_->signal(SIGTERM);
  if (!process_->wait(std::chrono::seconds(5))) process_->signal(SIGKILL);
  process_->wait(std::chrono::seconds(5));
  process_.reset();
}

Status MotoServer::start() {
  const std::string program = motoServerPath();
  if (program.empty() || ::access(program.c_str(), X_OK) != 0) {
    return fail(Error::internal("moto_server not found" + (program.empty() ? "" : " at " + program) +
                                " (it ships with the image's pyenv Python 3.11; FRAUDGOV_MOTO_SERVER names another)"));
  }
  port_ = freePort();
  const std::string home = makeTempDir("moto-home");
  process_ = std::make_unique<ChildProcess>(
      program, std::vector<std::string>{"-H", "127.0.0.1", "-p", std::to_string(port_)},
      std::map<std::string, std::string>{{"HOME", home},
                                         {"INITIAL_NO_AUTH_ACTION_COUNT", std::to_string(kBootstrapCalls)},
                                         {"AWS_DEFAULT_REGION", kRegion},
                                         {"PYTHONUNBUFFERED", "1"}});
  // Readiness by TCP only: an HTTP probe could count as one of the unauthenticated calls.
  std::optional<int> exit_code;
  const bool listening = pollUntil(
      [&] {
        if (acceptsTcp(port_)) return true;
        // wait() with a real timeout: it reaps the child, so an early exit is seen at once.
        exit_code = process_->wait(std::chrono::milliseconds(1));
        return exit_code.has_value();
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50));
  if (exit_code) {
    return fail(
        Error::internal("moto_server exited at startup with code " + std::to_string(*exit_code) + ":\n" + output()));
  }
  if (!listening) return fail(Error::internal("moto_server did not listen within 60 s:\n" + output()));
  const AwsKey anyone{"AKIDBOOTSTRAP0000000", "bootstrap"};  // not checked during the bootstrap calls
  FRAUDGOV_RETURN_IF_ERROR(expectOk(
      iamCall(std::string("Action=CreateUser&Version=2010-05-08&UserName=") + kAdminUser, anyone), "CreateUser"));
  FRAUDGOV_ASSIGN_OR_RETURN(key_, createAccessKey(kAdminUser, anyone));
  const std::string policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  FRAUDGOV_RETURN_IF_ERROR(expectOk(iamCall(std::string("Action=PutUserPolicy&Version=2010-05-08&UserName=") +
                                                kAdminUser + "&PolicyName=all&PolicyDocument=" + formEncode(policy),
                                            anyone),
                                    "PutUserPolicy"));
  return {};
}

std::string MotoServer::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string MotoServer::output() const {
  return process_ ? process_->stdoutText() + process_->stderrText() : std::string();
}

Result<net::OutboundResponse> MotoServer::jsonCall(const std::string& service, const std::string& target,
                                                   const std::string& body, const std::optional<AwsKey>& key) {
  const AwsKey& signer = key ? *key : key_;
  net::OutboundRequest request;
  request.method = "POST";
  request.url = endpoint() + "/";
  request.timeout = std::chrono::seconds(20);
  request.aws_sigv4 = "aws:amz:" + std::string(kRegion) + ":" + service;
  request.user_pwd = signer.access_key_id + ":" + signer.secret_access_key;
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", target}};
  request.body = body;
  return http_.send(request);
}

Result<net::OutboundResponse> MotoServer::iamCall(const std::string& form_body, const std::optional<AwsKey>& key) {
  const AwsKey& signer = key ? *key : key_;
  net::OutboundRequest request;
  request.method = "POST";
  request.url = endpoint() + "/";
  request.timeout = std::chrono::seconds(20);
  request.aws_sigv4 = "aws:amz:" + std::string(kRegion) + ":iam";
  request.user_pwd = signer.access_key_id + ":" + signer.secret_access_key;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = form_body;
  return http_.send(request);
}

Result<AwsKey> MotoServer::createAccessKey(const std::string& user_name, const std::optional<AwsKey>& signer) {
  auto response = iamCall("Action=CreateAccessKey&Version=2010-05-08&UserName=" + formEncode(user_name), signer);
  FRAUDGOV_RETURN_IF_ERROR(expectOk(response, "CreateAccessKey"));
  AwsKey key{xmlText(response->body, "AccessKeyId"), xmlText(response->body, "SecretAccessKey")};
  if (key.access_key_id.empty() || key.secret_access_key.empty()) {
    return fail(Error::internal("CreateAccessKey: unexpected answer " + response->body));
  }
  return key;
}

Status MotoServer::createSecret(const std::string& name, const std::string& secret_string) {
  const std::string body = boost::json::serialize(boost::json::object{{"Name", name}, {"SecretString", secret_string}});
  return expectOk(jsonCall("secretsmanager", "secretsmanager.CreateSecret", body), "CreateSecret");
}

Status MotoServer::putSecretValue(const std::string& name, const std::string& secret_string) {
  const std::string body =
      boost::json::serialize(boost::json::object{{"SecretId", name}, {"SecretString", secret_string}});
  return expectOk(jsonCall("secretsmanager", "secretsmanager.PutSecretValue", body), "PutSecretValue");
}

Result<AwsKey> MotoServer::createUserWithoutPermissions(const std::string& user_name) {
  FRAUDGOV_RETURN_IF_ERROR(
      expectOk(iamCall("Action=CreateUser&Version=2010-05-08&UserName=" + formEncode(user_name)), "CreateUser"));
  return createAccessKey(user_name, key_);
}

Status MotoServer::createBucket(const std::string& bucket) const {
  net::OutboundRequest request;
  request.method = "PUT";
  request.url = endpoint() + "/" + bucket;
  request.timeout = std::chrono::seconds(20);
  request.aws_sigv4 = "aws:amz:us-east-1:s3";
  request.user_pwd = key_.access_key_id + ":" + key_.secret_access_key;
  request.headers = {{"x-amz-content-sha256", crypto::sha256Hex("")}};
  auto response = net::CurlHttpClient().send(request);
  if (!response) return fail(response.error());
  if (response->status != 200) {
    return fail(Error::unavailable("CreateBucket answered " + std::to_string(response->status) + ": " + response->body));
  }
  return {};
}

}  // namespace fraudgov::testing
