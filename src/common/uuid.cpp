#include "common/uuid.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <pthread.h>

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

// Identifiers need unpredictable bytes, but not a DRBG call each: every RAND_bytes call costs a
// getpid() system call (OpenSSL's fork check) and a DRBG round, a measurable share of a cached
// read. Each thread draws 4 KiB at a time and hands them out once (zeroing what it gave away).
// A forked child discards the pool it inherited, so parent and child never share identifier bytes.
std::atomic<std::uint64_t> g_fork_generation{0};

void discardPoolsAfterFork() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

void identifierBytes(unsigned char* out, std::size_t n) {
  static const bool registered = pthread_atfork(nullptr, nullptr, discardPoolsAfterFork) == 0;
  (void)registered;
  struct Pool {
    unsigned char bytes[4096];
    std::size_t used = sizeof bytes;
    std::uint64_t generation = 0;
  };
  thread_local Pool pool;
  const std::uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
  if (pool.used + n > sizeof pool.bytes || pool.generation != generation) {
    const std::string fresh = crypto::randomBytes(sizeof pool.bytes);
    std::memcpy(pool.bytes, fresh.data(), sizeof pool.bytes);
    pool.used = 0;
    pool.generation = generation;
  }
  std::memcpy(out, pool.bytes + pool.used, n);
  std::memset(pool.bytes + pool.used, 0, n);
  pool.used += n;
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
      unsigned char seed = 0;
      identifierBytes(&seed, 1);
      state.counter = static_cast<std::uint32_t>(seed & 0x7f);
    }
    state.last_ms = ms;
    counter = state.counter;
  }
  unsigned char rnd[8];
  identifierBytes(rnd, sizeof rnd);
  unsigned char b[16];
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0f));
  b[7] = static_cast<unsigned char>(counter & 0xff);
  std::memcpy(b + 8, rnd, sizeof rnd);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return format(b);
}

std::string v4() {
  unsigned char b[16];
  identifierBytes(b, sizeof b);
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
