// Provider answers in the shapes Google Books and Open Library really send (written for Booklib's
// tests from the public API documentation; not copies of captured responses).
#pragma once

#include <string>

namespace booklib::test {

// GET /books/v1/volumes?q=isbn:<isbn13>: one volume with every field Booklib reads.
inline std::string GoogleVolume(const std::string& isbn13, const std::string& title) {
  return R"({
  "kind": "books#volumes",
  "totalItems": 1,
  "items": [{
    "kind": "books#volume",
    "id": "vol)" +
         isbn13.substr(7) + R"(",
    "volumeInfo": {
      "title": ")" +
         title + R"(",
      "subtitle": "A Novel",
      "authors": ["Ada Writer", "Bo Co-Author"],
      "publisher": "Harbour Press",
      "publishedDate": "2019-04-02",
      "description": "A <b>long</b> voyage.",
      "industryIdentifiers": [
        {"type": "ISBN_13", "identifier": ")" +
         isbn13 + R"("}
      ],
      "pageCount": 352,
      "categories": ["Fiction"],
      "imageLinks": {
        "smallThumbnail": "http://books.google.com/books/content?id=x&printsec=frontcover&img=1&zoom=5",
        "thumbnail": "http://books.google.com/books/content?id=x&printsec=frontcover&img=1&zoom=1"
      },
      "language": "en"
    }
  }]
})";
}

inline const char* kGoogleNoMatch = R"({"kind": "books#volumes", "totalItems": 0})";

// GET /api/books?bibkeys=ISBN:<isbn>&format=json&jscmd=data for a book Open Library has.
inline std::string OpenLibraryBook(const std::string& isbn13, const std::string& title) {
  return R"({"ISBN:)" + isbn13 + R"(": {
  "title": ")" +
         title + R"(",
  "authors": [{"name": "Ol Author", "url": "https://openlibrary.org/authors/OL1A"}],
  "publishers": [{"name": "Open House"}],
  "publish_date": "July 28, 2008",
  "number_of_pages": 200,
  "subjects": [{"name": "Poetry", "url": "https://openlibrary.org/subjects/poetry"}],
  "cover": {"small": "https://covers.openlibrary.org/b/id/1-S.jpg",
            "medium": "https://covers.openlibrary.org/b/id/1-M.jpg",
            "large": "https://covers.openlibrary.org/b/id/1-L.jpg"}
}})";
}

inline const char* kOpenLibraryUnknown = "{}";

}  // namespace booklib::test
