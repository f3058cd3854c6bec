// The compiled templates (booklib_templatec) instantiated for the views of views.h: the only
// place that includes the generated code.
#include "web/compiled_templates.h"
#include "web/views.h"

namespace booklib::web {
namespace {

// The layout's view: its body is written in place by the page's own render function.
struct LayoutView {
  struct Body {
    const PageFrame& frame;
    BodyRef ref;
    void operator()(HtmlOut& out) const { ref.render(out, frame, ref.page); }
  } body;
};

}  // namespace

void RenderLayout(HtmlOut& out, const PageFrame& frame, BodyRef body) {
  compiled::Render_layout(out, frame, LayoutView{{frame, body}});
}

void RenderCards(HtmlOut& out, const PageFrame& frame, const CardList& cards) {
  compiled::Render_book_cards(out, frame, cards);
}

void RenderBody(HtmlOut& out, const PageFrame& frame, const BooksPage& page) {
  compiled::Render_books(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const HomePage& page) {
  compiled::Render_home(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const AddBookPage& page) {
  compiled::Render_add_book(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const EditBookPage& page) {
  compiled::Render_edit_book(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const DeleteBookPage& page) {
  compiled::Render_delete_book(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const ConfirmPage& page) {
  compiled::Render_book_confirm(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const BookPageView& page) {
  compiled::Render_book_page(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const ShelvesView& page) {
  compiled::Render_shelves(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const SearchPage& page) {
  compiled::Render_search_books(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const LoginPage& page) {
  compiled::Render_login(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const RegisterPage& page) {
  compiled::Render_register(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const LogoutPage& page) {
  compiled::Render_logout(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const AccountPage& page) {
  compiled::Render_account(out, frame, page);
}
void RenderBody(HtmlOut& out, const PageFrame& frame, const ErrorPageView& page) {
  compiled::Render_error(out, frame, page);
}

}  // namespace booklib::web
