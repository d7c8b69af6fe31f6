// Runs libFuzzer-style targets as regression tests under the normal (g++) build: every file of
// the target's seed corpus, then a few thousand deterministic mutations of them. The same
// sources build as real coverage-guided fuzzers with clang (`make fuzz`).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::string> loadCorpus(const std::filesystem::path& dir) {
  std::vector<std::string> inputs;
  if (!std::filesystem::exists(dir)) return inputs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return inputs;
}

std::string mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    const auto pos = s.empty() ? 0 : rng() % s.size();
    switch (rng() % 5) {
      case 0:
        if (!s.empty()) s[pos] = static_cast<char>(rng());
        break;
      case 1:
        s.insert(s.begin() + static_cast<long>(pos), static_cast<char>(rng()));
        break;
      case 2:
        if (!s.empty()) s.erase(pos, 1 + rng() % 8);
        break;
      case 3:
        s.insert(pos, s.substr(0, rng() % (s.size() + 1)));
        break;  // duplicate a prefix (nesting)
      default:
        if (!s.empty()) s[pos] = "{}[]\",:0\\"[rng() % 10];
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir> [iterations]\n", argv[0]);
    return 2;
  }
  const auto corpus = loadCorpus(argv[1]);
  const int iterations = argc > 2 ? std::stoi(argv[2]) : 20000;
  std::size_t runs = 0;
  for (const auto& input : corpus) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ++runs;
  }
  std::mt19937 rng(12345);
  for (int i = 0; i < iterations && !corpus.empty(); ++i) {
    const std::string input = mutate(corpus[rng() % corpus.size()], rng);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    ++runs;
  }
  std::printf("%zu inputs, no crash\n", runs);
  return 0;
}
