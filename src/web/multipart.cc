// multipart/form-data splitting by boundary.
#include "web/multipart.h"

#include "text/ascii.h"

namespace booklib::web {
namespace {

// Whether `line` begins with `prefix` in any ASCII case (header names are case-insensitive).
bool StartsWithIgnoringCase(std::string_view line, std::string_view prefix) {
  return line.size() >= prefix.size() && text::EqualsIgnoringCase(line.substr(0, prefix.size()), prefix);
}

std::string ParameterOf(std::string_view header, std::string_view key) {
  std::string needle = std::string(key) + "=";
  for (std::size_t pos = header.find(needle); pos != std::string_view::npos;
       pos = header.find(needle, pos + 1)) {
    if (pos > 0 && header[pos - 1] != ' ' && header[pos - 1] != ';') continue;
    std::string_view value = header.substr(pos + needle.size());
    if (!value.empty() && value.front() == '"') {
      value.remove_prefix(1);
      return std::string(value.substr(0, value.find('"')));
    }
    return std::string(value.substr(0, value.find(';')));
  }
  return "";
}

}  // namespace

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  const std::string boundary = ParameterOf(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 200)
    return Fail(ErrorCode::kInvalidArgument, "multipart body without a boundary");
  const std::string delimiter = "--" + boundary;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos)
    return Fail(ErrorCode::kInvalidArgument, "multipart boundary not found in body");
  std::vector<MultipartPart> parts;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n")
      return Fail(ErrorCode::kInvalidArgument, "malformed multipart delimiter");
    pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos)
      return Fail(ErrorCode::kInvalidArgument, "malformed multipart headers");
    MultipartPart part;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const auto eol = headers.find("\r\n");
      const std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 2);
      if (StartsWithIgnoringCase(line, "content-disposition:")) {
        part.name = ParameterOf(line, "name");
        part.filename = ParameterOf(line, "filename");
      } else if (StartsWithIgnoringCase(line, "content-type:")) {
        std::string_view type = line.substr(std::string_view("content-type:").size());
        while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
        part.content_type = std::string(type);
      }
    }
    const std::size_t body_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delimiter, body_start);
    if (next == std::string_view::npos)
      return Fail(ErrorCode::kInvalidArgument, "multipart body is truncated");
    part.body = body.substr(body_start, next - body_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

}  // namespace booklib::web
