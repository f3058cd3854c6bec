// Where a login may send a reader next: a path on this origin, judged as a browser would read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace booklib::web {

// The Location to send for a `?next=` value, or nullopt when it could leave this origin.
//
// First `next` is normalised the way browsers read a Location (WHATWG URL parsing): ASCII control
// characters (tab, CR, LF and the rest of C0, DEL) removed, surrounding spaces dropped, and every
// backslash taken as a slash. The result is accepted only when it is a path on this origin:
// printable ASCII without spaces, starting with one "/" (not "//", so no scheme-relative host and
// no "scheme:"), no encoded slash or backslash (%2F, %5C), and a path that, once "." and ".."
// segments (also as %2e) are resolved, still does not start with "//".
// Returns the normalised text, so what the browser follows is exactly what was checked.
// "/books?view=all" -> "/books?view=all"; "/\t/evil.example" -> nullopt; "/a\\b" -> "/a/b".
std::optional<std::string> LocalRedirectTarget(std::string_view next);

}  // namespace booklib::web
