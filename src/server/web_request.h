// A parsed Beast request as a web::Request: what the server hands to the web app (and the fuzzer too).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include "server/http_server.h"
#include "web/http.h"

namespace booklib::server {

// Method, target split into path and query at the first '?', header names lower-cased (repeats
// joined with ", ", Cookie with "; "), the body, the peer's address, `secure` from
// X-Forwarded-Proto only when options.trust_forwarded_proto, and the client's X-Request-Id when it
// is 1-64 characters of [A-Za-z0-9_-], else a fresh random one.
web::Request ToRequest(const boost::beast::http::request<boost::beast::http::string_body>& in,
                       const boost::asio::ip::tcp::endpoint& remote, const ServerOptions& options);

}  // namespace booklib::server
