// A user's shelf list as DynamoStore keeps it (one item, see item_codec.h), and what a rename or
// delete of a shelf does to one entry's shelves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace booklib::dynamodb {

// A rename (`to` set) or delete (`to` empty) of a shelf, recorded in the shelf list before the
// user's entries are changed and removed from it once they all are (dynamo_store.h).
struct ShelfChange {
  std::string id;    // random: tells two changes apart
  std::string from;  // the shelf's name before, as spelled (entries match it ignoring case)
  std::string to;    // the new name; empty for a delete

  bool operator==(const ShelfChange&) const = default;
};

struct ShelfList {
  std::string user_id;
  std::vector<std::string> names;       // as spelled; no two equal ignoring ASCII case
  std::vector<ShelfChange> unfinished;  // changes whose entries may not all be updated, oldest first
  long long version = 0;                // 0: not stored yet; every write stores version + 1

  // The name in `names` equal to `name` ignoring case, or nullptr.
  const std::string* Find(std::string_view name) const;
};

// True when `shelves` holds `name` ignoring ASCII case.
bool HasShelf(const std::vector<std::string>& shelves, std::string_view name);

// An entry's `shelves` after `change`: every name equal to change.from (ignoring case) taken off;
// for a rename, change.to put on once (replacing any spelling of it already there); sorted as
// SortShelfNames sorts. Unchanged (but sorted) when the entry is not on change.from.
std::vector<std::string> ApplyShelfChange(std::vector<std::string> shelves, const ShelfChange& change);

}  // namespace booklib::dynamodb
