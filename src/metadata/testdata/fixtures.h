// Test-only: reads a file under src/metadata/testdata (the path is compiled into the test binary).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace booklib::metadata {

// Contents of testdata/<relative_path>; throws if it cannot be read, so a typo fails loudly.
inline std::string ReadFixture(std::string_view relative_path) {
  const std::string path = std::string(BOOKLIB_METADATA_TESTDATA) + "/" + std::string(relative_path);
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read fixture " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace booklib::metadata
