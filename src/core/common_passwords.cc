// The embedded list, read once into a hash set of views into the binary's bytes.
#include "core/common_passwords.h"

#include <string>
#include <unordered_set>

#include "core/embedded_data.h"
#include "text/ascii.h"

namespace booklib {
namespace {

const std::unordered_set<std::string_view>& CommonPasswords() {
  static const std::unordered_set<std::string_view> kPasswords = [] {
    std::unordered_set<std::string_view> passwords;
    std::string_view list = EmbeddedCoreData().at("data/common_passwords.txt");
    while (!list.empty()) {
      const auto newline = list.find('\n');
      const std::string_view line = list.substr(0, newline);
      if (!line.empty()) passwords.insert(line);
      list = newline == std::string_view::npos ? std::string_view{} : list.substr(newline + 1);
    }
    return passwords;
  }();
  return kPasswords;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  return CommonPasswords().contains(text::AsciiLower(password));
}

}  // namespace booklib
