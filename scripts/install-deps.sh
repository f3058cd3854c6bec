#!/usr/bin/env bash
# Installs what Booklib needs on Debian 12 (as root, or with sudo).
#   scripts/install-deps.sh          build and run the server
#   scripts/install-deps.sh --test   also what the tests use: Chromium, Node.js/npm (Debian's 18 is
#                                    enough), zip, clang-format, clang-tidy 19, ccache, clang 19
#                                    with libFuzzer (scripts/fuzz.sh)
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config
          libboost-dev libboost-program-options-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev
          nlohmann-json3-dev libzxing-dev libjpeg-dev libpng-dev zlib1g-dev)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libgtest-dev libgmock-dev chromium zip unzip curl sqlite3 openssl clang-format clang-tidy-19 ccache
             clang-19 libclang-rt-19-dev)
  command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q "install ok installed" || missing+=("${package}")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: everything is installed" >&2
  exit 0
fi

sudo=""
[[ "$(id -u)" -eq 0 ]] || sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
${sudo} apt-get update -qq
${sudo} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
