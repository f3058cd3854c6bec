// The 10,000 most common passwords, which registration refuses.
#pragma once

#include <string_view>

namespace booklib {

// True when `password`, compared without ASCII case, is on the list in src/core/data/
// common_passwords.txt: the first 10,000 entries of zxcvbn's "passwords" frequency list (from
// Debian's python3-zxcvbn 4.4.28, MIT licence; see src/core/data/README.md), most common first.
bool IsCommonPassword(std::string_view password);

}  // namespace booklib
