// Source addresses: IPv4/IPv6 parsing and CIDR matching, and clientIp()'s reading of
// X-Forwarded-For — believed only from a trusted proxy, right-most untrusted hop wins.
#include <gtest/gtest.h>

#include "http/cidr.h"
#include "http/client_address.h"

namespace fraudgov::http {

namespace {

CidrBlock block(std::string_view text) {
  auto b = CidrBlock::parse(text);
  EXPECT_TRUE(b) << text << ": " << (b ? "" : b.error().message);
  return b ? *b : CidrBlock{};
}

IpAddress ip(std::string_view text) {
  auto a = IpAddress::parse(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(IpAddress{});
}

CidrList list(std::string_view text) {
  std::vector<std::string> problems;
  auto l = parseCidrList(text, "TEST", problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  return l;
}

Request fromPeer(std::string peer, std::vector<std::string> forwarded = {}) {
  Request r;
  r.peer_address = std::move(peer);
  for (auto& f : forwarded) r.headers.add("X-Forwarded-For", std::move(f));
  return r;
}

}  // namespace

TEST(IpAddress, ParsesStrictlyAndPrintsCanonically) {
  EXPECT_EQ(ip("192.0.2.1").toString(), "192.0.2.1");
  EXPECT_EQ(ip("2001:DB8:0:0::1").toString(), "2001:db8::1");
  EXPECT_EQ(ip("fe80::1%eth0").toString(), "fe80::1");
  // IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer) is the IPv4 address.
  EXPECT_EQ(ip("::ffff:10.1.2.3"), ip("10.1.2.3"));
  EXPECT_EQ(ip("::ffff:10.1.2.3").family(), IpAddress::Family::kV4);
  for (const char* bad : {"", "10.1", "0x7f.0.0.1", "010.0.0.1", "256.0.0.1", "1.2.3.4.5", "1.2.3.4:80", "[::1]",
                          "localhost", "::1::2", " 1.2.3.4", "1.2.3.4/32"}) {
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;
  }
  EXPECT_TRUE(ip("127.9.9.9").isLoopback());
  EXPECT_TRUE(ip("::1").isLoopback());
  EXPECT_TRUE(ip("::ffff:127.0.0.1").isLoopback());
  EXPECT_FALSE(ip("10.0.0.1").isLoopback());
  EXPECT_FALSE(ip("::2").isLoopback());
}

TEST(CidrBlock, MatchesIpv4AndIpv6Prefixes) {
  const auto ten = block("10.0.0.0/8");
  EXPECT_TRUE(ten.contains(ip("10.255.0.1")));
  EXPECT_FALSE(ten.contains(ip("11.0.0.1")));
  EXPECT_TRUE(ten.contains(ip("::ffff:10.0.0.7")));
  EXPECT_FALSE(ten.contains(ip("::a00:7"))) << "IPv4-compatible is not IPv4-mapped";

  const auto odd = block("192.168.4.0/22");
  EXPECT_TRUE(odd.contains(ip("192.168.7.255")));
  EXPECT_FALSE(odd.contains(ip("192.168.8.0")));
  EXPECT_FALSE(odd.contains(ip("192.168.3.255")));

  const auto v6 = block("2001:db8:abcd::/48");
  EXPECT_TRUE(v6.contains(ip("2001:db8:abcd:12::1")));
  EXPECT_FALSE(v6.contains(ip("2001:db8:abce::1")));
  EXPECT_FALSE(v6.contains(ip("10.0.0.1")));
  EXPECT_FALSE(ten.contains(ip("2001:db8::1")));

  EXPECT_TRUE(block("203.0.113.9").contains(ip("203.0.113.9")));
  EXPECT_FALSE(block("203.0.113.9").contains(ip("203.0.113.10")));
  EXPECT_TRUE(block("::1").contains(ip("::1")));
  EXPECT_TRUE(block("0.0.0.0/0").contains(ip("198.51.100.1")));
  EXPECT_FALSE(block("0.0.0.0/0").contains(ip("::1")));
  EXPECT_TRUE(block("::/0").contains(ip("2001:db8::1")));
  EXPECT_EQ(block(" 10.0.0.0/8 ").toString(), "10.0.0.0/8");
  EXPECT_EQ(block("2001:db8::/32").toString(), "2001:db8::/32");
}

TEST(CidrBlock, RejectsMalformedBlocksWithAUsefulMessage) {
  for (const char* bad : {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/08x",
                          "::1/129", "2001:db8::1/32", "localhost", "10.0.0.0/ 8", "*", "10.0.0.0/0008"}) {
    auto b = CidrBlock::parse(bad);
    EXPECT_FALSE(b) << bad;
    if (!b) {
      EXPECT_NE(b.error().message.find('\''), std::string::npos) << "names the item: " << bad;
    }
  }
  EXPECT_NE(CidrBlock::parse("10.0.0.1/8").error().message.find("host bits"), std::string::npos);
}

TEST(CidrList, ParsesConfigurationListsAndReportsEachBadItem) {
  std::vector<std::string> problems;
  auto l = parseCidrList("10.0.0.0/8, ,2001:db8::/32,bogus,192.168.1.1/24", "METRICS_ALLOW_CIDRS", problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].rfind("METRICS_ALLOW_CIDRS: 'bogus'", 0), 0u) << problems[0];
  EXPECT_NE(problems[1].find("192.168.1.1/24"), std::string::npos);
  EXPECT_EQ(l.blocks().size(), 2u);
  EXPECT_TRUE(l.contains(ip("2001:db8::5")));
  EXPECT_TRUE(l.contains(ip("10.9.9.9")));
  EXPECT_FALSE(l.contains(ip("192.168.1.1")));
  EXPECT_TRUE(parseCidrList("", "X", problems).empty());
}

TEST(ClientAddress, IsThePeerWhenNoProxyIsTrusted) {
  const TrustedProxies none;
  // A client cannot choose its address by sending X-Forwarded-For.
  EXPECT_EQ(clientAddress(fromPeer("198.51.100.7", {"10.0.0.1"}), none), "198.51.100.7");
  EXPECT_EQ(clientAddress(fromPeer("::ffff:198.51.100.7"), none), "198.51.100.7");
  EXPECT_EQ(clientAddress(fromPeer("2001:db8::7"), none), "2001:db8::7");
  EXPECT_EQ(clientAddress(fromPeer(""), none), "unknown");
  EXPECT_FALSE(clientIp(fromPeer("garbage"), none));
  // An untrusted peer's header is ignored even when other proxies are trusted.
  const TrustedProxies lb(list("10.0.0.0/8"));
  EXPECT_EQ(clientAddress(fromPeer("198.51.100.7", {"10.0.0.1, 127.0.0.1"}), lb), "198.51.100.7");
}

TEST(ClientAddress, BehindTrustedProxiesIsTheRightMostUntrustedHop) {
  const TrustedProxies proxies(list("10.0.0.0/8, 2001:db8:1::/48"));
  // One proxy: the hop it appended.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"203.0.113.9"}), proxies), "203.0.113.9");
  // The client prepended a spoofed address; the proxy appended the real one.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"127.0.0.1, 203.0.113.9"}), proxies), "203.0.113.9");
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"10.0.0.99, 203.0.113.9"}), proxies), "203.0.113.9");
  // Two proxies in a row, split across headers, IPv6 in between.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"198.51.100.1, 203.0.113.9", "2001:db8:1::5 , 10.1.1.1"}), proxies),
            "203.0.113.9");
  // Ports and brackets as some proxies write them.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"203.0.113.9:51234"}), proxies), "203.0.113.9");
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"[2001:db8:2::9]:443"}), proxies), "2001:db8:2::9");
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"2001:db8:2::9"}), proxies), "2001:db8:2::9");
  // No header: the proxy itself (e.g. its own health check). All hops trusted: the left-most.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2"), proxies), "10.0.0.2");
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"10.3.3.3, 10.4.4.4"}), proxies), "10.3.3.3");
  // Empty elements carry nothing.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"203.0.113.9,, "}), proxies), "203.0.113.9");
  // Garbage before the first untrusted hop means the chain cannot be read: unknown, never a guess.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"203.0.113.9, not-an-ip"}), proxies), "unknown");
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"unknown"}), proxies), "unknown");
  // Garbage to the left of the client's address is the client's own business.
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {"<script>, 203.0.113.9"}), proxies), "203.0.113.9");
}

TEST(ClientAddress, BoundsTheWorkOnLongTrustedChains) {
  const TrustedProxies proxies(list("10.0.0.0/8"));
  std::string chain = "203.0.113.9";
  for (int i = 0; i < 40; ++i) chain += ", 10.0.0." + std::to_string(i + 1);
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {chain}), proxies), "unknown");
  std::string short_chain = "203.0.113.9";
  for (int i = 0; i < 10; ++i) short_chain += ", 10.0.0." + std::to_string(i + 1);
  EXPECT_EQ(clientAddress(fromPeer("10.0.0.2", {short_chain}), proxies), "203.0.113.9");
}

}  // namespace fraudgov::http
