// PBKDF2-SHA256 password hashing in Werkzeug's text format.
#include "crypto/password.h"

#include <openssl/evp.h>

#include <charconv>

#include "crypto/crypto.h"
#include "text/codec.h"

namespace booklib::crypto {
namespace {

constexpr int kMaxIterations = 10'000'000;  // bounds the work a stored hash can demand

std::string Pbkdf2Hex(std::string_view password, std::string_view salt, int iterations) {
  std::string out(32, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                    iterations, EVP_sha256(), static_cast<int>(out.size()),
                    reinterpret_cast<unsigned char*>(out.data()));
  return text::HexEncode(out);
}

std::string RandomSalt() {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const std::string bytes = RandomBytes(16);
  std::string salt;
  for (unsigned char b : bytes)
    salt.push_back(kAlphabet[b % kAlphabet.size()]);  // 256 % 62 bias is negligible
  return salt;
}

}  // namespace

std::string HashPassword(std::string_view password, int iterations) {
  const std::string salt = RandomSalt();
  return "pbkdf2:sha256:" + std::to_string(iterations) + "$" + salt + "$" +
         Pbkdf2Hex(password, salt, iterations);
}

bool VerifyPassword(std::string_view password, std::string_view stored_hash) {
  constexpr std::string_view kPrefix = "pbkdf2:sha256:";
  if (!stored_hash.starts_with(kPrefix)) return false;
  const std::string_view rest = stored_hash.substr(kPrefix.size());
  const auto first = rest.find('$');
  if (first == std::string_view::npos) return false;
  const auto second = rest.find('$', first + 1);
  if (second == std::string_view::npos) return false;
  int iterations = 0;
  const std::string_view count = rest.substr(0, first);
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), iterations);
  if (ec != std::errc() || end != count.data() + count.size() || iterations < 1 ||
      iterations > kMaxIterations)
    return false;
  const std::string_view salt = rest.substr(first + 1, second - first - 1);
  const std::string_view expected = rest.substr(second + 1);
  return ConstantTimeEquals(Pbkdf2Hex(password, salt, iterations), expected);
}

}  // namespace booklib::crypto
