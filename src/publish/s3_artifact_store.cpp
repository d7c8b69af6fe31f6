#include "publish/s3_artifact_store.h"

#include <algorithm>
#include <cctype>

#include "common/base64.h"
#include "common/crypto.h"
#include "publish/artifact_location.h"
#include "publish/s3_artifact_store_errors.h"
#include "publish/s3_artifact_store_url.h"

namespace fraudgov::publish {

namespace {

// Artifacts are compiled rulesets and manifests; anything larger is not ours and is refused
// rather than buffered.
constexpr std::size_t kMaxObjectBytes = 64 * 1024 * 1024;
constexpr std::string_view kDefaultContentType = "application/octet-stream";

bool isAccessKeyId(std::string_view id) {
  return !id.empty() && id.size() <= 128 &&
         std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

bool isPrintable(std::string_view s) {
  return !s.empty() &&
         std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

S3ArtifactStore::S3ArtifactStore(S3Settings settings, std::shared_ptr<net::HttpClient> http)
    : settings_(std::move(settings)), http_(std::move(http)) {}

Result<net::OutboundRequest> S3ArtifactStore::signedRequest(std::string method, std::string_view key,
                                                            std::string_view payload) const {
  auto credentials = settings_.credentials ? settings_.credentials() : std::nullopt;
  if (!credentials) return fail(Error::unavailable("S3 credentials are not configured"));
  // user_pwd is "id:secret": an id with ':' would move the split, control characters would
  // corrupt the Authorization header.
  if (!isAccessKeyId(credentials->first) || !isPrintable(credentials->second)) {
    return fail(Error::unavailable("S3 credentials are malformed"));
  }
  net::OutboundRequest request;
  request.method = std::move(method);
  request.url = s3ObjectUrl(settings_, key);
  request.timeout = settings_.timeout;
  request.max_response_bytes = kMaxObjectBytes;
  request.aws_sigv4 = "aws:amz:" + settings_.region + ":s3";
  request.user_pwd = credentials->first + ":" + credentials->second;
  request.ca_file = settings_.ca_file;
  // S3 requires the payload hash on every SigV4 request; curl signs the value given here.
  request.headers = {{"x-amz-content-sha256", crypto::sha256Hex(payload)}};
  return request;
}

Result<StoredObject> S3ArtifactStore::put(std::string_view key, std::string_view bytes, std::string_view content_type) {
  FRAUDGOV_RETURN_IF_ERROR(validateArtifactKey(key));
  if (!content_type.empty() && !isPrintable(content_type)) return fail(Error::malformed("Invalid content type"));
  FRAUDGOV_ASSIGN_OR_RETURN(net::OutboundRequest request, signedRequest("PUT", key, bytes));
  request.headers.emplace_back("Content-Type", content_type.empty() ? kDefaultContentType : content_type);
  // S3 recomputes the SHA-256 and answers BadDigest on a mismatch; the algorithm header makes
  // S3 keep the checksum, so readers can verify it later (GetObject with checksum mode).
  request.headers.emplace_back("x-amz-sdk-checksum-algorithm", "SHA256");
  request.headers.emplace_back("x-amz-checksum-sha256", base64::encode(crypto::sha256(bytes)));
  request.body = std::string(bytes);
  auto response = http_->send(request);
  if (!response) return fail(s3Unreachable("PutObject", response.error()));
  // S3 answers 200; some S3-compatible stores answer another 2xx for the same success.
  if (response->status < 200 || response->status > 299) {
    return fail(s3Refusal(*response, "PutObject", settings_.bucket));
  }
  return StoredObject{std::string(key), uriFor(key), crypto::sha256Checksum(bytes)};
}

Result<std::optional<std::string>> S3ArtifactStore::get(std::string_view key) {
  FRAUDGOV_RETURN_IF_ERROR(validateArtifactKey(key));
  FRAUDGOV_ASSIGN_OR_RETURN(net::OutboundRequest request, signedRequest("GET", key, ""));
  auto response = http_->send(request);
  if (!response) return fail(s3Unreachable("GetObject", response.error()));
  if (response->status == 200) return std::optional<std::string>(std::move(response->body));
  // Only NoSuchKey means absent. Without s3:ListBucket, S3 answers a missing key with 403
  // AccessDenied instead, which stays an error: absence cannot be told from a refusal then.
  if (response->status == 404 && s3ErrorCode(response->body) == "NoSuchKey") return std::optional<std::string>{};
  return fail(s3Refusal(*response, "GetObject", settings_.bucket));
}

std::string S3ArtifactStore::uriFor(std::string_view key) const {
  return "s3://" + settings_.bucket + "/" + std::string(key);
}

}  // namespace fraudgov::publish
