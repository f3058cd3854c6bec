// Address ranges by prefix match, IPv6 forms carrying IPv4 unwrapped first.
#include "net/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace booklib::net {
namespace {

struct Prefix {
  std::array<std::uint8_t, 16> bytes;
  int bits;
  AddressRange range;
};

bool Matches(const std::array<std::uint8_t, 16>& address, const Prefix& prefix) {
  const int whole = prefix.bits / 8;
  for (int i = 0; i < whole; ++i)
    if (address[i] != prefix.bytes[i]) return false;
  const int rest = prefix.bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (address[whole] & mask) == (prefix.bytes[whole] & mask);
}

// Most specific first where ranges nest (none of these do, but keep it that way).
constexpr Prefix kV4Ranges[] = {
    {{0}, 8, AddressRange::kUnspecified},
    {{10}, 8, AddressRange::kPrivate},
    {{100, 64}, 10, AddressRange::kSharedAddressSpace},
    {{127}, 8, AddressRange::kLoopback},
    {{169, 254}, 16, AddressRange::kLinkLocal},
    {{172, 16}, 12, AddressRange::kPrivate},
    {{192, 0, 0}, 24, AddressRange::kProtocolAssignment},
    {{192, 0, 2}, 24, AddressRange::kDocumentation},
    {{192, 88, 99}, 24, AddressRange::kProtocolAssignment},
    {{192, 168}, 16, AddressRange::kPrivate},
    {{198, 18}, 15, AddressRange::kBenchmarking},
    {{198, 51, 100}, 24, AddressRange::kDocumentation},
    {{203, 0, 113}, 24, AddressRange::kDocumentation},
    {{224}, 4, AddressRange::kMulticast},
    {{255, 255, 255, 255}, 32, AddressRange::kBroadcast},
    {{240}, 4, AddressRange::kReserved},
};

constexpr Prefix kV6Ranges[] = {
    {{0xFF}, 8, AddressRange::kMulticast},
    {{0xFE, 0x80}, 10, AddressRange::kLinkLocal},
    {{0xFE, 0xC0}, 10, AddressRange::kPrivate},  // site-local, deprecated but still routed inside sites
    {{0xFC}, 7, AddressRange::kPrivate},
    {{0x20, 0x01, 0x0D, 0xB8}, 32, AddressRange::kDocumentation},
    {{0x3F, 0xFF}, 20, AddressRange::kDocumentation},
    {{0x20, 0x01, 0x00, 0x02, 0x00, 0x00}, 48, AddressRange::kBenchmarking},
    {{0x20, 0x01}, 23, AddressRange::kProtocolAssignment},
};

AddressRange ClassifyV4(const std::array<std::uint8_t, 16>& v4_first) {
  for (const Prefix& prefix : kV4Ranges)
    if (Matches(v4_first, prefix)) return prefix.range;
  return AddressRange::kPublic;
}

// The IPv4 address inside an IPv6 one at byte `offset`, moved to the front.
std::array<std::uint8_t, 16> EmbeddedV4(const std::array<std::uint8_t, 16>& v6, int offset) {
  std::array<std::uint8_t, 16> v4{};
  std::memcpy(v4.data(), v6.data() + offset, 4);
  return v4;
}

bool AllZero(const std::array<std::uint8_t, 16>& bytes, int from, int to) {
  for (int i = from; i < to; ++i)
    if (bytes[i] != 0) return false;
  return true;
}

AddressRange ClassifyV6(const std::array<std::uint8_t, 16>& a) {
  if (AllZero(a, 0, 16)) return AddressRange::kUnspecified;
  if (AllZero(a, 0, 15) && a[15] == 1) return AddressRange::kLoopback;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated): the kernel may reach the IPv4.
  if (AllZero(a, 0, 10) && a[10] == 0xFF && a[11] == 0xFF) return ClassifyV4(EmbeddedV4(a, 12));
  if (AllZero(a, 0, 12)) return ClassifyV4(EmbeddedV4(a, 12));
  // NAT64 well-known prefix 64:ff9b::/96: a translator would connect to the embedded IPv4.
  constexpr Prefix kNat64{{0x00, 0x64, 0xFF, 0x9B}, 96, AddressRange::kPublic};
  if (Matches(a, kNat64)) return ClassifyV4(EmbeddedV4(a, 12));
  // 6to4 2002:V4ADDR::/48: relays tunnel to the embedded IPv4.
  if (a[0] == 0x20 && a[1] == 0x02) return ClassifyV4(EmbeddedV4(a, 2));
  for (const Prefix& prefix : kV6Ranges)
    if (Matches(a, prefix)) return prefix.range;
  // Global unicast is 2000::/3; everything else is unassigned or special (100::/64 discard,
  // 64:ff9b:1::/48 local NAT64, ...).
  if ((a[0] & 0xE0) != 0x20) return AddressRange::kReserved;
  return AddressRange::kPublic;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  const std::string zero_terminated(text);
  IpAddress address;
  if (inet_pton(AF_INET, zero_terminated.c_str(), address.bytes.data()) == 1) {
    address.family = IpAddress::Family::kV4;
    return address;
  }
  if (inet_pton(AF_INET6, zero_terminated.c_str(), address.bytes.data()) == 1) {
    address.family = IpAddress::Family::kV6;
    return address;
  }
  return std::nullopt;
}

std::string ToString(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  const int family = address.family == IpAddress::Family::kV4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, address.bytes.data(), text, sizeof text) == nullptr) return "?";
  return text;
}

AddressRange ClassifyAddress(const IpAddress& address) {
  if (address.family == IpAddress::Family::kV4) {
    std::array<std::uint8_t, 16> v4{};
    std::memcpy(v4.data(), address.bytes.data(), 4);
    return ClassifyV4(v4);
  }
  return ClassifyV6(address.bytes);
}

bool IsPublicAddress(const IpAddress& address) { return ClassifyAddress(address) == AddressRange::kPublic; }

const char* AddressRangeName(AddressRange range) {
  switch (range) {
    case AddressRange::kPublic:
      return "public";
    case AddressRange::kUnspecified:
      return "unspecified";
    case AddressRange::kLoopback:
      return "loopback";
    case AddressRange::kPrivate:
      return "private";
    case AddressRange::kSharedAddressSpace:
      return "shared_address_space";
    case AddressRange::kLinkLocal:
      return "link_local";
    case AddressRange::kMulticast:
      return "multicast";
    case AddressRange::kBroadcast:
      return "broadcast";
    case AddressRange::kDocumentation:
      return "documentation";
    case AddressRange::kBenchmarking:
      return "benchmarking";
    case AddressRange::kProtocolAssignment:
      return "protocol_assignment";
    case AddressRange::kReserved:
      return "reserved";
  }
  return "unknown";
}

ConnectPolicy PublicAddressesOnly() {
  return [](const ConnectTarget& target) { return IsPublicAddress(target.address); };
}

}  // namespace booklib::net
