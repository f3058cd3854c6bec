// Test-only: reads a file of the test's own testdata folder, whose path the test's CMake target
// compiles in as BOOKLIB_TESTDATA.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace booklib::test {

// Contents of BOOKLIB_TESTDATA/<relative_path>; throws if it cannot be read, so a typo fails loudly.
inline std::string ReadFixture(std::string_view relative_path) {
  const std::string path = std::string(BOOKLIB_TESTDATA) + "/" + std::string(relative_path);
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read fixture " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace booklib::test
