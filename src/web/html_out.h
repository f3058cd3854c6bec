// The buffer a page is written into: literal HTML appended as it is, every value escaped on the
// way in (no intermediate strings), numbers written in place.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace booklib::web {

class HtmlOut {
 public:
  explicit HtmlOut(std::string& buffer) : buffer_(buffer) {}

  // A literal from a template: its length is known at compile time.
  template <std::size_t N>
  void Raw(const char (&text)[N]) {
    buffer_.append(text, N - 1);
  }
  void Raw(std::string_view html) { buffer_.append(html); }

  // Text as HTML: & < > " ' become entities, so a value is safe in an element or a quoted attribute.
  void Escaped(std::string_view text);

  void Number(long long value);

  std::string& buffer() { return buffer_; }

 private:
  std::string& buffer_;
};

}  // namespace booklib::web
