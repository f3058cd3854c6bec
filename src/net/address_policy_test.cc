// ClassifyAddress on the edges of every special-purpose range, IPv4 and IPv6, and its IPv4-carrying forms.
#include "net/address_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace booklib::net {
namespace {

AddressRange RangeOf(const std::string& text) {
  const auto address = ParseIpAddress(text);
  EXPECT_TRUE(address.has_value()) << text;
  return address ? ClassifyAddress(*address) : AddressRange::kPublic;
}

void ExpectRanges(const std::vector<std::pair<std::string, AddressRange>>& cases) {
  for (const auto& [text, range] : cases)
    EXPECT_EQ(AddressRangeName(RangeOf(text)), std::string(AddressRangeName(range))) << text;
}

TEST(AddressPolicy, ParsesBothFamiliesAndRefusesEverythingElse) {
  EXPECT_EQ(ParseIpAddress("192.0.2.1")->family, IpAddress::Family::kV4);
  EXPECT_EQ(ParseIpAddress("2001:db8::1")->family, IpAddress::Family::kV6);
  EXPECT_EQ(ToString(*ParseIpAddress("::ffff:127.0.0.1")), "::ffff:127.0.0.1");
  EXPECT_EQ(ToString(*ParseIpAddress("10.1.2.3")), "10.1.2.3");
  for (const char* text : {"", "localhost", "1.2.3", "1.2.3.256", "[::1]", "::1%lo", "0x7f.0.0.1", "127.1"})
    EXPECT_FALSE(ParseIpAddress(text).has_value()) << text;
}

TEST(AddressPolicy, TellsPublicIpv4FromEverySpecialRangeAtItsEdges) {
  using enum AddressRange;
  ExpectRanges({
      {"0.0.0.0", kUnspecified},
      {"0.255.255.255", kUnspecified},
      {"1.0.0.0", kPublic},
      {"9.255.255.255", kPublic},
      {"10.0.0.0", kPrivate},
      {"10.255.255.255", kPrivate},
      {"11.0.0.0", kPublic},
      {"100.63.255.255", kPublic},
      {"100.64.0.0", kSharedAddressSpace},
      {"100.127.255.255", kSharedAddressSpace},
      {"100.128.0.0", kPublic},
      {"126.255.255.255", kPublic},
      {"127.0.0.1", kLoopback},
      {"127.255.255.254", kLoopback},
      {"128.0.0.0", kPublic},
      {"169.253.255.255", kPublic},
      {"169.254.0.1", kLinkLocal},
      {"169.254.169.254", kLinkLocal},
      {"169.255.0.0", kPublic},
      {"172.15.255.255", kPublic},
      {"172.16.0.0", kPrivate},
      {"172.31.255.255", kPrivate},
      {"172.32.0.0", kPublic},
      {"192.0.0.1", kProtocolAssignment},
      {"192.0.1.0", kPublic},
      {"192.0.2.0", kDocumentation},
      {"192.0.3.0", kPublic},
      {"192.88.99.1", kProtocolAssignment},
      {"192.167.255.255", kPublic},
      {"192.168.0.0", kPrivate},
      {"192.168.255.255", kPrivate},
      {"192.169.0.0", kPublic},
      {"198.17.255.255", kPublic},
      {"198.18.0.0", kBenchmarking},
      {"198.19.255.255", kBenchmarking},
      {"198.20.0.0", kPublic},
      {"198.51.100.7", kDocumentation},
      {"203.0.113.9", kDocumentation},
      {"203.0.114.0", kPublic},
      {"223.255.255.255", kPublic},
      {"224.0.0.1", kMulticast},
      {"239.255.255.255", kMulticast},
      {"240.0.0.0", kReserved},
      {"255.255.255.254", kReserved},
      {"255.255.255.255", kBroadcast},
      {"8.8.8.8", kPublic},
      {"93.184.215.14", kPublic},
  });
}

TEST(AddressPolicy, TellsPublicIpv6FromEverySpecialRange) {
  using enum AddressRange;
  ExpectRanges({
      {"::", kUnspecified},
      {"::1", kLoopback},
      {"::2", kUnspecified},  // v4-compatible 0.0.0.2
      {"fe80::1", kLinkLocal},
      {"febf:ffff::1", kLinkLocal},
      {"fec0::1", kPrivate},
      {"fc00::1", kPrivate},
      {"fd00:ec2::254", kPrivate},  // the EC2 metadata service over IPv6
      {"fdff:ffff::1", kPrivate},
      {"ff02::1", kMulticast},
      {"ff0e::1", kMulticast},
      {"2001:db8::1", kDocumentation},
      {"3fff::1", kDocumentation},
      {"3fff:fff::1", kDocumentation},
      {"2001::1", kProtocolAssignment},  // Teredo
      {"2001:1ff::1", kProtocolAssignment},
      {"2001:2::1", kBenchmarking},
      {"100::1", kReserved},        // discard-only
      {"64:ff9b:1::1", kReserved},  // local-use NAT64
      {"4000::1", kReserved},       // outside global unicast 2000::/3
      {"2001:200::1", kPublic},
      {"2001:4860:4860::8888", kPublic},
      {"2606:4700::1111", kPublic},
      {"3ffe::1", kPublic},
      {"3fff:1000::1", kPublic},
  });
}

TEST(AddressPolicy, JudgesIpv6FormsThatCarryIpv4ByTheirIpv4Address) {
  using enum AddressRange;
  ExpectRanges({
      {"::ffff:127.0.0.1", kLoopback},
      {"::ffff:169.254.169.254", kLinkLocal},
      {"::ffff:10.0.0.1", kPrivate},
      {"::ffff:0.0.0.0", kUnspecified},
      {"::ffff:8.8.8.8", kPublic},
      {"::127.0.0.1", kLoopback},  // v4-compatible
      {"64:ff9b::127.0.0.1", kLoopback},
      {"64:ff9b::192.168.1.1", kPrivate},
      {"64:ff9b::8.8.8.8", kPublic},
      {"2002:7f00:1::", kLoopback},  // 6to4 of 127.0.0.1
      {"2002:a9fe:a9fe::1", kLinkLocal},
      {"2002:808:808::1", kPublic},
  });
}

TEST(AddressPolicy, PublicAddressesOnlyAllowsPublicAddressesOnAnyPortAndNothingElse) {
  const ConnectPolicy policy = PublicAddressesOnly();
  EXPECT_TRUE(policy({*ParseIpAddress("93.184.215.14"), 443}));
  EXPECT_TRUE(policy({*ParseIpAddress("2606:4700::1111"), 8443}));
  for (const char* text : {"127.0.0.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "10.0.0.5", "0.0.0.0",
                           "::", "fe80::1", "fd00::1", "224.0.0.1", "255.255.255.255", "100.64.0.1"})
    EXPECT_FALSE(policy({*ParseIpAddress(text), 443})) << text;
  EXPECT_TRUE(IsPublicAddress(*ParseIpAddress("1.1.1.1")));
  EXPECT_FALSE(IsPublicAddress(*ParseIpAddress("192.168.1.1")));
}

}  // namespace
}  // namespace booklib::net
