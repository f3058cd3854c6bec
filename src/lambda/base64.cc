// Base64 on OpenSSL's EVP block codec.
#include "lambda/base64.h"

#include <openssl/evp.h>

#include <cstddef>

namespace booklib::lambda {
namespace {

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

// EVP_DecodeBlock reports padding as decoded zero bytes; this is how many to drop.
std::size_t PaddingCount(std::string_view text) {
  std::size_t count = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '=' && count < 2; ++it) ++count;
  return count;
}

bool PaddingOnlyAtEnd(std::string_view text) {
  const std::size_t first_pad = text.find('=');
  if (first_pad == std::string_view::npos) return true;
  return text.find_first_not_of('=', first_pad) == std::string_view::npos && text.size() - first_pad <= 2;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  if (bytes.empty()) return out;
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  text = TrimWhitespace(text);
  if (text.empty()) return std::string();
  if (text.size() % 4 != 0 || !PaddingOnlyAtEnd(text)) {
    return Fail(ErrorCode::kInvalidArgument, "base64 text is malformed");
  }
  std::string out(3 * (text.size() / 4), '\0');
  const int written =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (written < 0) return Fail(ErrorCode::kInvalidArgument, "base64 text has invalid characters");
  out.resize(static_cast<std::size_t>(written) - PaddingCount(text));
  return out;
}

}  // namespace booklib::lambda
