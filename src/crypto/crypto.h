// Hashes, MACs, randomness and ids on OpenSSL: the project's one place for cryptography.
#pragma once

#include <string>
#include <string_view>

namespace booklib::crypto {

// Cryptographically secure random bytes (OpenSSL RAND_bytes).
std::string RandomBytes(std::size_t count);
// `count` random bytes as lower-case hex (2*count characters).
std::string RandomHex(std::size_t count);

std::string Sha256(std::string_view data);                            // raw 32 bytes
std::string Sha256Hex(std::string_view data);                         // 64 lower-case hex characters
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes

// Compares in time independent of where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Random UUID version 4, e.g. "3f1c...-4...-...".
std::string RandomUuid();
// Name-based UUID version 5 (SHA-1) of `name` in the namespace `namespace_uuid`: the same
// inputs always give the same id, which lets stores enforce uniqueness with a single write.
std::string NameBasedUuid(std::string_view namespace_uuid, std::string_view name);

}  // namespace booklib::crypto
