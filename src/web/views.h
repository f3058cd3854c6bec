// The typed view models of the pages: what each template in templates/ shows, as plain data the
// handlers fill. The templates are compiled against these (booklib_templatec), so a name a
// template uses that its view lacks is a build error. Members named as the template names them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/html_out.h"

namespace booklib::web {

// ---- Shared pieces ---------------------------------------------------------------------------------

// One <option> of a select.
struct Option {
  std::string value;
  std::string label;
  bool selected = false;
};

struct UserView {
  std::string username;
};

struct FlashView {
  std::string kind;  // "info", "success", "error"
  std::string text;
};

// What the layout shows around every page, and what every page may use (csrf_token, user).
struct PageFrame {
  std::string page_title;
  std::string static_base;
  std::string_view app_css, app_js, favicon;  // hashed static file names
  std::string csrf_token;
  std::optional<UserView> user;
  std::optional<FlashView> flash;
};

// ---- Book cards (the library page, the home page) --------------------------------------------------

struct RatingView {
  std::string text;  // "3.5"
  int halves = 0;    // the stars' class
};

struct ProgressView {
  std::string text;     // "Page 120 of 352", "45%"
  std::string percent;  // the bar's value; empty for no bar
};

struct BookCard {
  std::string id;
  std::string title;    // as shown, "Untitled" or "Fetching details…" included
  std::string name;     // what per-card controls are named after: the title, else the ISBN
  std::string initial;  // the placeholder's letter
  std::string author, isbn, genre;
  std::string cover;  // the image's address; empty for none
  std::string_view status, status_label, sync_status;
  std::optional<RatingView> rating;
  std::optional<ProgressView> progress;
  std::string read_on;
  std::string_view badge, badge_class;
  std::string problem;
  bool needs_details = false;
  bool can_retry = false;
  std::string date_added;
};

// templates/book_cards.html: the cards of one library page, and what it says when there are none.
struct CardList {
  std::vector<BookCard> books;
  std::string_view pending = "0";  // "1" while a card's details are being fetched (the live update)
  bool empty_library = false;
  std::string no_match;  // what matched nothing, in words
  bool past_last_page = false;
  std::string last_page_url;
  std::string clear_url = "/books";
};

// ---- The library page (templates/books.html) -------------------------------------------------------

struct QuickFilter {
  std::string url;
  bool current = false;
  std::string_view label;
  int count = 0;
};

struct PageLink {
  bool gap = false;  // "…" between page numbers
  std::string url;
  bool current = false;
  int number = 0;
};

struct Paging {
  std::vector<PageLink> pages;
  std::string previous_url, next_url;
  int page_number = 0, page_count = 0;
};

struct BooksPage {
  int count = 0;
  bool one = false;
  bool filtered = false;
  int whole_library = 0;
  std::string filters;  // what narrows the view, in words
  std::vector<QuickFilter> quick_filters;
  std::string q;
  std::vector<Option> statuses;
  bool has_shelves = false;
  std::vector<Option> shelves, ratings, syncs, owned_choices, sorts;
  std::string clear_url = "/books";
  std::string fragment_url;
  std::string api_url;  // the same view in the API: the live update asks it what changed
  CardList cards;
  std::optional<Paging> paging;
};

// ---- Home (templates/home.html) ----------------------------------------------------------------------

struct HomeCount {
  std::string url;
  int count = 0;
  std::string_view label;
};

struct HomePage {
  bool signed_in = false;
  int total = 0;
  bool one = false;
  std::vector<HomeCount> counts;
  bool has_reading = false, has_recent = false;
  std::vector<BookCard> reading, recent;
};

// ---- Add, edit, enter details, delete ----------------------------------------------------------------

// templates/book_form_fields.html
struct BookFormFields {
  std::string title;
  bool title_required = false;
  std::string author, genre, cover_image_url, description;
  bool more_open = false;  // "More details" starts open when one of them is filled
  std::string publisher, published_date, page_count, language, series, series_index;
};

struct AddBookPage {
  std::string error;
  std::string isbn;
  BookFormFields fields;
  std::vector<Option> statuses, ratings;
};

struct EditBookPage {
  std::string heading;
  std::string action;
  std::string isbn;
  std::string error;
  BookFormFields fields;
  bool with_status = false;
  std::vector<Option> statuses, ratings;
};

struct DeleteBookPage {
  std::string id;
  std::string title;
};

// templates/book_confirm.html: "Remove this book?" and "Delete this shelf?".
struct ConfirmPage {
  std::string question, title, detail;
  std::string action, back;
  std::string field_name, field_value;  // a hidden field the form sends; none when empty
  std::string confirm_label;
};

// ---- The book page (templates/book_page.html) --------------------------------------------------------

struct DetailRow {
  std::string_view label;
  std::string value;
  std::string source;  // "typed by you", "from Open Library"
};

struct ReadRow {
  std::string read_id;
  int number = 0;
  std::string dates;
  std::string_view outcome, outcome_label;
  std::string started_on, finished_on;
  std::vector<Option> outcomes;
};

struct ShelfChip {
  std::string name;
  std::string link;
};

struct KnownShelf {
  std::string name;
};

struct BookPageView {
  std::string error;
  std::string id;
  std::string title, title_source;
  bool has_title = false;
  std::string initial, cover;
  std::vector<DetailRow> details;
  std::string description, description_source;
  std::string_view status, status_label;
  std::vector<Option> statuses;
  std::vector<ReadRow> reads;
  std::vector<Option> new_read_outcomes;
  int read_count = 0;
  bool read_count_one = false;
  std::string date_read;
  bool with_progress = false;
  std::optional<ProgressView> progress;
  std::string progress_value;
  bool progress_page = true, progress_percent_unit = false;
  int page_count = 0;
  std::vector<Option> ratings;
  std::string rating, stars;  // "3.5", "★★★½☆"; empty when unrated
  std::string review, notes;
  bool owned = false;
  std::vector<ShelfChip> shelves;
  std::string typed_shelf;
  std::vector<KnownShelf> known_shelves;
  bool pending = false, failed = false, can_retry = false;
  std::string date_added;
};

// ---- Shelves (templates/shelves.html) ----------------------------------------------------------------

struct ShelfRow {
  std::string name, link;
  int count = 0;
  bool one = false;
  std::string delete_link;
};

struct ShelvesView {
  std::string error;
  std::vector<ShelfRow> shelves;
};

// ---- Finding a book to add (templates/search_books.html) ---------------------------------------------

struct CandidateView {
  std::string title, author, year, publisher, isbn;
  bool has_isbn = false;
  std::string provider;
  std::string initial;
  bool owned = false;
  std::string owned_id;
};

struct SearchPage {
  std::string query;
  std::string error;
  std::string unavailable;
  bool nothing_found = false;
  std::string typed_isbn;
  int count = 0;
  std::vector<CandidateView> candidates;
};

// ---- Accounts and errors -----------------------------------------------------------------------------

struct LoginPage {
  std::string error;
  bool next = false;
  std::string next_encoded;
  std::string email_value;
};

struct RegisterPage {
  std::string error;
  std::string username_value, email_value;
};

struct LogoutPage {};

// The account page (templates/account.html): who is signed in and their personal API tokens.
struct TokenRow {
  std::string id, name, scope, created, last_used;
};

struct AccountPage {
  std::string username, email;
  std::string error;
  std::string new_token_name;
  std::string new_secret;  // shown once, right after the token was made
  std::vector<TokenRow> tokens;
  bool tokens_enabled = false;
};

struct ErrorPageView {
  std::string heading, message;
};

// Each page's body in the frame; pages.cc instantiates the compiled templates.
void RenderBody(HtmlOut& out, const PageFrame& frame, const BooksPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const HomePage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const AddBookPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const EditBookPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const DeleteBookPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const ConfirmPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const BookPageView& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const ShelvesView& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const SearchPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const LoginPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const RegisterPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const LogoutPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const AccountPage& page);
void RenderBody(HtmlOut& out, const PageFrame& frame, const ErrorPageView& page);
// The cards alone (the library page's live update).
void RenderCards(HtmlOut& out, const PageFrame& frame, const CardList& cards);
// The layout around a page's body: `render` writes `page` (one of the views above) into the
// buffer where the layout's {{{body}}} is, so the whole page is one buffer.
struct BodyRef {
  const void* page;
  void (*render)(HtmlOut& out, const PageFrame& frame, const void* page);
};
void RenderLayout(HtmlOut& out, const PageFrame& frame, BodyRef body);

}  // namespace booklib::web
