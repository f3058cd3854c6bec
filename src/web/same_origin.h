// Whether a state-changing request comes from a page of this site, by its Origin or Referer.
#pragma once

#include "web/http.h"

namespace booklib::web {

// True when the request's Origin, or without one its Referer, names this site; also true when it
// carries neither (some privacy tools strip both; the CSRF token still has to match).
// This site is the Host header with the request's scheme: "https://" + host when request.secure
// (reached over HTTPS, or X-Forwarded-Proto from a trusted proxy). When not known to be secure,
// "http://" and "https://" are both accepted, since an untrusted TLS proxy may sit in front.
// Compared without ASCII case; Origin "null" and any other host are foreign.
bool IsSameOrigin(const Request& request);

}  // namespace booklib::web
