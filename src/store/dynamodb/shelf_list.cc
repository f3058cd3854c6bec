// Shelf lists and shelf changes (see shelf_list.h).
#include "store/dynamodb/shelf_list.h"

#include <algorithm>

#include "core/library_query.h"
#include "text/ascii.h"

namespace booklib::dynamodb {

const std::string* ShelfList::Find(std::string_view name) const {
  const auto it = std::ranges::find_if(
      names, [&](const std::string& shelf) { return text::EqualsIgnoringCase(shelf, name); });
  return it == names.end() ? nullptr : &*it;
}

bool HasShelf(const std::vector<std::string>& shelves, std::string_view name) {
  return std::ranges::any_of(shelves,
                             [&](const std::string& shelf) { return text::EqualsIgnoringCase(shelf, name); });
}

std::vector<std::string> ApplyShelfChange(std::vector<std::string> shelves, const ShelfChange& change) {
  if (HasShelf(shelves, change.from)) {
    std::erase_if(shelves, [&](const std::string& shelf) {
      return text::EqualsIgnoringCase(shelf, change.from) ||
             (!change.to.empty() && text::EqualsIgnoringCase(shelf, change.to));
    });
    if (!change.to.empty()) shelves.push_back(change.to);
  }
  SortShelfNames(shelves);
  return shelves;
}

}  // namespace booklib::dynamodb
