// The GNU build-id of the main program, read from its loaded ELF notes (dl_iterate_phdr).
#include "cli/build_id.h"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <string_view>

#include "crypto/crypto.h"

namespace booklib::cli {
namespace {

constexpr std::size_t Align4(std::size_t size) { return (size + 3) & ~std::size_t{3}; }

int FindBuildId(dl_phdr_info* info, std::size_t, void* found) {
  auto& id = *static_cast<std::string*>(found);
  for (int i = 0; i < info->dlpi_phnum && id.empty(); ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_NOTE) continue;
    // The loader gives the segment as an address number: the cast is the only way to read it.
    const ElfW(Addr) address = info->dlpi_addr + segment.p_vaddr;
    const char* at = reinterpret_cast<const char*>(address);  // NOLINT(performance-no-int-to-ptr)
    const char* end = at + segment.p_memsz;
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, at, sizeof note);
      const char* name = at + sizeof note;
      const char* desc = name + Align4(note.n_namesz);
      if (desc + note.n_descsz > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        static constexpr char kHex[] = "0123456789abcdef";
        for (std::size_t b = 0; b < note.n_descsz; ++b) {
          const auto byte = static_cast<unsigned char>(desc[b]);
          id += kHex[byte >> 4];
          id += kHex[byte & 15];
        }
        break;
      }
      at = desc + Align4(note.n_descsz);
    }
  }
  return 1;  // the first object listed is the main program: stop there
}

}  // namespace

std::string BuildId() {
  std::string id;
  dl_iterate_phdr(FindBuildId, &id);
  return id.empty() ? "random-" + crypto::RandomHex(16) : id;
}

}  // namespace booklib::cli
