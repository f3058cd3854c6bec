// Schema migrations: users, sessions, books, user_books (the seed's tables) and the queue tables.
#include "sqlite/schema.h"

namespace booklib::sqlite {

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      R"sql(
CREATE TABLE users (
  user_id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users(username COLLATE NOCASE);
CREATE UNIQUE INDEX users_email ON users(email);

CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE books (
  book_id TEXT PRIMARY KEY,
  isbn TEXT,
  title TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  genre TEXT NOT NULL DEFAULT '',
  cover_image_url TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  publisher TEXT NOT NULL DEFAULT '',
  published_date TEXT NOT NULL DEFAULT '',
  page_count INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX books_isbn ON books(isbn) WHERE isbn IS NOT NULL;

CREATE TABLE user_books (
  user_book_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  book_id TEXT NOT NULL REFERENCES books(book_id),
  status TEXT NOT NULL,
  rating INTEGER,
  sync_status TEXT NOT NULL,
  sync_error TEXT NOT NULL DEFAULT '',
  date_added TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL DEFAULT '',
  genre TEXT NOT NULL DEFAULT '',
  cover_image_url TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  publisher TEXT NOT NULL DEFAULT '',
  published_date TEXT NOT NULL DEFAULT '',
  page_count INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX user_books_user_book ON user_books(user_id, book_id);
CREATE INDEX user_books_user_added ON user_books(user_id, date_added);

CREATE TABLE queue_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  queue TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  receipt_handle TEXT,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX queue_messages_visible ON queue_messages(queue, visible_at);

CREATE TABLE queue_dead_letters (
  message_id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  died_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT ''
);
)sql",
      // Sessions are stored under the SHA-256 of their id since this version; rows stored under the
      // id itself can never be found again, so they go (their readers log in once more).
      R"sql(
DELETE FROM sessions;
)sql",
  };
  return kMigrations;
}

}  // namespace booklib::sqlite
