// ISBN normalisation and checksums.
#include "core/isbn.h"

#include <cctype>

namespace booklib {
namespace {

int Ean13CheckDigit(std::string_view first12) {
  int sum = 0;
  for (size_t i = 0; i < 12; ++i) sum += (first12[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return (10 - sum % 10) % 10;
}

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool IsValidIsbn10(std::string_view s) {
  if (s.size() != 10 || !AllDigits(s.substr(0, 9))) return false;
  const char last = s[9];
  if (!std::isdigit(static_cast<unsigned char>(last)) && last != 'X' && last != 'x') return false;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += (s[i] - '0') * static_cast<int>(10 - i);
  sum += (last == 'X' || last == 'x') ? 10 : last - '0';
  return sum % 11 == 0;
}

// `text` without a leading label as people paste it: "ISBN", "ISBN-10", "ISBN-13", "ISBN13:" and
// the like (any case), with the spaces and colon around it.
std::string_view WithoutLabel(std::string_view text) {
  auto skip_spaces = [&] {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  };
  skip_spaces();
  if (text.size() < 4 || std::tolower(static_cast<unsigned char>(text[0])) != 'i' ||
      std::tolower(static_cast<unsigned char>(text[1])) != 's' ||
      std::tolower(static_cast<unsigned char>(text[2])) != 'b' ||
      std::tolower(static_cast<unsigned char>(text[3])) != 'n')
    return text;
  text.remove_prefix(4);
  for (std::string_view suffix : {"-13", "-10", "13", "10"}) {
    if (text.starts_with(suffix)) {
      text.remove_prefix(suffix.size());
      break;
    }
  }
  skip_spaces();
  if (text.starts_with(':')) text.remove_prefix(1);
  skip_spaces();
  return text;
}

}  // namespace

bool IsValidEan13(std::string_view digits13) {
  return digits13.size() == 13 && AllDigits(digits13) && Ean13CheckDigit(digits13) == digits13[12] - '0';
}

std::string Isbn10To13(std::string_view isbn10) {
  std::string out = "978";
  out.append(isbn10.substr(0, 9));
  out.push_back(static_cast<char>('0' + Ean13CheckDigit(out)));
  return out;
}

std::string Isbn13To10(std::string_view isbn13) {
  if (isbn13.size() != 13 || isbn13.substr(0, 3) != "978") return "";
  std::string out(isbn13.substr(3, 9));
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += (out[i] - '0') * static_cast<int>(10 - i);
  const int check = (11 - sum % 11) % 11;
  out.push_back(check == 10 ? 'X' : static_cast<char>('0' + check));
  return out;
}

Result<std::string> NormalizeIsbn(std::string_view text) {
  std::string compact;
  for (char c : WithoutLabel(text)) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    compact.push_back(c);
  }
  if (compact.empty()) return Fail(ErrorCode::kInvalidArgument, "ISBN is empty");
  if (compact.size() == 10) {
    if (!IsValidIsbn10(compact))
      return Fail(ErrorCode::kInvalidArgument,
                  "ISBN-10 \"" + compact + "\" is not valid: check the digits (the last one may be X)");
    return Isbn10To13(compact);
  }
  if (compact.size() == 13) {
    if (!AllDigits(compact)) return Fail(ErrorCode::kInvalidArgument, "ISBN-13 must contain only digits");
    if (compact.substr(0, 3) != "978" && compact.substr(0, 3) != "979")
      return Fail(ErrorCode::kInvalidArgument,
                  "ISBN-13 must start with 978 or 979 (this looks like another barcode)");
    if (!IsValidEan13(compact))
      return Fail(ErrorCode::kInvalidArgument, "ISBN-13 \"" + compact + "\" has a wrong check digit");
    return compact;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "an ISBN has 10 or 13 digits; got " + std::to_string(compact.size()) + " characters");
}

}  // namespace booklib
