// The seed's three DynamoDB tables: their names from the environment, and creating them for
// development (`booklib aws create-tables`) and tests.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "aws/aws_config.h"
#include "aws/aws_json_client.h"
#include "core/error.h"

namespace booklib::dynamodb {

inline constexpr std::string_view kEmailIndex = "email-index";        // users: HASH email
inline constexpr std::string_view kUsernameIndex = "username-index";  // users: HASH username
inline constexpr std::string_view kIsbnIndex = "isbn-index";          // books: HASH isbn
inline constexpr std::string_view kUserIndex = "user-index";          // user_books: HASH user_id
inline constexpr std::string_view kUserBookIndex =
    "user-book-index";  // user_books: HASH user_id, RANGE book_id

struct TableNames {
  std::string users;
  std::string books;
  std::string user_books;
};

// USERS_TABLE, BOOKS_TABLE, USER_BOOKS_TABLE; when unset, the seed's names for env "dev":
// BookLibrary-Users-dev, BookLibrary-Books-dev, BookLibrary-UserBooks-dev.
TableNames TableNamesFromEnvironment(const aws::EnvironmentLookup& lookup = aws::ProcessEnvironment);

// Creates the three tables with their GSIs (all PAY_PER_REQUEST, GSIs projecting ALL except
// user-book-index, KEYS_ONLY) and waits up to `wait` until they and their indexes are ACTIVE.
// Idempotent: a table that exists already is left as it is (its schema is not checked).
// Also turns on TTL for the users table's expires_at (expired sessions disappear by themselves)
// where the service supports it; failing that only logs a warning.
Result<void> CreateTables(aws::AwsJsonClient& dynamodb, const TableNames& tables,
                          std::chrono::seconds wait = std::chrono::seconds{60});

}  // namespace booklib::dynamodb
