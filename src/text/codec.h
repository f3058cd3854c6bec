// Byte codings, the one home for each: hex, percent (RFC 3986) and base64 and base64url (RFC 4648,
// on OpenSSL's EVP block codec). Decoders return nullopt for malformed input; none throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace booklib::text {

// Lower-case hex, two digits a byte. (OpenSSL's OPENSSL_buf2hexstr writes upper case with
// separators, which neither digests nor UUIDs want.)
std::string HexEncode(std::string_view bytes);
// Pairs of hex digits (either case) back to bytes; nullopt for an odd length or a non-hex digit.
std::optional<std::string> HexDecode(std::string_view hex);

// Every byte but the unreserved A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash) as %XX, upper-case
// hex: URL query values, SigV4's canonical URIs, paths in a Location.
std::string PercentEncode(std::string_view text, bool keep_slash = false);
// %XX escapes decoded, and '+' as a space when plus_is_space (form bodies). nullopt for a '%' not
// followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Standard alphabet, padded.
std::string Base64Encode(std::string_view bytes);
// Padded standard base64; surrounding whitespace ignored. nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);

// The URL- and filename-safe alphabet (RFC 4648 section 5: '-' and '_' for '+' and '/'), without
// padding: tokens that travel in headers and URLs.
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace booklib::text
