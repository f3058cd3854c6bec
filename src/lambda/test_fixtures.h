// Reads the event fixtures in src/lambda/testdata/ (tests only).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace booklib::lambda::fixtures {

// The whole file testdata/<name>; throws if it cannot be read, failing the test loudly.
inline std::string ReadFixture(const std::string& name) {
  const std::string path = std::string(BOOKLIB_LAMBDA_TESTDATA) + "/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read fixture " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace booklib::lambda::fixtures
