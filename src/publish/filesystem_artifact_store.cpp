#include "publish/filesystem_artifact_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "common/crypto.h"
#include "publish/artifact_location.h"

namespace fraudgov::publish {

namespace fs = std::filesystem;

namespace {

constexpr mode_t kDirectoryMode = 0750;
constexpr mode_t kFileMode = 0640;

// Owns a file descriptor; close() reports the error that a destructor would have to swallow.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// The public message names the operation and the errno text only: absolute paths describe the
// host's layout and stay out of responses.
Error storageError(std::string_view what, int err) {
  return Error::unavailable("Artifact storage unavailable: cannot " + std::string(what) + " (" +
                            std::error_code(err, std::generic_category()).message() + ")");
}

Status fsyncDirectory(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return fail(storageError("open a directory", errno));
  if (::fsync(fd.get()) != 0) return fail(storageError("sync a directory", errno));
  return {};
}

// mkdir -p with our mode; a directory created here is made durable in its parent, otherwise a
// power loss could drop the whole new subtree together with the file just synced in it.
Status makeDirectories(const fs::path& dir) {
  fs::path current;
  for (const auto& part : dir) {
    const fs::path parent = current;
    current /= part;
    if (::mkdir(current.c_str(), kDirectoryMode) == 0) {
      FRAUDGOV_RETURN_IF_ERROR(fsyncDirectory(parent.empty() ? fs::path("/") : parent));
      continue;
    }
    if (errno != EEXIST) return fail(storageError("create a directory", errno));
    struct stat st {};
    if (::stat(current.c_str(), &st) != 0) return fail(storageError("inspect a directory", errno));
    if (!S_ISDIR(st.st_mode)) return fail(storageError("create a directory", ENOTDIR));
  }
  return {};
}

Status writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(storageError("write the artifact", n < 0 ? errno : EIO));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// A name no valid key can collide with by accident, unique per attempt.
fs::path temporaryPath(const fs::path& target) {
  return target.parent_path() / ("." + target.filename().string() + ".tmp-" + crypto::toHex(crypto::randomBytes(8)));
}

Status writeDurably(const fs::path& temp, std::string_view bytes) {
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, kFileMode));
  if (!fd.valid()) return fail(storageError("create the artifact", errno));
  // The umask must not decide who can read artifacts.
  if (::fchmod(fd.get(), kFileMode) != 0) return fail(storageError("set the artifact's mode", errno));
  FRAUDGOV_RETURN_IF_ERROR(writeAll(fd.get(), bytes));
  if (::fsync(fd.get()) != 0) return fail(storageError("sync the artifact", errno));
  if (fd.close() != 0) return fail(storageError("close the artifact", errno));
  return {};
}

Status replace(const fs::path& target, std::string_view bytes) {
  const fs::path temp = temporaryPath(target);
  Status written = writeDurably(temp, bytes);
  if (written && ::rename(temp.c_str(), target.c_str()) != 0)
    written = fail(storageError("replace the artifact", errno));
  if (!written) {
    ::unlink(temp.c_str());  // best effort: the original error is the one worth reporting
    return written;
  }
  return fsyncDirectory(target.parent_path());  // makes the rename itself durable
}

Result<std::string> readAll(int fd) {
  std::string out;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(storageError("read the artifact", errno));
    if (n == 0) return out;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

// file:// URIs percent-encode everything but unreserved characters and '/', as RFC 8089 and
// Python's Path.as_uri() do, so a root with spaces still gives a valid URI.
std::string fileUriPath(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : path) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || c == '/';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

}  // namespace

FilesystemArtifactStore::FilesystemArtifactStore(const fs::path& root) {
  std::error_code ec;  // absolute() fails only when the current directory is gone; the path then stays as given
  const fs::path absolute = fs::absolute(root, ec);
  root_ = (ec ? root : absolute).lexically_normal();
  if (root_.has_relative_path() && !root_.has_filename()) root_ = root_.parent_path();  // drop a trailing '/'
}

Result<StoredObject> FilesystemArtifactStore::put(std::string_view key, std::string_view bytes,
                                                  std::string_view /*content_type*/) {
  FRAUDGOV_RETURN_IF_ERROR(validateArtifactKey(key));
  const fs::path target = root_ / fs::path(std::string(key));
  FRAUDGOV_RETURN_IF_ERROR(makeDirectories(target.parent_path()));
  FRAUDGOV_RETURN_IF_ERROR(replace(target, bytes));
  return StoredObject{std::string(key), uriFor(key), crypto::sha256Checksum(bytes)};
}

Result<std::optional<std::string>> FilesystemArtifactStore::get(std::string_view key) {
  FRAUDGOV_RETURN_IF_ERROR(validateArtifactKey(key));
  const fs::path target = root_ / fs::path(std::string(key));
  Fd fd(::open(target.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>{};
    return fail(storageError("open the artifact", errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(storageError("inspect the artifact", errno));
  if (!S_ISREG(st.st_mode)) return std::optional<std::string>{};  // a key prefix (directory) is not an object
  FRAUDGOV_ASSIGN_OR_RETURN(std::string bytes, readAll(fd.get()));
  return std::optional<std::string>(std::move(bytes));
}

std::string FilesystemArtifactStore::uriFor(std::string_view key) const {
  return "file://" + fileUriPath((root_ / fs::path(std::string(key))).string());
}

}  // namespace fraudgov::publish
