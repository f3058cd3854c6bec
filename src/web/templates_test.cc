// The template compiler (templatec.cc) and its runtime, on test templates (testdata/templates):
// lookup from the innermost context out, every section rule, escaping, partials, the standalone
// rule, and a body written in place; and its refusals of malformed templates (see CMakeLists.txt).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "web/html_out.h"
#include "web/test_templates.h"

namespace booklib::web {
namespace {

struct Sub {
  std::string detail;
};

struct Item {
  std::string name;
  std::optional<Sub> sub;
};

struct Frame {
  std::string site = "Booklib";
  std::string title = "frame title";  // shadowed by the page's own title
};

struct Sample {
  std::string title;
  std::string note;
  std::string markup;
  int count = 0;
  bool flag = false;
  std::vector<Item> items;
  std::string label;
  int zero = 0;
  std::optional<Sub> maybe;
};

std::string Render(const Sample& sample) {
  std::string html;
  HtmlOut out(html);
  test_templates::Render_sample(out, Frame{}, sample);
  return html;
}

TEST(CompiledTemplates, RendersEveryTagOverTypedViews) {
  Sample sample;
  sample.title = "Dune & <Co>";
  sample.note = "\"quoted\" 'single'";
  sample.markup = "<em>kept</em>";
  sample.count = -42;
  sample.flag = true;
  sample.items = {{"first", Sub{"one"}}, {"second", std::nullopt}};
  sample.label = "L";
  sample.zero = 3;
  sample.maybe = Sub{"inside"};
  EXPECT_EQ(Render(sample),
            "<h1>Dune &amp; &lt;Co&gt;</h1>\n"
            "<p>&quot;quoted&quot; &apos;single&apos; <em>kept</em> -42</p>\n"
            "<p>flag on</p>\n"
            "<ul>\n"
            "  <li>first of Dune &amp; &lt;Co&gt; (one)</li>\n"
            "  <li>second of Dune &amp; &lt;Co&gt;</li>\n"
            "</ul>\n"
            "<i>[L] zero shown <b>inside</b></i>\n"
            "<div data-site=\"Booklib\">Dune &amp; &lt;Co&gt;</div>\n"
            "<footer>Booklib</footer>\n");
}

TEST(CompiledTemplates, FalseEmptyZeroAndDisengagedTakeTheInvertedSections) {
  const std::string html = Render(Sample{});
  EXPECT_NE(html.find("<p>flag off</p>\n"), std::string::npos) << html;
  EXPECT_EQ(html.find("flag on"), std::string::npos) << html;
  EXPECT_NE(html.find("<ul>\n  <li>none</li>\n</ul>\n"), std::string::npos) << html;
  EXPECT_NE(html.find("<i>no label zero hidden nothing</i>"), std::string::npos) << html;
  EXPECT_NE(html.find("<p>  0</p>"), std::string::npos) << html;  // empty strings write nothing
}

TEST(CompiledTemplates, TheInnermostContextWinsAndOuterOnesAreReachable) {
  // The page's title shadows the frame's; the frame's site is found from inside a list and a partial.
  Sample sample;
  sample.title = "Page";
  sample.items = {{"x", std::nullopt}};
  const std::string html = Render(sample);
  EXPECT_NE(html.find("<li>x of Page</li>"), std::string::npos) << html;
  EXPECT_EQ(html.find("frame title"), std::string::npos) << html;
  EXPECT_NE(html.find("<div data-site=\"Booklib\">Page</div>"), std::string::npos) << html;
}

TEST(CompiledTemplates, ABodyIsWrittenInPlaceIntoTheSameBuffer) {
  struct Layout {
    struct Body {
      void operator()(HtmlOut& out) const { out.Escaped("a<b"); }
    } body;
  };
  std::string html = "before:";
  HtmlOut out(html);
  test_templates::Render_frame(out, Frame{}, Layout{});
  EXPECT_EQ(html, "before:<body>a&lt;b</body>\n");
}

TEST(HtmlOut, EscapesTheFiveCharactersAndKeepsUtf8) {
  std::string html;
  HtmlOut out(html);
  out.Escaped("Caf\u00e9 <a href=\"x\">&'</a> \U0001F4D6");
  out.Number(0);
  out.Number(-9223372036854775807LL - 1);
  EXPECT_EQ(html,
            "Caf\u00e9 &lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt; \U0001F4D60-9223372036854775808");
}

}  // namespace
}  // namespace booklib::web
