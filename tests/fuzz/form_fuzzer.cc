// Fuzz target: urlencoded forms and queries (web/form.h). A parsed form is UTF-8 text without NUL,
// has at most max_fields fields, and survives being encoded and parsed again unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/codec.h"
#include "text/utf8.h"
#include "web/form.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "form_fuzzer: %s\n", what);
  std::abort();
}

bool IsText(std::string_view s) { return booklib::text::IsValidUtf8(s) && s.find('\0') == s.npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  // The first byte picks a small field limit now and then, so the limit's edge is reached.
  const std::size_t max_fields = size > 0 && data[0] < 16 ? data[0] : 200;
  const auto fields = booklib::web::ParseUrlEncoded(input, max_fields);
  if (fields) {
    if (fields->size() > max_fields) Die("more fields than max_fields");
    std::string encoded;
    for (const auto& [name, value] : *fields) {
      if (!IsText(name) || !IsText(value)) Die("a field that is not UTF-8 text");
      if (!encoded.empty()) encoded += '&';
      encoded += booklib::text::PercentEncode(name) + "=" + booklib::text::PercentEncode(value);
    }
    const auto again = booklib::web::ParseUrlEncoded(encoded, max_fields);
    if (!again || *again != *fields) Die("an encoded form does not parse back to the same fields");
    for (const auto& [name, value] : *fields)
      if (booklib::web::Field(*fields, name) != value) Die("Field disagrees with the map");
  } else if (fields.error().message.empty()) {
    Die("a refusal without a reason");
  }
  return 0;
}
