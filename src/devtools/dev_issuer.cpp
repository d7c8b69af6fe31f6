#include "devtools/dev_issuer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/uuid.h"
#include "devtools/jws_signer.h"

namespace fraudgov::devtools {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxKeyFileBytes = 64 * 1024;

Result<std::string> readKeyFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return fail(Error::internal("Development signing key is not a regular file"));
  if (fs::file_size(path, ec) > kMaxKeyFileBytes) return fail(Error::internal("Development signing key is too large"));
  // Key material must stay private to the service account even if someone loosened it.
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return fail(Error::internal("Cannot read the development signing key"));
  return text.str();
}

bool writeAll(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return ::fsync(fd) == 0;
}

// Writes a temp file then hard-links it into place: the key appears complete or not at all, and
// link() (unlike rename) never replaces a key another process created meanwhile.
Status publishKeyFile(const fs::path& path, const std::string& pem) {
  const fs::path tmp = path.string() + ".tmp-" + uuid::v4();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail(Error::internal("Cannot create the development signing key file"));
  const bool written = writeAll(fd, pem);
  ::close(fd);
  const bool linked = written && ::link(tmp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (!linked && !(written && link_errno == EEXIST)) {
    return fail(Error::internal("Cannot write the development signing key file"));
  }
  return {};
}

boost::json::array toArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

Result<DevIssuer> DevIssuer::loadOrCreate(const std::string& key_path, const Clock& clock) {
  const fs::path path(key_path);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (path.has_parent_path()) {
      fs::create_directories(path.parent_path(), ec);
      if (ec) return fail(Error::internal("Cannot create the directory for the development signing key"));
    }
    auto fresh = SigningKey::generateEs256();
    if (!fresh) return fail(fresh.error());
    auto pem = fresh->privatePem();
    if (!pem) return fail(pem.error());
    if (auto published = publishKeyFile(path, *pem); !published) return fail(published.error());
  }
  auto pem = readKeyFile(path);
  if (!pem) return fail(pem.error());
  auto key = SigningKey::fromPrivatePem(*pem);
  if (!key) return fail(key.error());
  if (key->algorithm() != JwsAlgorithm::kEs256) {
    return fail(Error::internal("Development signing key must be an EC P-256 key"));
  }
  return DevIssuer(std::move(*key), clock);
}

std::string DevIssuer::jwksJson() const { return devtools::jwksJson({&key_}); }

Result<std::string> DevIssuer::mint(const TokenClaims& claims, std::optional<Timestamp> now) const {
  const std::int64_t iat = now.value_or(clock_->now()).micros / 1'000'000;
  boost::json::object payload;
  payload["iss"] = claims.issuer;
  payload["sub"] = claims.subject;
  payload["aud"] = claims.audience;
  payload["iat"] = iat;
  payload["nbf"] = iat;
  payload["exp"] = iat + claims.ttl.count();
  payload["permissions"] = toArray(claims.permissions);
  payload[claims.audience + "/roles"] = toArray(claims.roles);
  if (!claims.email.empty()) payload["email"] = claims.email;
  if (!claims.name.empty()) payload["name"] = claims.name;
  if (claims.gty) payload["gty"] = *claims.gty;
  return signCompact(key_, payload);
}

}  // namespace fraudgov::devtools
