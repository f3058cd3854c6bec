// booklib_templatec: compiles the page templates (a Mustache subset) to C++ at build time.
//
//   booklib_templatec OUTPUT.h NAMESPACE TEMPLATE.html...
//
// Each templates/<name>.html becomes a function template in NAMESPACE
//
//   template <class C0, class C1> void Render_<name>(HtmlOut& out, const C0& c0, const C1& c1);
//
// rendering over typed view models: c0 is the page frame (the layout's fields: csrf_token, user,
// ...), c1 the page's own view. The tags:
//   {{name}}     the member `name` of the innermost context that has one, HTML-escaped
//   {{{name}}}   the same, unescaped (a body callable, or HTML a template made)
//   {{#name}}    a section: once for a true bool, non-empty string, non-zero number or engaged
//                optional (whose value becomes the innermost context), once per element of a list
//   {{^name}}    an inverted section: once when the value is false, empty, zero or disengaged
//   {{> name}}   another template, with c0 and the innermost context
//   {{! text}}   a comment
// Names are looked up from the innermost context outwards at compile time (`requires`), so a
// name that no context has is a compile error in the page that uses it, not an empty string at
// run time. A section, inverted-section, partial or comment tag alone on its line takes the line
// with it (Mustache's standalone rule), so the output has no blank lines where sections were.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

enum class Kind { kText, kVariable, kRaw, kSection, kInverted, kClose, kPartial, kComment };

struct Token {
  Kind kind;
  std::string text;  // the text, or the tag's name
  int line;
};

[[noreturn]] void Fail(const std::string& file, int line, const std::string& message) {
  std::cerr << file << ":" << line << ": " << message << "\n";
  std::exit(1);
}

bool IsName(std::string_view name) {
  if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (const char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_'))
      return false;
  return true;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<Token> Tokenize(const std::string& file, const std::string& source) {
  std::vector<Token> tokens;
  std::size_t at = 0;
  int line = 1;
  while (at < source.size()) {
    const std::size_t open = source.find("{{", at);
    const std::size_t text_end = open == std::string::npos ? source.size() : open;
    if (text_end > at) tokens.push_back({Kind::kText, source.substr(at, text_end - at), line});
    for (std::size_t i = at; i < text_end; ++i) line += source[i] == '\n' ? 1 : 0;
    if (open == std::string::npos) break;
    const bool triple = source.compare(open, 3, "{{{") == 0;
    const std::string close_mark = triple ? "}}}" : "}}";
    const std::size_t start = open + (triple ? 3 : 2);
    const std::size_t close = source.find(close_mark, start);
    if (close == std::string::npos) Fail(file, line, "a tag is not closed");
    std::string inner = Trim(std::string_view(source).substr(start, close - start));
    for (std::size_t i = start; i < close; ++i) line += source[i] == '\n' ? 1 : 0;
    at = close + close_mark.size();
    Kind kind = Kind::kVariable;
    if (triple) {
      kind = Kind::kRaw;
    } else if (!inner.empty() && std::string_view("#^/>!&").find(inner[0]) != std::string_view::npos) {
      const char sigil = inner[0];
      kind = sigil == '#'   ? Kind::kSection
             : sigil == '^' ? Kind::kInverted
             : sigil == '/' ? Kind::kClose
             : sigil == '>' ? Kind::kPartial
             : sigil == '!' ? Kind::kComment
                            : Kind::kRaw;
      inner = Trim(std::string_view(inner).substr(1));
    }
    if (kind != Kind::kComment && !IsName(inner))
      Fail(file, line, "\"" + inner + "\" is not a name (lower case letters, digits and _)");
    tokens.push_back({kind, inner, line});
  }
  return tokens;
}

bool Standalone(Kind kind) {
  return kind == Kind::kSection || kind == Kind::kInverted || kind == Kind::kClose ||
         kind == Kind::kPartial || kind == Kind::kComment;
}

bool Blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

// Mustache's standalone rule: a block tag with only blanks before it on its line and only blanks
// and a newline (or the end) after it takes the blanks and the newline with it.
void StripStandaloneLines(std::vector<Token>& tokens) {
  // Decided on the texts as written, then cut: a text between two standalone tags on adjacent
  // lines ends one line and starts the next.
  struct Cut {
    std::size_t token;
    std::size_t from, to;
  };
  std::vector<Cut> tails, heads;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!Standalone(tokens[i].kind)) continue;
    const bool has_before = i > 0 && tokens[i - 1].kind == Kind::kText;
    const bool has_after = i + 1 < tokens.size() && tokens[i + 1].kind == Kind::kText;
    if (i > 0 && !has_before) continue;  // another tag just before it on its line
    std::size_t line_start = 0;
    if (has_before) {
      const std::string& before = tokens[i - 1].text;
      const std::size_t newline = before.rfind('\n');
      if (newline == std::string::npos && i > 1) continue;  // a tag earlier on this line
      line_start = newline == std::string::npos ? 0 : newline + 1;
      if (!Blank(std::string_view(before).substr(line_start))) continue;
    }
    std::size_t line_end = 0;
    if (has_after) {
      const std::string& after = tokens[i + 1].text;
      const std::size_t newline = after.find('\n');
      if (newline == std::string::npos) {
        if (i + 2 < tokens.size() || !Blank(after)) continue;  // more on this line
        line_end = after.size();
      } else {
        if (!Blank(std::string_view(after).substr(0, newline))) continue;
        line_end = newline + 1;
      }
    } else if (i + 1 < tokens.size()) {
      continue;  // another tag just after it on its line
    }
    if (has_before) tails.push_back({i - 1, line_start, tokens[i - 1].text.size()});
    if (has_after) heads.push_back({i + 1, 0, line_end});
  }
  for (const Cut& cut : tails) tokens[cut.token].text.erase(cut.from, cut.to - cut.from);
  for (const Cut& cut : heads) {
    std::string& text = tokens[cut.token].text;
    text.erase(0, std::min(cut.to, text.size()));
  }
}

std::string Literal(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      char octal[8];
      std::snprintf(octal, sizeof octal, "\\%03o", byte);
      out += octal;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

class Generator {
 public:
  Generator(std::string file, std::vector<Token> tokens)
      : file_(std::move(file)), tokens_(std::move(tokens)) {}

  std::string Body() {
    std::size_t at = 0;
    Emit(at, 1, "", 1);
    if (at != tokens_.size()) Fail(file_, tokens_[at].line, "{{/" + tokens_[at].text + "}} closes nothing");
    return out_.str();
  }

 private:
  // The expression for `name` with contexts c0..c<depth>: Get_<name>(c<depth>, ..., c0), which
  // takes the member from the first context that has it (see the lookup functions in main).
  std::string Lookup(const std::string& name, int depth) {
    names_.insert(name);
    std::string code = "Get_" + name + "(";
    for (int c = depth; c >= 0; --c) code += "c" + std::to_string(c) + (c > 0 ? ", " : ")");
    return code;
  }

 public:
  const std::set<std::string>& names() const { return names_; }

 private:
  void Indent(int level) { out_ << std::string(static_cast<std::size_t>(level) * 2, ' '); }

  // Emits tokens from `at` until the {{/closing}} of `closing` (or the end for the top level).
  void Emit(std::size_t& at, int depth, const std::string& closing, int level) {
    while (at < tokens_.size()) {
      const Token& token = tokens_[at++];
      switch (token.kind) {
        case Kind::kText:
          if (!token.text.empty()) {
            Indent(level);
            out_ << "out.Raw(" << Literal(token.text) << ");\n";
          }
          break;
        case Kind::kComment:
          break;
        case Kind::kVariable:
          Indent(level);
          out_ << "::booklib::web::tmpl::Write(out, " << Lookup(token.text, depth) << ");\n";
          break;
        case Kind::kRaw:
          Indent(level);
          out_ << "::booklib::web::tmpl::WriteRaw(out, " << Lookup(token.text, depth) << ");\n";
          break;
        case Kind::kPartial:
          Indent(level);
          out_ << "Render_" << token.text << "(out, c0, c" << depth << ");\n";
          break;
        case Kind::kSection:
          Indent(level);
          out_ << "::booklib::web::tmpl::Section(" << Lookup(token.text, depth) << ", [&](const auto& c"
               << depth + 1 << ") {\n";
          Indent(level + 1);
          out_ << "(void)c" << depth + 1 << ";\n";
          Emit(at, depth + 1, token.text, level + 1);
          Indent(level);
          out_ << "});\n";
          break;
        case Kind::kInverted:
          Indent(level);
          out_ << "if (!::booklib::web::tmpl::Truthy(" << Lookup(token.text, depth) << ")) {\n";
          Emit(at, depth, token.text, level + 1);
          Indent(level);
          out_ << "}\n";
          break;
        case Kind::kClose:
          if (token.text != closing)
            Fail(file_, token.line,
                 "{{/" + token.text + "}} where {{/" + (closing.empty() ? "(nothing)" : closing) +
                     "}} was due");
          return;
      }
    }
    if (!closing.empty())
      Fail(file_, tokens_.empty() ? 1 : tokens_.back().line, "{{#" + closing + "}} is not closed");
  }

  std::string file_;
  std::vector<Token> tokens_;
  std::ostringstream out_;
  std::set<std::string> names_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: booklib_templatec OUTPUT.h NAMESPACE TEMPLATE.html...\n";
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> rendered;  // name, body
  std::set<std::string> names;                                // every name a tag looks up
  for (int i = 3; i < argc; ++i) {
    const std::filesystem::path path(argv[i]);
    std::ifstream in(path, std::ios::binary);
    if (!in) Fail(path.string(), 0, "cannot be read");
    std::stringstream source;
    source << in.rdbuf();
    const std::string name = path.stem().string();
    if (!IsName(name)) Fail(path.string(), 0, "a template's file name must be a name");
    std::vector<Token> tokens = Tokenize(path.string(), source.str());
    StripStandaloneLines(tokens);
    Generator generator(path.string(), std::move(tokens));
    rendered.emplace_back(name, generator.Body());
    names.insert(generator.names().begin(), generator.names().end());
  }
  std::ostringstream header;
  header << "// Generated by booklib_templatec from the templates named below: edit those, not this file.\n"
            "#pragma once\n\n#include \"web/template_runtime.h\"\n\nnamespace "
         << argv[2] << " {\n\n";
  // One lookup per name: the member of the first context (innermost first) that has it; a name no
  // context has fails to compile at the last one. (A function, not a lambda over captures: clang
  // does not see a captured context's members in a requires-expression.)
  for (const std::string& name : names)
    header << "template <class C, class... Outer>\ndecltype(auto) Get_" << name
           << "(const C& c, const Outer&... outer) {\n  if constexpr (sizeof...(Outer) == 0 || requires { c."
           << name << "; })\n    return (c." << name << ");\n  else\n    return Get_" << name
           << "(outer...);\n}\n";
  header << "\n";
  for (const auto& [name, body] : rendered)
    header << "template <class C0, class C1>\nvoid Render_" << name
           << "(::booklib::web::HtmlOut& out, const C0& c0, const C1& c1);\n";
  for (const auto& [name, body] : rendered)
    header << "\n// templates/" << name << ".html\ntemplate <class C0, class C1>\nvoid Render_" << name
           << "(::booklib::web::HtmlOut& out, const C0& c0, const C1& c1) {\n  (void)c0;\n  (void)c1;\n"
           << body << "}\n";
  header << "\n}  // namespace " << argv[2] << "\n";
  const std::string text = header.str();
  // Rewrite only on change, so an unchanged template does not rebuild the pages.
  {
    std::ifstream existing(argv[1], std::ios::binary);
    std::stringstream old;
    old << existing.rdbuf();
    if (existing && old.str() == text) return 0;
  }
  std::ofstream out(argv[1], std::ios::binary);
  out << text;
  return out ? 0 : 1;
}
