#pragma once
// Where an S3 object lives on the wire: path-style (https://endpoint/bucket/key) or
// virtual-hosted (https://bucket.endpoint/key), with each key segment percent-encoded.

#include <string>
#include <string_view>
#include <vector>

#include "publish/s3_artifact_store.h"

namespace fraudgov::publish {

// settings.endpoint_url without trailing '/', or https://s3.<region>.amazonaws.com when empty.
std::string s3Endpoint(const S3Settings& settings);
// The object's URL; an empty key gives the bucket's URL (with a trailing '/').
std::string s3ObjectUrl(const S3Settings& settings, std::string_view key);
// RFC 3986: unreserved characters stay, '/' separates segments, every other byte is %XX.
std::string encodeS3Key(std::string_view key);
// What is wrong with the settings, for configuration checks; empty when usable.
std::vector<std::string> validateS3Settings(const S3Settings& settings);

}  // namespace fraudgov::publish
