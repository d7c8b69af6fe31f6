// ARTIFACT_BACKEND=filesystem: exact bytes, atomic replacement (readers never see a torn file,
// no temporary files stay behind), private file modes, keys that cannot escape the root, and
// storage failures reported as 503-class errors that do not reveal the host's paths.
#include "publish/filesystem_artifact_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "support/test_env.h"

namespace fraudgov::publish {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKey = "rulesets/prod/APAC/IN/CARD_AUTH/v3/ruleset.json";

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

mode_t modeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(FilesystemArtifactStore, PutWritesExactBytesPrivatelyAndGetReadsThemBack) {
  const fs::path root = testing::makeTempDir("fs-artifacts");
  FilesystemArtifactStore store(root);
  const std::string bytes("{\"a\":1}\0\xff\n binary tail", 22);

  auto stored = store.put(kKey, bytes, "application/json");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->key, kKey);
  EXPECT_EQ(stored->uri, "file://" + root.string() + "/" + kKey);
  EXPECT_EQ(stored->checksum, "sha256:" + crypto::sha256Hex(bytes));
  EXPECT_EQ(store.uriFor(kKey), stored->uri);
  EXPECT_EQ(store.backendName(), "filesystem");

  const fs::path file = root / kKey;
  EXPECT_EQ(slurp(file), bytes);
  EXPECT_EQ(modeOf(file), 0640u);
  EXPECT_EQ(modeOf(file.parent_path()) & ~0750u, 0u) << "directories are not group-writable or world-accessible";
  EXPECT_EQ(entries(file.parent_path()), std::vector<std::string>{"ruleset.json"}) << "no temporary file is left";

  auto read = store.get(kKey);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, bytes);
}

TEST(FilesystemArtifactStore, OverwriteReplacesTheObjectAndLeavesNoTemporaryFiles) {
  const fs::path root = testing::makeTempDir("fs-artifacts");
  FilesystemArtifactStore store(root);
  const std::string pointer = "rulesets/prod/APAC/IN/CARD_AUTH/manifest.json";
  ASSERT_TRUE(store.put(pointer, R"({"ruleset_version":1})", "application/json"));
  ASSERT_TRUE(store.put(pointer, R"({"ruleset_version":2})", "application/json"));
  EXPECT_EQ(store.get(pointer)->value_or(""), R"({"ruleset_version":2})");
  ASSERT_TRUE(store.put(pointer, "", "application/json")) << "an empty object is still an object";
  EXPECT_EQ(store.get(pointer)->value_or("absent"), "");
  EXPECT_EQ(entries(root / "rulesets/prod/APAC/IN/CARD_AUTH"), std::vector<std::string>{"manifest.json"});
  EXPECT_EQ(modeOf(root / pointer), 0640u);
}

// rename(2) replaces the directory entry in one step: a reader opening the file while writers
// replace it sees one complete version or the other, never a mix or a truncated file.
TEST(FilesystemArtifactStore, ConcurrentReadersNeverSeeATornObject) {
  const fs::path root = testing::makeTempDir("fs-artifacts");
  FilesystemArtifactStore store(root);
  const std::string a(512 * 1024, 'a');
  const std::string b(768 * 1024, 'b');
  ASSERT_TRUE(store.put(kKey, a, "application/json"));

  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::thread reader([&] {
    FilesystemArtifactStore other(root);
    while (!done.load()) {
      auto got = other.get(kKey);
      if (!got || !got->has_value() || (**got != a && **got != b)) ++torn;
      ++reads;
    }
  });
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(store.put(kKey, i % 2 == 0 ? b : a, "application/json"));
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(entries((root / kKey).parent_path()), std::vector<std::string>{"ruleset.json"});
}

TEST(FilesystemArtifactStore, AbsentObjectsAndKeyPrefixesAreNullopt) {
  const fs::path root = testing::makeTempDir("fs-artifacts");
  FilesystemArtifactStore store(root / "not-created-yet");
  auto missing = store.get(kKey);
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE(store.put(kKey, "x", "application/json")) << "the root is created on first use";
  auto prefix = store.get("rulesets/prod/APAC");
  ASSERT_TRUE(prefix) << prefix.error().message;
  EXPECT_FALSE(prefix->has_value()) << "a directory is a key prefix, not an object";
  auto below_file = store.get(std::string(kKey) + "/deeper");
  ASSERT_TRUE(below_file);
  EXPECT_FALSE(below_file->has_value());
}

TEST(FilesystemArtifactStore, TheRootIsMadeAbsoluteAtConstruction) {
  FilesystemArtifactStore defaulted;
  EXPECT_EQ(defaulted.root(), fs::current_path() / "var" / "artifacts");
  FilesystemArtifactStore relative("some/dir/");
  EXPECT_TRUE(relative.root().is_absolute());
  EXPECT_EQ(relative.root(), fs::current_path() / "some" / "dir");
  EXPECT_EQ(relative.uriFor("k.json"), "file://" + (fs::current_path() / "some/dir/k.json").string());
}

TEST(FilesystemArtifactStore, UrisPercentEncodeTheRoot) {
  FilesystemArtifactStore store("/srv/fraud gov/artifacts#1");
  EXPECT_EQ(store.uriFor("keys/artifact-keys.json"), "file:///srv/fraud%20gov/artifacts%231/keys/artifact-keys.json");
}

TEST(FilesystemArtifactStore, KeysThatCouldEscapeTheRootAreRefused) {
  const fs::path parent = testing::makeTempDir("fs-artifacts");
  const fs::path root = parent / "root";
  FilesystemArtifactStore store(root);
  for (const std::string key : {"../escape.json", "/tmp/escape.json", "a/../../escape.json", "a//b", "a/./b", "a\nb",
                                "a b", "a\\..\\escape.json", ""}) {
    auto put = store.put(key, "x", "application/json");
    ASSERT_FALSE(put) << key;
    EXPECT_EQ(put.error().code, ErrorCode::kMalformed) << key;
    auto got = store.get(key);
    ASSERT_FALSE(got) << key;
    EXPECT_EQ(got.error().code, ErrorCode::kMalformed) << key;
  }
  EXPECT_EQ(entries(parent), std::vector<std::string>{}) << "nothing was written anywhere";
  EXPECT_FALSE(fs::exists("/tmp/escape.json"));
}

void expectSafeUnavailable(const Result<StoredObject>& put, const fs::path& root) {
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(put.error().message.starts_with("Artifact storage unavailable: ")) << put.error().message;
  EXPECT_EQ(put.error().message.find(root.parent_path().string()), std::string::npos)
      << "no host path in the message: " << put.error().message;
}

TEST(FilesystemArtifactStore, ARootThatCannotBeADirectoryIsUnavailable) {
  const fs::path parent = testing::makeTempDir("fs-artifacts");
  std::ofstream(parent / "plain-file") << "not a directory";
  const fs::path root = parent / "plain-file" / "artifacts";
  FilesystemArtifactStore store(root);
  expectSafeUnavailable(store.put(kKey, "x", "application/json"), root);
}

// EACCES needs an unprivileged writer: as root (the CI container) the check runs in a forked
// child that drops to nobody, since root bypasses directory permissions.
TEST(FilesystemArtifactStore, AnUnwritableDirectoryIsUnavailable) {
  const fs::path parent = testing::makeTempDir("fs-artifacts");
  const fs::path root = parent / "read-only";
  fs::create_directories(root);
  fs::permissions(root, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
  auto attempt = [&root] {
    FilesystemArtifactStore store(root);
    auto put = store.put(kKey, "x", "application/json");
    const bool ok = !put && put.error().code == ErrorCode::kUnavailable &&
                    put.error().message.find("Permission denied") != std::string::npos &&
                    put.error().message.find(root.string()) == std::string::npos;
    if (!ok) std::fprintf(stderr, "unexpected: %s\n", put ? "success" : put.error().message.c_str());
    return ok;
  };
  if (::geteuid() != 0) {
    EXPECT_TRUE(attempt());
    return;
  }
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) std::_Exit(2);
        std::_Exit(attempt() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace fraudgov::publish
