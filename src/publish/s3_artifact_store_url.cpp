#include "publish/s3_artifact_store_url.h"

#include <fmt/format.h>

#include <algorithm>

namespace fraudgov::publish {

namespace {

bool isUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

// S3 bucket naming rules: 3-63 characters of lowercase letters, digits, '.' and '-', beginning
// and ending with a letter or digit. Anything else would change the URL's meaning.
bool isValidBucketName(std::string_view b) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return b.size() >= 3 && b.size() <= 63 && alnum(b.front()) && alnum(b.back()) &&
         std::all_of(b.begin(), b.end(), [&](char c) { return alnum(c) || c == '.' || c == '-'; }) &&
         b.find("..") == std::string_view::npos;
}

bool isValidRegion(std::string_view r) {
  return !r.empty() && r.size() <= 32 && std::all_of(r.begin(), r.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool hasControlOrSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

void checkEndpoint(std::string_view url, std::vector<std::string>& problems) {
  std::string_view rest;  // what follows the scheme; stays empty for any other scheme
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  }
  const std::string_view authority = rest.substr(0, rest.find('/'));
  // userinfo would carry credentials in plain sight; a query or fragment would corrupt object URLs.
  if (authority.empty() || hasControlOrSpace(url) || url.find_first_of("@?#") != std::string_view::npos) {
    problems.emplace_back("S3_ENDPOINT_URL must be an http(s) URL without credentials, query or fragment");
  }
}

}  // namespace

std::string s3Endpoint(const S3Settings& s) {
  if (s.endpoint_url.empty()) return fmt::format("https://s3.{}.amazonaws.com", s.region);
  std::string url = s.endpoint_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string encodeS3Key(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (const unsigned char c : key) {
    if (isUnreserved(c) || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

std::string s3ObjectUrl(const S3Settings& s, std::string_view key) {
  const std::string endpoint = s3Endpoint(s);
  const std::string path = "/" + encodeS3Key(key);
  if (s.force_path_style) return endpoint + "/" + s.bucket + path;
  // Virtual-hosted: the bucket becomes the first label of the host, any endpoint path stays.
  const auto scheme_end = endpoint.find("://");
  const std::size_t host_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  return endpoint.substr(0, host_start) + s.bucket + "." + endpoint.substr(host_start) + path;
}

std::vector<std::string> validateS3Settings(const S3Settings& s) {
  std::vector<std::string> problems;
  if (!s.endpoint_url.empty()) checkEndpoint(s.endpoint_url, problems);
  if (!isValidBucketName(s.bucket)) {
    problems.emplace_back("S3_BUCKET_NAME must be 3-63 characters of lowercase letters, digits, '.' and '-'");
  } else if (!s.force_path_style && s.bucket.find('.') != std::string::npos && !s.endpoint_url.starts_with("http://")) {
    // *.s3.amazonaws.com certificates cover one label only: a dotted bucket breaks TLS there.
    problems.emplace_back("S3_BUCKET_NAME with '.' needs S3_FORCE_PATH_STYLE=true over https");
  }
  if (!isValidRegion(s.region)) problems.emplace_back("S3_REGION must be a region name like eu-west-1");
  if (s.timeout.count() <= 0) problems.emplace_back("the S3 timeout must be positive");
  return problems;
}

}  // namespace fraudgov::publish
