#pragma once
// IP addresses and CIDR blocks (IPv4 and IPv6) for source-address allow-lists and trusted
// proxies. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a dual-stack socket reports for an
// IPv4 peer) are normalized to IPv4, so "10.0.0.0/8" matches them.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace fraudgov::http {

class IpAddress {
 public:
  enum class Family { kV4, kV6 };

  // Accepts dotted IPv4 and RFC 4291 IPv6 text; an IPv6 zone ("%eth0") is ignored. Nothing else:
  // no ports, brackets, host names or the lenient inet_aton forms ("10.1", "0x7f.1").
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool isLoopback() const;
  std::string toString() const;
  // Network byte order; only the first 4 bytes are meaningful for IPv4.
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  bool operator==(const IpAddress&) const = default;

 private:
  Family family_ = Family::kV4;
  std::array<std::uint8_t, 16> bytes_{};
};

class CidrBlock {
 public:
  // "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128). Host bits must be zero,
  // so a typo such as "10.0.0.1/8" is reported instead of silently widening the block.
  static Result<CidrBlock> parse(std::string_view text);

  bool contains(const IpAddress& address) const;
  unsigned prefixLength() const { return prefix_; }
  std::string toString() const;

 private:
  IpAddress network_;
  unsigned prefix_ = 0;
};

class CidrList {
 public:
  CidrList() = default;
  explicit CidrList(std::vector<CidrBlock> blocks) : blocks_(std::move(blocks)) {}

  void add(CidrBlock block) { blocks_.push_back(std::move(block)); }
  bool contains(const IpAddress& address) const;
  bool empty() const { return blocks_.empty(); }
  const std::vector<CidrBlock>& blocks() const { return blocks_; }

 private:
  std::vector<CidrBlock> blocks_;
};

// A comma-separated list as found in configuration (empty items are skipped). problems receives
// one message per bad item, prefixed with `variable`; the good items are still returned.
CidrList parseCidrList(std::string_view text, std::string_view variable, std::vector<std::string>& problems);

}  // namespace fraudgov::http
