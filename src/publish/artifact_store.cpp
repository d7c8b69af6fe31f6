#include "publish/artifact_store.h"

#include "common/crypto.h"

namespace fraudgov::publish {

std::string artifactChecksum(std::string_view bytes) { return "sha256:" + crypto::sha256Hex(bytes); }

}  // namespace fraudgov::publish
