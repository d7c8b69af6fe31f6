#pragma once
// An independent S3 client for checking what our store wrote: boto3 from the image's pyenv
// Python (the one next to moto_server), run as a child process.

#include <optional>
#include <string>

#include "support/moto_server.h"

namespace fraudgov::testing {

struct Boto3Object {
  int exit_code = -1;
  std::string body;             // exact bytes as boto3 read them
  std::string checksum_sha256;  // S3's stored x-amz-checksum-sha256 (base64), "" when none
  std::string content_type;
  std::string diagnostics;         // the script's stdout and stderr, for failure messages
  bool checksum_mismatch = false;  // botocore's own validation of the body against the stored checksum failed
};

// GetObject with ChecksumMode=ENABLED, so botocore verifies the body against the stored checksum.
Boto3Object boto3GetObject(const std::string& endpoint, const AwsKey& key, const std::string& bucket,
                           const std::string& object_key, const std::string& addressing_style = "path");

}  // namespace fraudgov::testing
