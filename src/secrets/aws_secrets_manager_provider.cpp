#include "secrets/aws_secrets_manager_provider.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <thread>

#include "common/json.h"
#include "common/text.h"
#include "secrets/secret_names.h"

namespace fraudgov::secrets {

namespace {

constexpr std::size_t kMaxResponseBytes = 256 * 1024;  // a secret is at most 64 KiB, escaped JSON more
constexpr int kAttempts = 2;
constexpr std::chrono::milliseconds kRetryPause{250};

bool isLoopbackHost(const boost::urls::url_view& url) {
  switch (url.host_type()) {
    case boost::urls::host_type::ipv4:
      return url.host_ipv4_address().to_bytes()[0] == 127;
    case boost::urls::host_type::ipv6:
      return url.host_ipv6_address().is_loopback();
    case boost::urls::host_type::name:
      return text::iequals(url.host_name(), "localhost");
    default:
      return false;
  }
}

bool hasControlCharacters(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool isAlphanumeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// AWS error types are identifiers; anything else is not echoed (it could be attacker-shaped).
std::string sanitizeErrorType(std::string_view raw) {
  if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  raw = text::trim(raw);
  const bool clean = !raw.empty() && raw.size() <= 64 && std::all_of(raw.begin(), raw.end(), [](char c) {
    return isAlphanumeric(std::string_view(&c, 1)) || c == '.' || c == '_' || c == '-';
  });
  return clean ? std::string(raw) : std::string();
}

// The error type from a JSON-protocol body (__type), an XML body (<Code>) or the header.
std::string errorType(const net::OutboundResponse& response) {
  if (auto parsed = json::parseStrict(response.body); parsed && parsed->is_object()) {
    if (const auto* type = parsed->as_object().if_contains("__type"); type && type->is_string()) {
      if (auto clean = sanitizeErrorType(type->as_string()); !clean.empty()) return clean;
    }
  }
  const auto open = response.body.find("<Code>");
  const auto close = response.body.find("</Code>");
  if (open != std::string::npos && close != std::string::npos && close > open) {
    if (auto clean = sanitizeErrorType(std::string_view(response.body).substr(open + 6, close - open - 6));
        !clean.empty()) {
      return clean;
    }
  }
  if (auto header = response.header("X-Amzn-ErrorType")) return sanitizeErrorType(*header);
  return {};
}

bool isCredentialError(std::string_view type) {
  static constexpr std::string_view kTypes[] = {"SignatureDoesNotMatch",       "InvalidSignatureException",
                                                "UnrecognizedClientException", "InvalidClientTokenId",
                                                "ExpiredTokenException",       "ExpiredToken",
                                                "IncompleteSignature",         "MissingAuthenticationToken",
                                                "AccessDeniedException",       "AccessDenied"};
  return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

bool isRetryable(const net::OutboundResponse& response) {
  return response.status >= 500 || response.status == 429 || errorType(response) == "ThrottlingException";
}

// A key printed in an error: names look like CURSOR_HMAC_KEY; anything else might be a value
// pasted in the wrong place and is not shown.
std::string printableKey(std::string_view key) {
  const bool name_like = !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return isAlphanumeric(std::string_view(&c, 1)) || c == '_' || c == '-' || c == '.';
  });
  return name_like ? fmt::format("'{}'", key) : std::string("(a key that is not a secret name)");
}

}  // namespace

AwsCredentialSource credentialsFromProvider(std::shared_ptr<SecretProvider> files) {
  return [files = std::move(files)]() -> Result<AwsCredentials> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto id, files->get(names::kAwsAccessKeyId));
    FRAUDGOV_ASSIGN_OR_RETURN(auto secret, files->get(names::kAwsSecretAccessKey));
    FRAUDGOV_ASSIGN_OR_RETURN(auto token, files->get(names::kAwsSessionToken));
    if (!id || !secret) {
      return fail(Error::validation(
          "SECRETS_PROVIDER=aws-secretsmanager needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (as NAME_FILE or "
          "systemd credentials; plain variables only outside prod)"));
    }
    if (!isAlphanumeric(*id) || id->size() > 128) return fail(Error::validation("AWS_ACCESS_KEY_ID is malformed"));
    if (hasControlCharacters(*secret)) return fail(Error::validation("AWS_SECRET_ACCESS_KEY is malformed"));
    if (token && hasControlCharacters(*token)) return fail(Error::validation("AWS_SESSION_TOKEN is malformed"));
    return AwsCredentials{std::move(*id), std::move(*secret), token.value_or("")};
  };
}

std::vector<std::string> validateSettings(const AwsSecretsManagerSettings& s) {
  std::vector<std::string> problems;
  if (s.secret_id.empty()) {
    problems.emplace_back("AWS_SECRETS_MANAGER_SECRET_ID is required when SECRETS_PROVIDER=aws-secretsmanager");
  } else if (s.secret_id.size() > 2048 || hasControlCharacters(s.secret_id)) {
    problems.emplace_back("AWS_SECRETS_MANAGER_SECRET_ID must be a secret name or ARN");
  }
  const bool region_ok =
      !s.region.empty() && s.region.size() <= 32 && std::all_of(s.region.begin(), s.region.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      });
  if (!region_ok) problems.emplace_back("AWS_REGION must be a region name like eu-west-1");
  if (s.endpoint.empty()) return problems;

  auto parsed = boost::urls::parse_absolute_uri(s.endpoint);
  if (!parsed || !parsed->has_authority() || parsed->host().empty() || parsed->has_userinfo() || parsed->has_query() ||
      parsed->has_fragment()) {
    problems.emplace_back("AWS_SECRETS_MANAGER_ENDPOINT must be an http(s) URL without credentials or query");
    return problems;
  }
  const std::string scheme = text::toLower(parsed->scheme());
  if (scheme == "https") return problems;
  if (scheme != "http") {
    problems.emplace_back("AWS_SECRETS_MANAGER_ENDPOINT must be an https URL");
  } else if (s.production) {
    problems.emplace_back("AWS_SECRETS_MANAGER_ENDPOINT must use https in prod");
  } else if (!isLoopbackHost(*parsed)) {
    problems.emplace_back("AWS_SECRETS_MANAGER_ENDPOINT must use https (plain http only for a loopback host)");
  }
  return problems;
}

std::string endpointUrl(const AwsSecretsManagerSettings& s) {
  if (s.endpoint.empty()) return fmt::format("https://secretsmanager.{}.amazonaws.com/", s.region);
  std::string url = s.endpoint;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/";
}

AwsSecretsManagerProvider::AwsSecretsManagerProvider(AwsSecretsManagerSettings settings,
                                                     AwsCredentialSource credentials,
                                                     std::shared_ptr<net::HttpClient> http)
    : settings_(std::move(settings)), credentials_(std::move(credentials)), http_(std::move(http)) {}

Status AwsSecretsManagerProvider::refresh() {
  FRAUDGOV_ASSIGN_OR_RETURN(Values values, fetch());
  std::lock_guard lock(mu_);
  values_ = std::move(values);
  return {};
}

Result<std::optional<std::string>> AwsSecretsManagerProvider::get(std::string_view name) {
  {
    std::lock_guard lock(mu_);
    if (values_) {
      auto it = values_->find(name);
      if (it == values_->end()) return std::optional<std::string>{};
      return std::optional<std::string>(it->second);
    }
  }
  FRAUDGOV_RETURN_IF_ERROR(refresh());
  return get(name);
}

Result<net::OutboundResponse> AwsSecretsManagerProvider::call(const AwsCredentials& credentials) const {
  net::OutboundRequest request;
  request.method = "POST";
  request.url = endpointUrl(settings_);
  request.timeout = settings_.timeout;
  request.max_response_bytes = kMaxResponseBytes;
  request.aws_sigv4 = fmt::format("aws:amz:{}:secretsmanager", settings_.region);
  request.user_pwd = credentials.access_key_id + ":" + credentials.secret_access_key;
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
  if (!credentials.session_token.empty())
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  request.body = boost::json::serialize(boost::json::object{{"SecretId", settings_.secret_id}});
  return http_->send(request);
}

Result<AwsSecretsManagerProvider::Values> AwsSecretsManagerProvider::fetch() const {
  FRAUDGOV_ASSIGN_OR_RETURN(AwsCredentials credentials, credentials_());
  Result<net::OutboundResponse> response = fail(Error::unavailable("not attempted"));
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(kRetryPause);
    response = call(credentials);
    if (response && !isRetryable(*response)) break;
  }
  if (!response) {
    return fail(Error::unavailable(fmt::format("AWS Secrets Manager secret '{}': cannot reach the endpoint ({})",
                                               settings_.secret_id, response.error().message)));
  }
  if (response->status != 200) return fail(refusal(*response));
  return parseSuccess(response->body);
}

Error AwsSecretsManagerProvider::refusal(const net::OutboundResponse& response) const {
  const std::string type = errorType(response);
  const std::string what = fmt::format("{}HTTP {}", type.empty() ? "" : type + ", ", response.status);
  if (type == "ResourceNotFoundException") {
    return Error::validation(
        fmt::format("AWS Secrets Manager secret '{}' does not exist ({})", settings_.secret_id, what));
  }
  if (isCredentialError(type)) {
    return Error::validation(
        fmt::format("AWS Secrets Manager secret '{}': the credentials were refused ({}); check AWS_ACCESS_KEY_ID, "
                    "AWS_SECRET_ACCESS_KEY and the key's permission to read the secret",
                    settings_.secret_id, what));
  }
  if (response.status >= 500 || response.status == 429) {
    return Error::unavailable(
        fmt::format("AWS Secrets Manager secret '{}': the service is unavailable ({})", settings_.secret_id, what));
  }
  return Error::validation(
      fmt::format("AWS Secrets Manager secret '{}': GetSecretValue failed ({})", settings_.secret_id, what));
}

Result<AwsSecretsManagerProvider::Values> AwsSecretsManagerProvider::parseSuccess(const std::string& body) const {
  auto malformed = [this](std::string_view why) {
    return fail(Error::validation(fmt::format("AWS Secrets Manager secret '{}': {}", settings_.secret_id, why)));
  };
  auto envelope = json::parseStrict(body);
  if (!envelope || !envelope->is_object()) return malformed("the response is not a JSON object");
  const auto* secret_string = envelope->as_object().if_contains("SecretString");
  if (!secret_string || !secret_string->is_string()) {
    return malformed("it has no SecretString; store a JSON object of names to values as the secret string");
  }
  auto document = json::parseStrict(secret_string->as_string());
  if (!document || !document->is_object()) {
    return malformed("its SecretString is not a JSON object of names to values");
  }
  Values values;
  for (const auto& [key, value] : document->as_object()) {
    if (!value.is_string()) {
      return malformed(fmt::format("the value of key {} is not a string", printableKey(key)));
    }
    values.emplace(std::string(key), std::string(value.as_string()));
  }
  return values;
}

}  // namespace fraudgov::secrets
