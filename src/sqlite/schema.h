// The versioned schema of the SQLite database: migration N brings version N-1 to N.
#pragma once

#include <string_view>
#include <vector>

namespace booklib::sqlite {

// Migration i (0-based) moves the schema from version i to i+1. Append only; never edit one.
const std::vector<std::string_view>& Migrations();

}  // namespace booklib::sqlite
