// Password hashes in Werkzeug's format, so accounts from the seed's Flask app keep working:
// "pbkdf2:sha256:<iterations>$<salt>$<hex of PBKDF2-HMAC-SHA256(password, salt, iterations, 32)>".
#pragma once

#include <string>
#include <string_view>

namespace booklib::crypto {

inline constexpr int kDefaultPasswordIterations = 600000;

// A new hash with a random 16-character salt.
std::string HashPassword(std::string_view password, int iterations = kDefaultPasswordIterations);

// True if `password` matches `stored_hash`. The iteration count is read from the hash.
// Malformed hashes, other methods and absurd iteration counts return false.
bool VerifyPassword(std::string_view password, std::string_view stored_hash);

}  // namespace booklib::crypto
