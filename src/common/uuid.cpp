#include "common/uuid.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#include "common/crypto.h"

namespace fraudgov::uuid {

namespace {

std::string format(const unsigned char b[16]) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0f];
  }
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parseBytes(std::string_view text, unsigned char out[16]) {
  if (text.size() != 36) return false;
  int byte = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
      ++i;
      continue;
    }
    int hi = hexValue(text[i]), lo = hexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[byte++] = static_cast<unsigned char>(hi << 4 | lo);
    i += 2;
  }
  return true;
}

// Monotonic state for v7: the 12-bit rand_a field becomes a counter within one millisecond
// (RFC 9562 §6.2 method 1), so ids made in the same millisecond still sort in creation order.
struct V7State {
  std::mutex mu;
  std::uint64_t last_ms = 0;
  std::uint32_t counter = 0;
};

}  // namespace

std::string v7() {
  static V7State state;
  std::uint64_t ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::uint32_t counter;
  {
    std::lock_guard lock(state.mu);
    if (ms <= state.last_ms) {
      ms = state.last_ms;
      if (++state.counter > 0x0fff) {  // counter exhausted: borrow the next millisecond
        ++ms;
        state.counter = 0;
      }
    } else {
      state.counter = static_cast<std::uint32_t>(static_cast<unsigned char>(crypto::randomBytes(1)[0]) & 0x7f);
    }
    state.last_ms = ms;
    counter = state.counter;
  }
  const std::string rnd = crypto::randomBytes(8);
  unsigned char b[16];
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0f));
  b[7] = static_cast<unsigned char>(counter & 0xff);
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(rnd[i]);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return format(b);
}

std::string v4() {
  const std::string rnd = crypto::randomBytes(16);
  unsigned char b[16];
  for (int i = 0; i < 16; ++i) b[i] = static_cast<unsigned char>(rnd[i]);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return format(b);
}

std::string v5(std::string_view namespace_uuid, std::string_view name) {
  unsigned char ns[16];
  if (!parseBytes(namespace_uuid, ns)) return {};
  std::string input(reinterpret_cast<const char*>(ns), 16);
  input.append(name);
  const std::string digest = crypto::sha1(input);
  unsigned char b[16];
  for (int i = 0; i < 16; ++i) b[i] = static_cast<unsigned char>(digest[i]);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x50);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return format(b);
}

std::optional<std::string> normalize(std::string_view text) {
  unsigned char b[16];
  if (!parseBytes(text, b)) return std::nullopt;
  return format(b);
}

bool isValid(std::string_view text) {
  unsigned char b[16];
  return parseBytes(text, b);
}

}  // namespace fraudgov::uuid
