// Fuzz target: ISBN normalisation (core/isbn.h). A normalised ISBN is 13 digits with a 978/979
// prefix and a valid check digit; it normalises to itself, and a 978 one round-trips through its
// ISBN-10 form.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/isbn.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "isbn_fuzzer: %s\n", what);
  std::abort();
}

bool AllDigits(std::string_view s) { return s.find_first_not_of("0123456789") == std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  (void)booklib::IsValidEan13(input);
  const auto isbn = booklib::NormalizeIsbn(input);
  if (!isbn) {
    if (isbn.error().message.empty()) Die("a refusal without a reason");
    return 0;
  }
  const std::string& digits = *isbn;
  if (digits.size() != 13 || !AllDigits(digits)) Die("not 13 digits");
  if (!digits.starts_with("978") && !digits.starts_with("979")) Die("not a 978/979 prefix");
  if (!booklib::IsValidEan13(digits)) Die("an invalid check digit");
  const auto again = booklib::NormalizeIsbn(digits);
  if (!again || *again != digits) Die("a normalised ISBN does not normalise to itself");
  const std::string isbn10 = booklib::Isbn13To10(digits);
  if (digits.starts_with("979")) {
    if (!isbn10.empty()) Die("a 979 ISBN with an ISBN-10 form");
    return 0;
  }
  if (isbn10.size() != 10) Die("a 978 ISBN without a 10-character ISBN-10 form");
  const auto from10 = booklib::NormalizeIsbn(isbn10);
  if (!from10 || *from10 != digits) Die("the ISBN-10 form does not normalise back");
  if (booklib::Isbn10To13(isbn10) != digits) Die("Isbn10To13 does not invert Isbn13To10");
  // The input's digits, as typed, are those of the result or of its ISBN-10 form.
  std::string typed;
  for (const char c : input)
    if ((c >= '0' && c <= '9') || c == 'X' || c == 'x') typed += (c == 'x' ? 'X' : c);
  if (typed != digits && typed != isbn10) Die("the result's digits are not the typed ones");
  return 0;
}
