// The id scheme: deterministic ids, so every store can enforce "one catalogue record per ISBN" and
// "one entry per user and book" with a single conditional write (no check-then-put).
#pragma once

#include <string>
#include <string_view>

namespace booklib {

// The catalogue record's id for a canonical ISBN-13: a name-based UUID (v5), the same on every
// machine and in every store.
std::string BookIdForIsbn(std::string_view isbn13);

// The id of `user_id`'s entry for `book_id`: a name-based UUID of the pair.
std::string UserBookIdFor(std::string_view user_id, std::string_view book_id);

}  // namespace booklib
