// Fuzz target: multipart/form-data (web/multipart.h). Input: a Content-Type line, a newline, then
// the body. Every part's body lies inside the request body; a refusal has a reason.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "web/multipart.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "multipart_fuzzer: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  // Exactly sized heap copies, so that ASan sees a read one byte past either.
  const std::string content_type(input.substr(0, newline));
  const std::string_view rest = input.substr(newline + 1);
  const auto body_bytes = std::make_unique<char[]>(rest.size());
  std::copy(rest.begin(), rest.end(), body_bytes.get());
  const std::string_view body(body_bytes.get(), rest.size());

  const auto parts = booklib::web::ParseMultipart(content_type, body);
  if (!parts) {
    if (parts.error().message.empty()) Die("a refusal without a reason");
    return 0;
  }
  for (const auto& part : *parts) {
    if (part.body.data() < body.data() || part.body.data() + part.body.size() > body.data() + body.size())
      Die("a part's body outside the request body");
  }
  return 0;
}
