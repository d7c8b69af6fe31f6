#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>

namespace fraudgov::crypto {

namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up in the provider registry on every call,
// which costs more than hashing a bearer token; fetch it once.
const EVP_MD* fetchedSha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

std::string sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  const EVP_MD* md = fetchedSha256();
  if (md == nullptr || EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), nullptr, md,
                                  nullptr) != 1) {
    std::abort();  // the default provider always has SHA-256: a failure here is a broken installation
  }
  return out;
}

std::string sha256Hex(std::string_view data) { return toHex(sha256(data)); }

std::string sha1(std::string_view data) {
  std::string out(SHA_DIGEST_LENGTH, '\0');
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), reinterpret_cast<unsigned char*>(out.data()), &len);
  out.resize(len);
  return out;
}

std::string randomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();  // no safe way to continue without randomness
  }
  return out;
}

std::string toHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  // Compare digests so the length of the secret does not leak through an early length check.
  const std::string da = sha256(a);
  const std::string db = sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0 && a.size() == b.size();
}

std::string sha256Checksum(std::string_view data) { return "sha256:" + sha256Hex(data); }

}  // namespace fraudgov::crypto
