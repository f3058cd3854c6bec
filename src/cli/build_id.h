// What names this build of the binary: the linker's GNU build-id note (a hash of the linked code
// and data), so that two processes of one binary agree and a rebuild with any change differs.
#pragma once

#include <string>

namespace booklib::cli {

// The build-id in hex; a random value per process when the binary has no such note (then pages'
// validators only hold for this process's life, which is still correct).
std::string BuildId();

}  // namespace booklib::cli
