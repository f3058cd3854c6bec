#!/usr/bin/env bash
# Builds the Lambda package build/lambda/booklib-lambda.zip: booklib, every shared library it loads,
# glibc's dynamic loader and CA certificates, started by a `bootstrap` that uses only those files, so
# the Debian-built binary runs on Lambda's Amazon Linux 2023 (runtime provided.al2023).
#
# Usage: scripts/package-lambda.sh [--binary PATH] [--output ZIP] [--no-strip]
#   --binary PATH  package this executable instead of building the `booklib` target in Release
#                  (build-release/); it must accept `lambda` as its first argument.
#   --output ZIP   where to write the zip (default: build/lambda/booklib-lambda.zip in the repository).
#   --no-strip     keep symbols in the packaged binary.
#
# Zip layout (Lambda unpacks it to /var/task = LAMBDA_TASK_ROOT):
#   bootstrap                 shell script: exec ./ld-linux-x86-64.so.2 --library-path ./lib ./booklib lambda "$@"
#   booklib                   the program
#   ld-linux-x86-64.so.2      the loader matching the bundled glibc
#   lib/*.so*                 every library ldd lists (glibc included)
#   certs/ca-certificates.crt CA bundle (Amazon Linux keeps its own elsewhere); exported as
#                             CURL_CA_BUNDLE and SSL_CERT_FILE
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary=""
output="$repo/build/lambda/booklib-lambda.zip"
strip_binary=1
staging_dir=""
ca_bundle="/etc/ssl/certs/ca-certificates.crt"

die() { echo "package-lambda: $*" >&2; exit 1; }

parse_arguments() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --binary) binary="$(realpath "$2")"; shift 2 ;;
      --output) output="$(realpath -m "$2")"; shift 2 ;;
      --no-strip) strip_binary=0; shift ;;
      -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown argument $1 (see --help)" ;;
    esac
  done
}

build_release_binary() {
  local build_dir="$repo/build-release"
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build_dir" -j2 --target booklib ||
    die "could not build the booklib target; pass --binary PATH to package an existing executable"
  binary="$(find "$build_dir" -type f -name booklib -perm -u+x | head -n 1)"
  [[ -n "$binary" ]] || die "built booklib but cannot find the executable under $build_dir"
}

# Prints "library-path" lines for every shared library ldd resolves for $1, the loader excluded.
shared_libraries() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
}

loader_of() {
  ldd "$1" | awk '$1 ~ /^\/.*ld-linux/ { print $1 }'
}

write_bootstrap() {
  cat >"$1" <<'BOOTSTRAP'
#!/bin/sh
# Lambda's entry point: booklib with the loader and libraries bundled beside it, none of the system's.
set -eu
cd "${0%/*}"
export CURL_CA_BUNDLE="$PWD/certs/ca-certificates.crt"
export SSL_CERT_FILE="$CURL_CA_BUNDLE"
exec ./ld-linux-x86-64.so.2 --library-path ./lib ./booklib lambda "$@"
BOOTSTRAP
}

stage_package() {
  local stage="$1" loader
  mkdir -p "$stage/lib" "$stage/certs"
  cp "$binary" "$stage/booklib"
  if [[ "$strip_binary" == 1 ]]; then strip --strip-unneeded "$stage/booklib"; fi
  loader="$(loader_of "$binary")"
  [[ -n "$loader" ]] || die "$binary is not a dynamically linked x86-64 executable"
  cp -L "$loader" "$stage/ld-linux-x86-64.so.2"
  local library
  while read -r library; do
    cp -L "$library" "$stage/lib/$(basename "$library")"
  done < <(shared_libraries "$binary")
  [[ -f "$stage/lib/libc.so.6" ]] || die "ldd listed no libc.so.6 for $binary"
  [[ -r "$ca_bundle" ]] || die "no CA bundle at $ca_bundle (apt-get install ca-certificates)"
  cp -L "$ca_bundle" "$stage/certs/ca-certificates.crt"
  write_bootstrap "$stage/bootstrap"
  chmod 755 "$stage/bootstrap" "$stage/booklib" "$stage/ld-linux-x86-64.so.2"
  chmod 644 "$stage"/lib/* "$stage/certs/ca-certificates.crt"
}

# Same inputs, same zip: fixed timestamps, sorted entries, no extra attributes.
write_zip() {
  local stage="$1"
  find "$stage" -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +
  mkdir -p "$(dirname "$output")"
  rm -f "$output"
  (cd "$stage" && find . -type f | LC_ALL=C sort | sed 's|^\./||' | zip -q -X -@ "$output")
}

main() {
  parse_arguments "$@"
  command -v zip >/dev/null || die "zip is not installed (apt-get install zip)"
  if [[ -z "$binary" ]]; then build_release_binary; fi
  [[ -x "$binary" ]] || die "$binary is not an executable"
  staging_dir="$(mktemp -d)"
  trap 'rm -rf "$staging_dir"' EXIT
  stage_package "$staging_dir"
  write_zip "$staging_dir"
  echo "package-lambda: wrote $output ($(du -h "$output" | cut -f1), $(find "$staging_dir/lib" -type f | wc -l) libraries)"
}

main "$@"
