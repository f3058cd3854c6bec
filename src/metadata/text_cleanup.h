// Cleaning provider-supplied text and URLs before they reach a book card.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace booklib::metadata {

// Plain text of an HTML fragment: tags dropped, paragraphs (<p>, headings) set off by an empty line,
// <br>, <div> and <li> starting a new line; character references (&amp; &#39; &#x2014; ...)
// decoded; blanks collapsed, at most one empty line in a row, trimmed. A '<' that does not start a
// tag is kept ("a < b").
std::string PlainTextFromHtml(std::string_view html);

// `url` with a leading "http://" replaced by "https://" (pages served over HTTPS must not load
// covers over HTTP); other URLs are returned unchanged.
std::string HttpsUrl(std::string_view url);

// The non-empty `parts`, in order, separated by `separator`.
std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace booklib::metadata
