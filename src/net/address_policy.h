// Which IP addresses outbound connections may reach: the special-purpose ranges (RFC 6890 and the
// IANA registries) told apart from the public internet, and the connect-time policy built on them.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace booklib::net {

struct IpAddress {
  enum class Family { kV4, kV6 };
  Family family = Family::kV4;
  std::array<std::uint8_t, 16> bytes{};  // network order; an IPv4 address uses the first 4

  bool operator==(const IpAddress&) const = default;
};

// "192.0.2.1", "::1", "::ffff:127.0.0.1" (no brackets, no zone); nullopt for anything else.
std::optional<IpAddress> ParseIpAddress(std::string_view text);
// The conventional text form (inet_ntop).
std::string ToString(const IpAddress& address);

enum class AddressRange {
  kPublic,              // none of the ranges below: reachable on the public internet
  kUnspecified,         // 0.0.0.0/8 ("this network"), ::
  kLoopback,            // 127.0.0.0/8, ::1
  kPrivate,             // 10/8, 172.16/12, 192.168/16, fc00::/7 (unique local), fec0::/10 (site local)
  kSharedAddressSpace,  // 100.64.0.0/10 (carrier-grade NAT)
  kLinkLocal,           // 169.254.0.0/16 (cloud metadata at 169.254.169.254), fe80::/10
  kMulticast,           // 224.0.0.0/4, ff00::/8
  kBroadcast,           // 255.255.255.255
  kDocumentation,       // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20
  kBenchmarking,        // 198.18.0.0/15, 2001:2::/48
  kProtocolAssignment,  // 192.0.0.0/24, 2001::/23 (Teredo, ORCHID, ...), 192.88.99.0/24 (6to4 relay)
  kReserved,            // 240.0.0.0/4, IPv6 outside 2000::/3 (discard 100::/64, 64:ff9b:1::/48, ...)
};

// The range `address` belongs to. IPv6 forms that carry an IPv4 address (v4-mapped ::ffff:a.b.c.d,
// v4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address,
// so ::ffff:127.0.0.1 is loopback and 2002:a00:1:: private.
AddressRange ClassifyAddress(const IpAddress& address);

// ClassifyAddress(address) == kPublic.
bool IsPublicAddress(const IpAddress& address);

// Short stable name for logs ("loopback", "link_local", ...).
const char* AddressRangeName(AddressRange range);

// Where a connection is about to go: the address curl resolved (or was given) and the port.
struct ConnectTarget {
  IpAddress address;
  std::uint16_t port = 0;
};

// Decides, at connect time, whether a client may open a socket to `target`. Judging the socket's
// own address (not the URL's host name) is what defeats DNS rebinding: whatever a name resolves to,
// the address actually connected to is the one checked. Must be thread-safe.
using ConnectPolicy = std::function<bool(const ConnectTarget& target)>;

// Allows public addresses only (IsPublicAddress), on any port. What production outbound fetches of
// URLs that come from elsewhere (cover images) use.
ConnectPolicy PublicAddressesOnly();

}  // namespace booklib::net
