#!/usr/bin/env bash
# Formats the C++ sources with the repository's .clang-format.
#   scripts/format.sh           rewrite files in place
#   scripts/format.sh --check   list files that need formatting; exit 1 if any (the test command runs this)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Found on disk, not by git: a fresh machine's checkout may have no git to ask.
mapfile -t files < <(find src tests bench -path '*/node_modules' -prune -o -type f \( -name '*.cc' -o -name '*.h' \) -print | sort)
((${#files[@]} > 0)) || { echo "format: no sources found" >&2; exit 1; }
if [[ "${1:-}" == "--check" ]]; then
  unformatted=()
  for file in "${files[@]}"; do
    clang-format --dry-run --Werror "${file}" >/dev/null 2>&1 || unformatted+=("${file}")
  done
  if [[ ${#unformatted[@]} -gt 0 ]]; then
    printf 'needs clang-format: %s\n' "${unformatted[@]}" >&2
    echo "run scripts/format.sh to fix" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files clean" >&2
  exit 0
fi
clang-format -i "${files[@]}"
