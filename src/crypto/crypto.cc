// OpenSSL-backed implementations of crypto.h.
#include "crypto/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdio>
#include <stdexcept>

#include "text/codec.h"

namespace booklib::crypto {
namespace {

// 16 bytes as 8-4-4-4-12 lower-case hex.
std::string FormatUuid(const unsigned char* bytes) {
  std::string out = text::HexEncode(std::string_view(reinterpret_cast<const char*>(bytes), 16));
  for (const std::size_t dash : {8, 13, 18, 23}) out.insert(dash, 1, '-');
  return out;
}

}  // namespace

std::string RandomBytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    // Without an entropy source nothing secure can be made; stopping is the only safe answer.
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::string RandomHex(std::size_t count) { return text::HexEncode(RandomBytes(count)); }

std::string Sha256(std::string_view data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string Sha256Hex(std::string_view data) { return text::HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &length);
  out.resize(length);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomUuid() {
  std::string bytes = RandomBytes(16);
  auto* raw = reinterpret_cast<unsigned char*>(bytes.data());
  raw[6] = static_cast<unsigned char>((raw[6] & 0x0F) | 0x40);
  raw[8] = static_cast<unsigned char>((raw[8] & 0x3F) | 0x80);
  return FormatUuid(raw);
}

std::string NameBasedUuid(std::string_view namespace_uuid, std::string_view name) {
  std::string digits(namespace_uuid);
  std::erase(digits, '-');
  std::string input = text::HexDecode(digits).value_or("");
  input.append(name);
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);
  return FormatUuid(digest.data());
}

}  // namespace booklib::crypto
