#include "http/cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "common/text.h"

namespace fraudgov::http {

namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

unsigned maxPrefix(IpAddress::Family family) { return family == IpAddress::Family::kV4 ? 32 : 128; }

// Whether the first `prefix` bits of a and b agree.
bool samePrefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, unsigned prefix) {
  const unsigned whole = prefix / 8;
  if (!std::equal(a.begin(), a.begin() + whole, b.begin())) return false;
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  IpAddress out;
  std::string s(text);
  if (s.find(':') == std::string::npos) {
    // inet_pton(AF_INET) takes exactly four decimal octets and no leading zeros.
    if (::inet_pton(AF_INET, s.c_str(), out.bytes_.data()) != 1) return std::nullopt;
    out.family_ = Family::kV4;
    return out;
  }
  if (const auto zone = s.find('%'); zone != std::string::npos) s.resize(zone);
  if (::inet_pton(AF_INET6, s.c_str(), out.bytes_.data()) != 1) return std::nullopt;
  out.family_ = Family::kV6;
  if (std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), out.bytes_.begin())) {
    std::copy(out.bytes_.begin() + 12, out.bytes_.end(), out.bytes_.begin());
    std::fill(out.bytes_.begin() + 4, out.bytes_.end(), 0);
    out.family_ = Family::kV4;
  }
  return out;
}

bool IpAddress::isLoopback() const {
  if (family_ == Family::kV4) return bytes_[0] == 127;
  static constexpr std::array<std::uint8_t, 16> kV6Loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return bytes_ == kV6Loopback;
}

std::string IpAddress::toString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family_ == Family::kV4 ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

Result<CidrBlock> CidrBlock::parse(std::string_view text) {
  const std::string_view trimmed = text::trim(text);
  const auto slash = trimmed.find('/');
  const auto address = IpAddress::parse(trimmed.substr(0, slash));
  if (!address) return fail(Error::validation("'" + std::string(trimmed) + "' is not an IP address or CIDR block"));
  CidrBlock block;
  block.network_ = *address;
  block.prefix_ = maxPrefix(address->family());
  if (slash != std::string_view::npos) {
    const std::string_view digits = trimmed.substr(slash + 1);
    unsigned prefix = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || digits.size() > 3 || ec != std::errc() || ptr != digits.data() + digits.size() ||
        prefix > block.prefix_) {
      return fail(Error::validation("'" + std::string(trimmed) + "' has an invalid prefix length (0-" +
                                    std::to_string(block.prefix_) + ")"));
    }
    block.prefix_ = prefix;
  }
  // Host bits must be zero: compare the address with itself truncated to the prefix.
  std::array<std::uint8_t, 16> truncated{};
  const auto& bytes = block.network_.bytes();
  for (unsigned bit = 0; bit < block.prefix_; ++bit) {
    const auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
    truncated[bit / 8] |= static_cast<std::uint8_t>(bytes[bit / 8] & mask);
  }
  if (truncated != bytes) {
    return fail(Error::validation("'" + std::string(trimmed) + "' has host bits set (the network address of a /" +
                                  std::to_string(block.prefix_) + " ends in zero bits)"));
  }
  return block;
}

bool CidrBlock::contains(const IpAddress& address) const {
  return address.family() == network_.family() && samePrefix(address.bytes(), network_.bytes(), prefix_);
}

std::string CidrBlock::toString() const { return network_.toString() + "/" + std::to_string(prefix_); }

bool CidrList::contains(const IpAddress& address) const {
  return std::any_of(blocks_.begin(), blocks_.end(), [&](const CidrBlock& b) { return b.contains(address); });
}

CidrList parseCidrList(std::string_view text, std::string_view variable, std::vector<std::string>& problems) {
  CidrList list;
  for (const auto& item : text::splitTrimmed(text, ',')) {
    auto block = CidrBlock::parse(item);
    if (block) {
      list.add(std::move(*block));
    } else {
      problems.push_back(std::string(variable) + ": " + block.error().message);
    }
  }
  return list;
}

}  // namespace fraudgov::http
