#pragma once
// ARTIFACT_BACKEND=s3: objects in an S3 bucket (or an S3-compatible store), spoken to with
// libcurl's SigV4 signing. PutObject is atomic on S3's side and carries the SHA-256 of the bytes
// (x-amz-checksum-sha256), so S3 refuses a body that was altered on the way.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "net/http_client.h"
#include "publish/artifact_store.h"

namespace fraudgov::publish {

struct S3Settings {
  std::string endpoint_url;  // empty = https://s3.<region>.amazonaws.com
  std::string bucket = "fraud-gov-artifacts";
  std::string region = "us-east-1";
  bool force_path_style = true;
  // Access key id and secret, asked for on every call so that a rotation (SIGHUP) applies at once.
  std::function<std::optional<std::pair<std::string, std::string>>()> credentials;
  std::chrono::milliseconds timeout{10000};  // each S3 call, whole exchange (SPEC §3 invariant 10)
  std::string ca_file;                       // PEM bundle for a private CA; empty = system store
};

class S3ArtifactStore final : public ArtifactStore {
 public:
  S3ArtifactStore(S3Settings settings, std::shared_ptr<net::HttpClient> http);

  Result<StoredObject> put(std::string_view key, std::string_view bytes, std::string_view content_type) override;
  Result<std::optional<std::string>> get(std::string_view key) override;
  std::string uriFor(std::string_view key) const override;  // s3://bucket/key
  std::string_view backendName() const override { return "s3"; }

 private:
  // A SigV4-signed request for one object; payload is what x-amz-content-sha256 must hash.
  Result<net::OutboundRequest> signedRequest(std::string method, std::string_view key, std::string_view payload) const;

  S3Settings settings_;
  std::shared_ptr<net::HttpClient> http_;
};

}  // namespace fraudgov::publish
