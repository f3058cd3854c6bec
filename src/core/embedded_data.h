// Data files compiled into the binary (src/core/data), by cmake/embed_assets.cmake.
#pragma once

#include <map>
#include <string_view>

namespace booklib {

// Path relative to src/core ("data/common_passwords.txt") -> bytes.
const std::map<std::string_view, std::string_view>& EmbeddedCoreData();

}  // namespace booklib
