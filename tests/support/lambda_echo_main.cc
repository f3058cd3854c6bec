// booklib_lambda_echo: a Lambda function that answers every event with the event itself. It stands in
// for `booklib lambda` to prove the packaging (bootstrap, bundled loader and libraries) end to end.
#include <cstdio>
#include <string>
#include <string_view>

#include "lambda/runtime.h"

namespace {

booklib::Result<std::string> Echo(const std::string& event, const booklib::lambda::InvocationContext&) {
  return event;
}

}  // namespace

// Usage: booklib_lambda_echo lambda  (the argument the packaged bootstrap passes, as to `booklib`).
int main(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) != "lambda") {
    std::fprintf(stderr, "usage: %s lambda\n", argv[0]);
    return 2;
  }
  const auto options = booklib::lambda::RuntimeOptionsFromEnvironment();
  if (!options) {
    std::fprintf(stderr, "%s\n", options.error().message.c_str());
    return 1;
  }
  const booklib::lambda::HandlerFactory init = [] {
    return booklib::Result<booklib::lambda::InvocationHandler>(Echo);
  };
  return booklib::lambda::RunLambdaProcess(init, *options);
}
