// Schema migrations: users, sessions, books, user_books (the seed's tables), the queue tables, the
// reading model (reads, shelves, the library's search index and sort keys) and personal API tokens.
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
      // The reading model (PRODUCT.md). `rating` keeps the seed's column and holds stars as a number:
      // 4 stays INTEGER, 4.5 is kept as REAL by the column's INTEGER affinity. sort_title,
      // sort_author and last_finished_on are SortKey of the shown title and author and LastFinishedOn,
      // written by the store in C++ (core/library_query.h) on every change that moves them; rows
      // from before this version are indexed by the store when it first answers a query.
      // library_documents gives each entry a stable integer id for the FTS5 index library_search
      // (one SearchDocument per entry; implicit rowids of user_books may change on VACUUM).
      R"sql(
ALTER TABLE books ADD COLUMN series TEXT NOT NULL DEFAULT '';
ALTER TABLE books ADD COLUMN series_index TEXT NOT NULL DEFAULT '';

ALTER TABLE user_books ADD COLUMN series TEXT NOT NULL DEFAULT '';
ALTER TABLE user_books ADD COLUMN series_index TEXT NOT NULL DEFAULT '';
ALTER TABLE user_books ADD COLUMN review TEXT NOT NULL DEFAULT '';
ALTER TABLE user_books ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE user_books ADD COLUMN owned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_books ADD COLUMN progress_unit TEXT NOT NULL DEFAULT 'none';
ALTER TABLE user_books ADD COLUMN progress_value INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_books ADD COLUMN sort_title TEXT NOT NULL DEFAULT '';
ALTER TABLE user_books ADD COLUMN sort_author TEXT NOT NULL DEFAULT '';
ALTER TABLE user_books ADD COLUMN last_finished_on TEXT NOT NULL DEFAULT '';

CREATE INDEX user_books_book ON user_books(book_id);
CREATE INDEX user_books_by_status ON user_books(user_id, status);
-- One index per library sort, in the sort's order with its tie-breaks (newest added, then id);
-- "key = ''" first puts entries without a key last.
CREATE INDEX user_books_by_added ON user_books(user_id, date_added DESC, user_book_id);
CREATE INDEX user_books_by_title
  ON user_books(user_id, sort_title = '', sort_title, date_added DESC, user_book_id);
CREATE INDEX user_books_by_author
  ON user_books(user_id, sort_author = '', sort_author, date_added DESC, user_book_id);
CREATE INDEX user_books_by_rating ON user_books(user_id, rating DESC, date_added DESC, user_book_id);
CREATE INDEX user_books_by_finished
  ON user_books(user_id, last_finished_on = '', last_finished_on DESC, date_added DESC, user_book_id);

CREATE TABLE user_book_reads (
  user_book_id TEXT NOT NULL REFERENCES user_books(user_book_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  read_id TEXT NOT NULL,
  started_on TEXT NOT NULL DEFAULT '',
  finished_on TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  PRIMARY KEY (user_book_id, position)
);

CREATE TABLE shelves (
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  name TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (user_id, name)
);

CREATE TABLE user_book_shelves (
  user_book_id TEXT NOT NULL REFERENCES user_books(user_book_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,  -- the entry's, so a shelf's members are one index range of its reader
  position INTEGER NOT NULL,
  name TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (user_book_id, position),
  UNIQUE (user_book_id, name)
);
CREATE INDEX user_book_shelves_user_name ON user_book_shelves(user_id, name);

CREATE TABLE library_documents (
  doc_id INTEGER PRIMARY KEY,
  user_book_id TEXT NOT NULL UNIQUE REFERENCES user_books(user_book_id) ON DELETE CASCADE
);
CREATE VIRTUAL TABLE library_search USING fts5(document, tokenize = 'ascii');
-- An entry deleted (directly or by its user's cascade) takes its document with it.
CREATE TRIGGER library_documents_delete AFTER DELETE ON library_documents BEGIN
  DELETE FROM library_search WHERE rowid = old.doc_id;
END;
)sql",
      // Which provider filled a catalogue record's details; '' for records filled before.
      R"sql(
ALTER TABLE books ADD COLUMN details_source TEXT NOT NULL DEFAULT '';
)sql",
      // Each reader's library version (Store::LibraryVersion, the pages' ETag), counted by
      // triggers so that no write path can forget it: any change to an entry, its reads or
      // shelves, the reader's shelves, or the catalogue record of a book they have.
      R"sql(
CREATE TABLE library_versions (
  user_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;
-- (SELECT ... WHERE true: an upsert's SELECT needs a WHERE clause to parse.)
CREATE TRIGGER user_books_insert_version AFTER INSERT ON user_books BEGIN
  INSERT INTO library_versions (user_id, version) SELECT new.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_books_update_version AFTER UPDATE ON user_books BEGIN
  INSERT INTO library_versions (user_id, version) SELECT new.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_books_delete_version AFTER DELETE ON user_books BEGIN
  INSERT INTO library_versions (user_id, version) SELECT old.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_book_shelves_insert_version AFTER INSERT ON user_book_shelves BEGIN
  INSERT INTO library_versions (user_id, version) SELECT new.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_book_shelves_update_version AFTER UPDATE ON user_book_shelves BEGIN
  INSERT INTO library_versions (user_id, version) SELECT new.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_book_shelves_delete_version AFTER DELETE ON user_book_shelves BEGIN
  INSERT INTO library_versions (user_id, version) SELECT old.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER shelves_insert_version AFTER INSERT ON shelves BEGIN
  INSERT INTO library_versions (user_id, version) SELECT new.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER shelves_update_version AFTER UPDATE ON shelves BEGIN
  INSERT INTO library_versions (user_id, version) SELECT new.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER shelves_delete_version AFTER DELETE ON shelves BEGIN
  INSERT INTO library_versions (user_id, version) SELECT old.user_id, 1 WHERE true
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_book_reads_insert_version AFTER INSERT ON user_book_reads BEGIN
  INSERT INTO library_versions (user_id, version) SELECT user_id, 1 FROM user_books WHERE user_book_id = new.user_book_id
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_book_reads_update_version AFTER UPDATE ON user_book_reads BEGIN
  INSERT INTO library_versions (user_id, version) SELECT user_id, 1 FROM user_books WHERE user_book_id = new.user_book_id
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER user_book_reads_delete_version AFTER DELETE ON user_book_reads BEGIN
  INSERT INTO library_versions (user_id, version) SELECT user_id, 1 FROM user_books WHERE user_book_id = old.user_book_id
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER books_update_version AFTER UPDATE ON books BEGIN
  INSERT INTO library_versions (user_id, version) SELECT user_id, 1 FROM user_books WHERE book_id = new.book_id
    ON CONFLICT (user_id) DO UPDATE SET version = version + 1;
END;
)sql",
      // Personal API tokens (core/api_tokens.h): only the SHA-256 of each secret is kept, unique so
      // that a Bearer check is one index lookup; a user's tokens are listed oldest first.
      R"sql(
CREATE TABLE api_tokens (
  token_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_used_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_user ON api_tokens(user_id, created_at, token_id);
)sql",
  };
  return kMigrations;
}

}  // namespace booklib::sqlite
