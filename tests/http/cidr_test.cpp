// Edges of http/cidr.h beyond client_address_test.cpp: malformed IPv6, prefix boundaries and the
// extreme prefix lengths, where an off-by-one in the mask would widen an allow-list.
#include "http/cidr.h"

#include <gtest/gtest.h>

namespace fraudgov::http {

namespace {

IpAddress ip(std::string_view text) {
  auto a = IpAddress::parse(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(IpAddress{});
}

CidrBlock block(std::string_view text) {
  auto b = CidrBlock::parse(text);
  EXPECT_TRUE(b) << text << ": " << (b ? "" : b.error().message);
  return b ? *b : CidrBlock{};
}

}  // namespace

TEST(CidrParsing, AcceptsEveryIpv6Spelling) {
  EXPECT_EQ(ip("::").toString(), "::");
  EXPECT_EQ(ip("0:0:0:0:0:0:0:1").toString(), "::1");
  EXPECT_EQ(ip("2001:db8::").toString(), "2001:db8::");
  EXPECT_EQ(ip("2001:0db8:0000:0000:0000:ff00:0042:8329").toString(), "2001:db8::ff00:42:8329");
  EXPECT_EQ(ip("::ffff:192.0.2.128").toString(), "192.0.2.128");
  EXPECT_EQ(ip("255.255.255.255").toString(), "255.255.255.255");
  EXPECT_EQ(ip("0.0.0.0").family(), IpAddress::Family::kV4);
  EXPECT_EQ(ip("::1").family(), IpAddress::Family::kV6);
}

TEST(CidrParsing, RefusesMalformedAddresses) {
  for (const char* bad :
       {":::", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1::2::3", "2001:db8:::1", ":1::", "1.2.3", "1.2.3.4.", ".1.2.3",
        "1..2.3", "1.2.3.-4", "::ffff:1.2.3", "::ffff:256.1.1.1", "2001:db8::/", "1.2.3.4 ", "\t::1", "1.2.3.4\n"}) {
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
  }
}

TEST(CidrMatching, HostPrefixesMatchExactlyOneAddress) {
  const auto v4 = block("198.51.100.7/32");
  EXPECT_EQ(v4.prefixLength(), 32u);
  EXPECT_TRUE(v4.contains(ip("198.51.100.7")));
  EXPECT_FALSE(v4.contains(ip("198.51.100.6")));
  EXPECT_FALSE(v4.contains(ip("198.51.100.8")));
  const auto v6 = block("2001:db8::7/128");
  EXPECT_EQ(v6.prefixLength(), 128u);
  EXPECT_TRUE(v6.contains(ip("2001:db8::7")));
  EXPECT_FALSE(v6.contains(ip("2001:db8::6")));
  EXPECT_FALSE(v6.contains(ip("2001:db8::8")));
  EXPECT_EQ(block("2001:db8::7").prefixLength(), 128u) << "a bare IPv6 address is a /128";
  EXPECT_EQ(block("198.51.100.7").prefixLength(), 32u) << "a bare IPv4 address is a /32";
}

TEST(CidrMatching, ZeroPrefixesMatchTheirWholeFamilyOnly) {
  const auto all_v4 = block("0.0.0.0/0");
  EXPECT_TRUE(all_v4.contains(ip("0.0.0.0")));
  EXPECT_TRUE(all_v4.contains(ip("255.255.255.255")));
  EXPECT_TRUE(all_v4.contains(ip("::ffff:203.0.113.1"))) << "a v4-mapped peer is an IPv4 peer";
  EXPECT_FALSE(all_v4.contains(ip("2001:db8::1")));
  const auto all_v6 = block("::/0");
  EXPECT_TRUE(all_v6.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_FALSE(all_v6.contains(ip("10.0.0.1")));
  EXPECT_FALSE(CidrBlock::parse("1.0.0.0/0")) << "host bits beyond a /0 are a typo";
}

TEST(CidrMatching, BoundariesInsideAByte) {
  const auto v4 = block("10.0.0.128/25");
  EXPECT_TRUE(v4.contains(ip("10.0.0.128")));
  EXPECT_TRUE(v4.contains(ip("10.0.0.255")));
  EXPECT_FALSE(v4.contains(ip("10.0.0.127")));
  EXPECT_FALSE(v4.contains(ip("10.0.1.0")));
  const auto v6 = block("2001:db8:8000::/33");
  EXPECT_TRUE(v6.contains(ip("2001:db8:ffff::1")));
  EXPECT_FALSE(v6.contains(ip("2001:db8:7fff::1")));
  const auto pair = block("fe80::/127");
  EXPECT_TRUE(pair.contains(ip("fe80::1")));
  EXPECT_FALSE(pair.contains(ip("fe80::2")));
  EXPECT_TRUE(block("128.0.0.0/1").contains(ip("200.1.1.1")));
  EXPECT_FALSE(block("128.0.0.0/1").contains(ip("127.255.255.255")));
}

TEST(CidrMatching, Ipv4MappedPeersMatchIpv4Blocks) {
  const auto local = block("127.0.0.0/8");
  EXPECT_TRUE(local.contains(ip("::ffff:127.0.0.1")));
  EXPECT_TRUE(local.contains(ip("::FFFF:127.1.2.3")));
  EXPECT_FALSE(local.contains(ip("::ffff:128.0.0.1")));
  EXPECT_FALSE(block("::/96").contains(ip("10.0.0.1"))) << "an IPv4 peer is not in an IPv6 block";
}

TEST(CidrList, AnyBlockMatches) {
  std::vector<std::string> problems;
  const auto list = parseCidrList("192.0.2.0/24,2001:db8::/32", "X", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_TRUE(list.contains(ip("192.0.2.200")));
  EXPECT_TRUE(list.contains(ip("2001:db8:1::1")));
  EXPECT_FALSE(list.contains(ip("198.51.100.1")));
  EXPECT_FALSE(CidrList{}.contains(ip("127.0.0.1"))) << "an empty list allows nobody";
}

}  // namespace fraudgov::http
