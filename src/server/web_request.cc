// A parsed Beast request as a web::Request.
#include "server/web_request.h"

#include <string>
#include <string_view>

#include "crypto/crypto.h"
#include "text/ascii.h"

namespace booklib::server {

namespace http = boost::beast::http;

web::Request ToRequest(const http::request<http::string_body>& in,
                       const boost::asio::ip::tcp::endpoint& remote, const ServerOptions& options) {
  web::Request out;
  out.method = std::string(in.method_string());
  const std::string_view target(in.target().data(), in.target().size());
  const auto question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  for (const auto& field : in) {
    const auto raw_name = field.name_string();
    const std::string name = text::AsciiLower(std::string_view(raw_name.data(), raw_name.size()));
    auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
  }
  out.body = in.body();
  out.remote_address = remote.address().to_string();
  out.secure = options.trust_forwarded_proto && out.Header("x-forwarded-proto") == "https";
  const std::string_view given_id = out.Header("x-request-id");
  const bool usable =
      !given_id.empty() && given_id.size() <= 64 &&
      given_id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
          std::string_view::npos;
  out.request_id = usable ? std::string(given_id) : crypto::RandomHex(8);
  return out;
}

}  // namespace booklib::server
