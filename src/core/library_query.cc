// The meaning of a library query: folding, words, search terms and documents, sort keys, and
// the in-memory evaluation the DynamoDB store and the test fake use.
#include "core/library_query.h"

#include <algorithm>
#include <cstdint>

#include "core/enum_names.h"
#include "core/isbn.h"
#include "text/ascii.h"

namespace booklib {
namespace {

constexpr EnumName<LibrarySort> kLibrarySortNames[] = {{LibrarySort::kDateAdded, "added"},
                                                       {LibrarySort::kTitle, "title"},
                                                       {LibrarySort::kAuthor, "author"},
                                                       {LibrarySort::kRating, "rating"},
                                                       {LibrarySort::kDateFinished, "finished"}};

constexpr std::size_t kMaxTerms = 16;

// Decodes one UTF-8 sequence at `text[i]`, advancing `i`; a malformed byte decodes as itself
// (as U+0080..U+00FF would not: it is returned as 0xFFFFFFFF with `i` past that one byte).
std::uint32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int length = 0;
  std::uint32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
  } else {
    ++i;
    return 0xFFFFFFFF;
  }
  if (i + length > text.size()) {
    ++i;
    return 0xFFFFFFFF;
  }
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFFFFFF;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return cp;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The folded form of U+00C0..U+00FF, one entry per code point; "" keeps the character.
constexpr const char* kLatin1[64] = {"a", "a", "a", "a", "a",  "a",  "ae", "c", "e", "e", "e",  "e", "i",
                                     "i", "i", "i", "d", "n",  "o",  "o",  "o", "o", "o", "",   "o", "u",
                                     "u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
                                     "c", "e", "e", "e", "e",  "i",  "i",  "i", "i", "d", "n",  "o", "o",
                                     "o", "o", "o", "",  "o",  "u",  "u",  "u", "u", "y", "th", "y"};

// Latin Extended-A (U+0100..U+017F) in runs of one base letter: [first, last] -> base.
struct LatinRun {
  std::uint32_t first;
  std::uint32_t last;
  const char* base;
};
constexpr LatinRun kLatinExtendedA[] = {
    {0x100, 0x105, "a"}, {0x106, 0x10D, "c"}, {0x10E, 0x111, "d"},  {0x112, 0x11B, "e"},  {0x11C, 0x123, "g"},
    {0x124, 0x127, "h"}, {0x128, 0x131, "i"}, {0x132, 0x133, "ij"}, {0x134, 0x135, "j"},  {0x136, 0x138, "k"},
    {0x139, 0x142, "l"}, {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"},  {0x152, 0x153, "oe"}, {0x154, 0x159, "r"},
    {0x15A, 0x161, "s"}, {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"},  {0x176, 0x178, "y"},
    {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}};

// Appends the folded form of `cp`.
void AppendFolded(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
    return;
  }
  if (cp >= 0xC0 && cp <= 0xFF && kLatin1[cp - 0xC0][0] != '\0') {
    out.append(kLatin1[cp - 0xC0]);
    return;
  }
  for (const LatinRun& run : kLatinExtendedA) {
    if (cp >= run.first && cp <= run.last) {
      out.append(run.base);
      return;
    }
  }
  // Greek and Cyrillic capitals to their small letters (the common blocks only).
  const bool greek_capital = cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2;
  const bool cyrillic_capital = cp >= 0x410 && cp <= 0x42F;
  if (greek_capital || cyrillic_capital) {
    cp += 0x20;
  } else if (cp >= 0x400 && cp <= 0x40F) {
    cp += 0x50;
  }
  AppendUtf8(out, cp);
}

bool IsWordCharacter(std::uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp == 0xFFFFFFFF) return false;                             // a malformed byte
  if (cp <= 0xBF) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;  // Latin-1 punctuation
  if (cp == 0xD7 || cp == 0xF7) return false;                     // x and / signs
  if (cp >= 0x2000 && cp <= 0x206F) return false;                 // General Punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return false;                 // CJK punctuation
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;                 // full-width punctuation
  return true;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  }
  return out;
}

void AppendWords(std::vector<std::string>& out, std::string_view text) {
  std::vector<std::string> words = Words(text);
  out.insert(out.end(), std::make_move_iterator(words.begin()), std::make_move_iterator(words.end()));
}

// Orders entries for `sort`; ties newest added first, then by id.
struct EntryOrder {
  LibrarySort sort;

  struct Keyed {
    std::string key;  // the sort's own key ("" sorts last)
    int rating = -1;
    const LibraryEntry* entry = nullptr;
  };

  bool operator()(const Keyed& a, const Keyed& b) const {
    switch (sort) {
      case LibrarySort::kTitle:
      case LibrarySort::kAuthor:
        if (a.key.empty() != b.key.empty()) return !a.key.empty();
        if (a.key != b.key) return a.key < b.key;
        break;
      case LibrarySort::kDateFinished:
        if (a.key.empty() != b.key.empty()) return !a.key.empty();
        if (a.key != b.key) return a.key > b.key;
        break;
      case LibrarySort::kRating:
        if (a.rating != b.rating) return a.rating > b.rating;
        break;
      case LibrarySort::kDateAdded:
        break;
    }
    const UserBook& x = a.entry->user_book;
    const UserBook& y = b.entry->user_book;
    if (x.date_added != y.date_added) return x.date_added > y.date_added;
    return x.id < y.id;
  }
};

}  // namespace

std::optional<LibrarySort> ParseLibrarySort(std::string_view text) {
  return ValueNamed(kLibrarySortNames, text);
}

std::string_view LibrarySortName(LibrarySort sort) { return NameOf(kLibrarySortNames, sort); }

std::string FoldText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const std::uint32_t cp = NextCodePoint(text, i);
    if (cp == 0xFFFFFFFF)
      out.append(text.substr(start, i - start));
    else
      AppendFolded(out, cp);
  }
  return out;
}

std::vector<std::string> Words(std::string_view text) {
  const std::string folded = FoldText(text);
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < folded.size();) {
    const std::size_t start = i;
    if (IsWordCharacter(NextCodePoint(folded, i))) {
      word.append(folded, start, i - start);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> SearchTerms(std::string_view query) {
  std::vector<std::string> terms;
  if (auto isbn = NormalizeIsbn(query)) {
    terms.push_back(*isbn);
    return terms;
  }
  terms = Words(query);
  if (terms.size() > kMaxTerms) terms.resize(kMaxTerms);
  return terms;
}

std::string SearchDocument(const LibraryEntry& entry) {
  const BookDetails shown = entry.Shown();
  std::vector<std::string> words;
  AppendWords(words, shown.title);
  AppendWords(words, shown.author);
  if (!entry.book.isbn.empty()) {
    words.push_back(entry.book.isbn);
    if (std::string isbn10 = Isbn13To10(entry.book.isbn); !isbn10.empty()) words.push_back(FoldText(isbn10));
  }
  for (const std::string& shelf : entry.user_book.shelves) AppendWords(words, shelf);
  AppendWords(words, entry.user_book.notes);
  return Joined(words);
}

bool MatchesTerms(std::string_view document, const std::vector<std::string>& terms) {
  for (const std::string& term : terms) {
    bool found = false;
    for (std::size_t start = 0; start <= document.size() && !found;) {
      const std::size_t end = std::min(document.find(' ', start), document.size());
      found = document.substr(start, end - start).starts_with(term);
      start = end + 1;
    }
    if (!found) return false;
  }
  return true;
}

std::string SortKey(std::string_view text) {
  std::vector<std::string> words = Words(text);
  if (words.size() > 1 && (words[0] == "the" || words[0] == "a" || words[0] == "an"))
    words.erase(words.begin());
  return Joined(words);
}

void SortShelfNames(std::vector<std::string>& names) {
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    const std::string key_a = SortKey(a);
    const std::string key_b = SortKey(b);
    return key_a != key_b ? key_a < key_b : a < b;
  });
}

bool MatchesQuery(const LibraryEntry& entry, const LibraryQuery& query) {
  const UserBook& ub = entry.user_book;
  if (query.status && ub.status != *query.status) return false;
  if (query.sync && ub.sync_status != *query.sync) return false;
  if (query.owned && ub.owned != *query.owned) return false;
  if (query.rating_stars) {
    if (*query.rating_stars == 0 ? ub.rating_halves.has_value()
                                 : (!ub.rating_halves || *ub.rating_halves / 2 != *query.rating_stars))
      return false;
  }
  if (!query.shelf.empty() &&
      std::none_of(ub.shelves.begin(), ub.shelves.end(),
                   [&](const std::string& shelf) { return text::EqualsIgnoringCase(shelf, query.shelf); }))
    return false;
  return query.terms.empty() || MatchesTerms(SearchDocument(entry), query.terms);
}

LibraryPage ApplyQuery(const std::vector<LibraryEntry>& entries, const LibraryQuery& query) {
  LibraryPage page;
  std::vector<EntryOrder::Keyed> matching;
  for (const LibraryEntry& entry : entries) {
    ++page.status_counts.at(static_cast<std::size_t>(entry.user_book.status));
    if (!MatchesQuery(entry, query)) continue;
    EntryOrder::Keyed keyed;
    keyed.entry = &entry;
    switch (query.sort) {
      case LibrarySort::kTitle:
        keyed.key = SortKey(entry.Shown().title);
        break;
      case LibrarySort::kAuthor:
        keyed.key = SortKey(entry.Shown().author);
        break;
      case LibrarySort::kDateFinished:
        keyed.key = LastFinishedOn(entry.user_book);
        break;
      case LibrarySort::kRating:
        keyed.rating = entry.user_book.rating_halves.value_or(-1);
        break;
      case LibrarySort::kDateAdded:
        break;
    }
    matching.push_back(std::move(keyed));
  }
  page.total = static_cast<int>(matching.size());
  std::sort(matching.begin(), matching.end(), EntryOrder{query.sort});
  const std::size_t first =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(query.offset, 0)), matching.size());
  const std::size_t last =
      std::min(matching.size(), first + static_cast<std::size_t>(std::max(query.limit, 0)));
  page.entries.reserve(last - first);
  for (std::size_t i = first; i < last; ++i) page.entries.push_back(*matching[i].entry);
  return page;
}

}  // namespace booklib
