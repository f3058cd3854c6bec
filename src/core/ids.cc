// Name-based UUIDs in Booklib's own namespaces.
#include "core/ids.h"

#include "crypto/crypto.h"

namespace booklib {
namespace {

// Fixed forever: changing either would give every existing book and entry a new id.
constexpr std::string_view kBookNamespace = "2f6d7c1e-5b0a-4c39-9d8e-3a1f0b7c6e52";
constexpr std::string_view kUserBookNamespace = "9a4e2b7d-1c3f-4e8a-b6d5-0f2c8e1a7b94";

}  // namespace

std::string BookIdForIsbn(std::string_view isbn13) { return crypto::NameBasedUuid(kBookNamespace, isbn13); }

std::string UserBookIdFor(std::string_view user_id, std::string_view book_id) {
  return crypto::NameBasedUuid(kUserBookNamespace, std::string(user_id) + "/" + std::string(book_id));
}

}  // namespace booklib
