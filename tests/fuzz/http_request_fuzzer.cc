// Fuzz target: raw request bytes through Beast's parser, set up as the server sets it up, then
// server::ToRequest and web::App::Handle on in-memory fakes, for up to four pipelined requests.
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_server.h"
#include "server/web_request.h"
#include "tests/fuzz/fuzz_app.h"

namespace {

namespace http = boost::beast::http;
using booklib::server::ServerOptions;

constexpr int kMaxRequestsPerInput = 4;

// Feeds `bytes` to a parser with the server's limits (OnHeader in http_server.cc: the header limit,
// then the body limit the app admits on the header, whose early answer, if any, is checked and ends
// the connection). Returns the bytes consumed, or nullopt when the server would answer an error and
// close.
std::optional<std::size_t> Parse(std::string_view bytes, const ServerOptions& options,
                                 const boost::asio::ip::tcp::endpoint& remote,
                                 const booklib::fuzz::FuzzApp& app,
                                 http::request_parser<http::string_body>& parser) {
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_header_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more && used == bytes.size()) return std::nullopt;  // client stalls
    if (ec && ec != http::error::need_more) return std::nullopt;                    // 400 or 431
    if (n == 0 && !parser.is_header_done()) return std::nullopt;
  }
  const booklib::web::Admission admission =
      app.Admit(booklib::server::ToRequest(parser.get(), remote, options));
  if (admission.early) {
    booklib::fuzz::CheckResponse(*admission.early);
    return std::nullopt;  // answered from the header, then closed
  }
  const std::size_t body_limit = admission.body_limit;
  parser.body_limit(body_limit);
  parser.eager(true);  // as http::async_read sets it
  if (const auto length = parser.content_length(); length && *length > body_limit)
    return std::nullopt;  // 413
  while (!parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec == http::error::need_more) {
      if (n > 0 && used < bytes.size()) continue;
      parser.put_eof(ec);  // the client closed its side: a body without a length ends here
      if (ec || !parser.is_done()) return std::nullopt;
      break;
    }
    if (ec) return std::nullopt;  // 400 or 413
    if (n == 0) return std::nullopt;
  }
  return used;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ServerOptions options;  // the server's defaults (16 KiB header); body limits come from App::Admit
  static booklib::fuzz::FuzzApp app;
  app.Reset();
  const std::string input =
      app.ExpandPlaceholders(std::string_view(reinterpret_cast<const char*>(data), size));
  const boost::asio::ip::tcp::endpoint remote(boost::asio::ip::make_address("127.0.0.1"), 40000);
  std::string_view rest(input);
  for (int i = 0; i < kMaxRequestsPerInput && !rest.empty(); ++i) {
    http::request_parser<http::string_body> parser;
    // Beast parses out of the server's flat_buffer; a copy of exactly the bytes left lets ASan see
    // any read past them.
    const std::string bytes(rest);
    const auto used = Parse(bytes, options, remote, app, parser);
    if (!used) break;
    const auto& message = parser.get();
    const booklib::web::Request request = booklib::server::ToRequest(message, remote, options);
    booklib::fuzz::CheckResponse(app.Handle(request));
    if (!message.keep_alive()) break;
    rest.remove_prefix(*used);
  }
  return 0;
}
