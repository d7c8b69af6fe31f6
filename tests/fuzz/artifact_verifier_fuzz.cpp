// The artifact verifier (what a runtime and `fraudgov verify-artifact` run on documents fetched
// from the artifact store) on untrusted bytes. The input is a manifest document and an artifact,
// split at the first NUL. Properties: verification never crashes or throws; every refusal
// carries one of the stable reason codes; a document nobody signed never verifies; and a JSON
// object that fraudgov signs itself is never refused for its signature.
#include <boost/json/parse.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "publish/artifact_verifier.h"
#include "publish/signed_document.h"
#include "publish/verify_failure.h"

namespace {

using namespace fraudgov::publish;

const ArtifactSigningKey& key() {
  static const ArtifactSigningKey k = [] {
    auto generated = ArtifactSigningKey::generate();
    if (!generated) std::abort();
    return std::move(*generated);
  }();
  return k;
}

bool knownReason(std::string_view r) {
  for (auto known : {reason::kMalformedManifest, reason::kUnknownKey, reason::kBadSignature,
                     reason::kChecksumMismatch, reason::kEnvironmentMismatch, reason::kStaleSequence,
                     reason::kUnsupportedSchema}) {
    if (r == known) return true;
  }
  return false;
}

void checkRefusal(const fraudgov::Result<VerifiedManifest>& verified) {
  if (!verified && !knownReason(failureReason(verified.error()))) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  const std::string_view manifest = input.substr(0, split);
  const std::string_view artifact = split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  const std::vector<ArtifactPublicKey> keys{key().publicKey()};
  const VerifyOptions options{.environment = "prod", .min_sequence = std::nullopt};

  // As fetched: a document nobody holding the key signed cannot verify.
  auto as_fetched = verifyArtifact(manifest, artifact, keys, options);
  checkRefusal(as_fetched);
  if (as_fetched) std::abort();

  // Signed by us: whatever else is wrong with it, its signature is not.
  boost::system::error_code ec;
  auto parsed = boost::json::parse(manifest, ec);
  if (!ec && parsed.is_object()) {
    auto object = parsed.as_object();
    object.erase("signature");
    auto ours = verifyArtifact(signDocument(std::move(object), key()), artifact, keys, options);
    checkRefusal(ours);
    if (!ours) {
      const auto r = failureReason(ours.error());
      if (r == reason::kBadSignature || r == reason::kUnknownKey) std::abort();
    }
  }
  return 0;
}
