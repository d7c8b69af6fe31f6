#pragma once
// Where published artifacts live (SPEC §4 "Artifacts", predecessor-spec §10): the immutable
// ruleset artifacts, their manifests and the mutable runtime pointers. One interface, two backends
// (ARTIFACT_BACKEND=filesystem|s3), so the publisher never knows which one it writes to.

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::publish {

struct StoredObject {
  std::string key;
  std::string uri;
  std::string checksum;  // "sha256:<hex>" of the bytes
};

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;
  // Writes bytes under key (a relative path like "rulesets/prod/APAC/IN/CARD_AUTH/v3/ruleset.json").
  // Durable and atomic when it returns success: a reader sees the old object or the new one, never a torn one.
  virtual Result<StoredObject> put(std::string_view key, std::string_view bytes, std::string_view content_type) = 0;
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;  // nullopt when absent
  virtual std::string uriFor(std::string_view key) const = 0;                // file:///abs/... or s3://bucket/key
  virtual std::string_view backendName() const = 0;                          // "filesystem" | "s3"
};


}  // namespace fraudgov::publish
