#!/usr/bin/env bash
# HTTP throughput: a Release `booklib serve` (in-process metadata workers, a fake Google Books on
# loopback, a fresh data dir seeded before start with a reader of 50 books, a reader of 10,000 and
# a reader who adds) under wrk at 1, 64 and 256 connections, scenario by scenario, each GET beside
# nginx serving the very bytes Booklib answered (fetched with the reader's cookie just before) from
# a file, in the same run; prints a markdown table: req/s, p50/p99/p99.9, errors (wrk's non-2xx/3xx
# plus socket errors), nginx req/s, Booklib / nginx, and the server's peak RSS in each scenario;
# then start-up time to the first /health 200 and idle RSS after start and after the load.
#   bench/http.sh [--seconds 8] [--connections "1 64 256"] [--timeout 10] [--settle 5] [--keep]
#                 [--only NAME[,NAME...]] [--server-option --flag=value ...]
# --seconds: each wrk run (there are 39 with the defaults: about 6 minutes, plus the build and seeding).
# --only: scenarios by name: health, books50, books10k, deep, search, book, revalidate, add,
#   api50, api10k (GET /api/v1/books), apiadd (POST /api/v1/books of new ISBNs).
# --timeout: wrk's per-request timeout in seconds (a request past it counts as a socket error).
# wrk runs with -t2 (-t1 at one connection: wrk needs a connection per thread) and --latency.
# Installs wrk, nginx, curl and sqlite3 (Debian packages) and the build dependencies when missing.
# The machine is shared and noisy: read Booklib / nginx (same bytes, same run), not absolute numbers.
# Quick check: bench/http.sh --seconds 3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${root}/build/bench"
seconds=8
connection_counts="1 64 256"
timeout=10
settle=5
keep=0
only=""
server_options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connection_counts="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    --keep) keep=1; shift ;;
    --server-option) server_options+=("$2"); shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

# ---- Tools ---------------------------------------------------------------------------------------
missing=()
for tool in wrk:wrk nginx:nginx curl:curl sqlite3:sqlite3; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
# CMake wants GoogleTest even for the Release tools (the top-level CMakeLists finds it).
for package in libgtest-dev libgmock-dev; do
  dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q "install ok installed" || missing+=("${package}")
done
sudo=""
[[ "$(id -u)" -eq 0 ]] || sudo="sudo"
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "http: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  ${sudo} apt-get update -qq
  ${sudo} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash "${root}/scripts/install-deps.sh"  # the build's own dependencies (quiet when all are there)
# Where an init system runs, Debian's nginx package starts the system's nginx too; this benchmark
# starts its own (loopback, a config in the temp dir) and leaves that one alone.

# shellcheck source=bench/build_tools.sh
source "${root}/bench/build_tools.sh"
cmake --build "${build}" -j 2 --target http_seed >/dev/null
seed="${build}/bench/http/http_seed"

work="$(mktemp -d /tmp/booklib-http.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ ${keep} == 1 ]]; then echo "kept ${work}" >&2; else rm -rf "${work}"; fi
}
trap cleanup EXIT

wait_for_file() { for _ in $(seq 200); do [[ -s "$1" ]] && return 0; sleep 0.1; done; echo "no $1" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

cat <<MACHINE
# Booklib HTTP benchmark

machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')
commit: $(git -C "${root}" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "${root}" diff --quiet HEAD 2>/dev/null || echo " (with uncommitted changes)")
wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); nginx: $(nginx -v 2>&1 | cut -d/ -f2); ${seconds} s a run, connections ${connection_counts}
MACHINE

# ---- Data: three readers in a fresh data dir, before the server opens it --------------------------
password="http-bench-reader-long-password"
small="small@example.com"
large="large@example.com"
adder="adder@example.com"
seed_started=$(now_ms)
"${seed}" readers --data-dir "${work}/data" --reader "${small}" "${password}" 50 \
  --reader "${large}" "${password}" 10000 --reader "${adder}" "${password}" 0 2>"${work}/seed.log"
seed_ms=$(( $(now_ms) - seed_started ))

# ---- Server ----------------------------------------------------------------------------------------
"${load}" provider --url-file "${work}/provider-url" 2>"${work}/provider.log" &
pids+=($!)
wait_for_file "${work}/provider-url"
provider="$(cat "${work}/provider-url")"

ulimit -n 65536 2>/dev/null || true
server_args=(serve "--data-dir=${work}/data" --port=0 "--google-books-url=${provider}/books/v1"
             "--open-library-url=${provider}")
server_args+=("${server_options[@]}")
started_ms=$(now_ms)
"${booklib}" "${server_args[@]}" >"${work}/server.log" 2>&1 &
server_pid=$!
pids+=("${server_pid}")
port=""
health=""
for _ in $(seq 4000); do  # 20 s at 5 ms
  if [[ -z "${port}" ]]; then
    port="$(grep -o '"url":"http://127.0.0.1:[0-9]*"' "${work}/server.log" 2>/dev/null | head -1 |
            grep -o '[0-9]*"$' | tr -d '"' || true)"
  fi
  if [[ -n "${port}" ]]; then
    health="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${port}/health" || true)"
    [[ "${health}" == 200 ]] && break
  fi
  kill -0 "${server_pid}" 2>/dev/null || break
  sleep 0.005
done
startup_ms=$(( $(now_ms) - started_ms ))
[[ "${health}" == 200 ]] || { cat "${work}/server.log" >&2; echo "http: no /health 200" >&2; exit 1; }
base="http://127.0.0.1:${port}"

status_kb() { awk -v f="$1" '$1 == f":" { print $2 }' "/proc/${server_pid}/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
sleep 1
idle_start_kb="$(status_kb VmRSS)"

# Logs `email` in as a browser would (the login page's CSRF cookie and token, the Origin header);
# leaves the cookie jar in ${work}/$2.jar and prints the library page's CSRF token.
csrf_of() { grep -o '<meta name="csrf-token" content="[^"]*"' | head -1 | sed 's/.*content="//; s/"$//'; }
log_in() {
  local email="$1" jar="${work}/$2.jar" token status
  token="$(curl -s -c "${jar}" -b "${jar}" "${base}/login" | csrf_of)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -c "${jar}" -b "${jar}" -H "Origin: ${base}" \
            --data-urlencode "email=${email}" --data-urlencode "password=${password}" \
            --data-urlencode "csrf_token=${token}" "${base}/login")"
  [[ "${status}" == 303 ]] || { echo "http: login of ${email} answered ${status}" >&2; exit 1; }
  curl -s -c "${jar}" -b "${jar}" "${base}/add_book" | csrf_of
}
# The Cookie header a browser would send from a curl jar (HttpOnly cookies are "#HttpOnly_" lines).
cookie_of() {
  awk -F'\t' '{ sub(/^#HttpOnly_/, "", $1) } $1 !~ /^#/ && NF == 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' \
    "${work}/$1.jar"
}
log_in "${small}" small >/dev/null
log_in "${large}" large >/dev/null
adder_token="$(log_in "${adder}" adder)"
small_cookie="$(cookie_of small)"
large_cookie="$(cookie_of large)"
adder_cookie="$(cookie_of adder)"

# The book page: the first book on the large library's first page.
book_path="$(curl -s -H "Cookie: ${large_cookie}" "${base}/books" |
             grep -o 'href="/books/[0-9a-f-]\{36\}"' | head -1 | sed 's/href="//; s/"$//')"
[[ -n "${book_path}" ]] || { echo "http: no book link on /books" >&2; exit 1; }
pages="$(curl -s -H "Cookie: ${large_cookie}" "${base}/books" | grep -o 'page=[0-9]*' | cut -d= -f2 | sort -n | tail -1)"
deep_page=150
[[ -n "${pages}" && ${pages} -lt 150 ]] && deep_page="${pages}"

# ---- nginx -----------------------------------------------------------------------------------------
ngx="${work}/nginx"
mkdir -p "${ngx}/root" "${ngx}/temp" "${ngx}/logs"
ngx_port=""
ngx_pid=""
start_nginx() {
  local user_line=""
  [[ "$(id -u)" -eq 0 ]] && user_line="user $(id -un) $(id -gn);"  # the workers stay this user
  for _ in 1 2 3 4 5; do
    ngx_port="$("${seed}" port)"
    cat >"${ngx}/nginx.conf" <<NGINX
${user_line}
worker_processes 2;
daemon off;
pid ${ngx}/nginx.pid;
error_log ${ngx}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${ngx}/temp/body;
  proxy_temp_path ${ngx}/temp/proxy;
  fastcgi_temp_path ${ngx}/temp/fastcgi;
  uwsgi_temp_path ${ngx}/temp/uwsgi;
  scgi_temp_path ${ngx}/temp/scgi;
  types { text/html html; application/json json; }
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:${ngx_port};
    root ${ngx}/root;
  }
}
NGINX
    nginx -p "${ngx}" -e "${ngx}/logs/error.log" -c "${ngx}/nginx.conf" 2>>"${ngx}/logs/start.log" &
    ngx_pid=$!
    for _ in $(seq 100); do
      curl -s -o /dev/null "http://127.0.0.1:${ngx_port}/" 2>/dev/null && { pids+=("${ngx_pid}"); return 0; }
      kill -0 "${ngx_pid}" 2>/dev/null || break
      sleep 0.05
    done
    kill "${ngx_pid}" 2>/dev/null || true
    wait "${ngx_pid}" 2>/dev/null || true
  done
  cat "${ngx}/logs/start.log" "${ngx}/logs/error.log" >&2
  echo "http: nginx did not start" >&2
  exit 1
}
start_nginx

# ---- Runs ------------------------------------------------------------------------------------------
lua="${root}/bench/http/wrk.lua"
# Runs wrk at `connections` against `url`; leaves its output in ${work}/wrk.out. Extra environment
# for the Lua script (BENCH_COOKIE, BENCH_ADD, ...) comes from the caller.
run_wrk() {
  local connections="$1" url="$2" threads=2
  [[ ${connections} -lt 2 ]] && threads=1
  wrk -t"${threads}" -c"${connections}" -d"${seconds}s" --timeout "${timeout}s" --latency -s "${lua}" "${url}" \
    >"${work}/wrk.out" 2>&1 || { cat "${work}/wrk.out" >&2; return 1; }
  grep -q '^BENCH ' "${work}/wrk.out" || { cat "${work}/wrk.out" >&2; return 1; }
}
field() { grep '^BENCH ' "${work}/wrk.out" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
rps() { awk -v n="$(field requests)" -v us="$(field duration_us)" 'BEGIN { printf "%.0f", n / (us / 1e6) }'; }
ms() { awk -v us="$(field "$1")" 'BEGIN { f = us < 10000 ? "%.2f" : "%.1f"; printf f, us / 1000 }'; }
kib() { awk -v b="$1" 'BEGIN { if (b < 1024) printf "%d B", b; else printf "%.1f KiB", b / 1024 }'; }
# Resets the server's VmHWM to its RSS now (Linux clear_refs 5), so VmHWM after a run is its peak.
clear_refs=1
echo 5 >"/proc/${server_pid}/clear_refs" 2>/dev/null || clear_refs=0

rows="${work}/rows"
# The n-th ISBN-13 of the 978 range with its check digit (as bench/http/wrk.lua makes them).
isbn13() {
  local digits sum=0 i
  digits="978$(printf '%09d' "$1")"
  for i in $(seq 0 11); do sum=$(( sum + ${digits:i:1} * (i % 2 ? 3 : 1) )); done
  echo "${digits}$(( (10 - sum % 10) % 10 ))"
}
: >"${rows}"
next_isbn=500000000
# scenario NAME LABEL COOKIE PATH [revalidate]: fetches the body Booklib answers into nginx's root,
# then for each connection count runs wrk against Booklib and against nginx serving that file. With
# "revalidate", every request carries If-None-Match with the ETag each server gave (both answer 304).
scenario() {
  local name="$1" label="$2" cookie="$3" path="$4" revalidate="${5:-}" ext=html code
  [[ -n "${only}" && "${only}" != *",${name},"* ]] && return 0
  [[ "${path}" == /health || "${path}" == /api/* ]] && ext=json
  local file="${name}.${ext}"
  code="$(curl -s -o "${ngx}/root/${file}" -w '%{http_code}' -H "Cookie: ${cookie}" "${base}${path}")"
  [[ "${code}" == 200 ]] || { echo "http: ${path} answered ${code}" >&2; exit 1; }
  local bytes b_tag="" n_tag=""
  bytes="$(stat -c %s "${ngx}/root/${file}")"
  if [[ -n "${revalidate}" ]]; then
    etag_of() { curl -s -o /dev/null -D - "$@" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }
    b_tag="$(etag_of -H "Cookie: ${cookie}" "${base}${path}")"
    n_tag="$(etag_of "http://127.0.0.1:${ngx_port}/${file}")"
    code="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${cookie}" -H "If-None-Match: ${b_tag}" "${base}${path}")"
    [[ "${code}" == 304 ]] || { echo "http: ${path} with If-None-Match ${b_tag} answered ${code}" >&2; exit 1; }
    bytes=0
  fi
  for c in ${connection_counts}; do
    [[ ${clear_refs} == 1 ]] && echo 5 >"/proc/${server_pid}/clear_refs"
    BENCH_COOKIE="${cookie}" BENCH_IF_NONE_MATCH="${b_tag}" run_wrk "${c}" "${base}${path}"
    local peak b_rps p50 p99 p999 errors n_rps ratio
    peak="$(status_kb VmHWM)"
    b_rps="$(rps)"; p50="$(ms p50_us)"; p99="$(ms p99_us)"; p999="$(ms p999_us)"
    errors=$(( $(field status_errors) + $(field socket_errors) ))
    cp "${work}/wrk.out" "${work}/wrk-${name}-${c}-booklib.out"
    BENCH_COOKIE="${cookie}" BENCH_IF_NONE_MATCH="${n_tag}" run_wrk "${c}" "http://127.0.0.1:${ngx_port}/${file}"
    cp "${work}/wrk.out" "${work}/wrk-${name}-${c}-nginx.out"
    n_rps="$(rps)"
    local n_errors=$(( $(field status_errors) + $(field socket_errors) ))
    [[ ${n_errors} -gt 0 ]] && n_rps="${n_rps} (${n_errors} errors)"
    ratio="$(awk -v b="${b_rps}" -v n="$(rps)" 'BEGIN { printf "%.3f", (n > 0 ? b / n : 0) }')"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s MB |\n' "${label}" "${c}" "$(kib "${bytes}")" \
      "${b_rps}" "${p50}" "${p99}" "${p999}" "${errors}" "${n_rps}" "${ratio}" "$(mb "${peak}")" >>"${rows}"
    echo "http: ${label}, ${c} connections: ${b_rps} req/s (nginx ${n_rps})" >&2
  done
}
# add: POST /add_book of new ISBNs as the adder (its CSRF token, the Origin a browser sends); no
# file can stand in for a write, so no nginx column.
add_scenario() {
  local name="${1:-add}" path="/add_book" label="POST /add_book (new ISBN, answered 303)" api=""
  [[ -n "${only}" && "${only}" != *",${name},"* ]] && return 0
  if [[ "${name}" == apiadd ]]; then path="/api/v1/books"; label="POST /api/v1/books (new ISBN, answered 201)"; api=1; fi
  # One add by curl first: the token, cookies and Origin must earn a 303 to /books (or the API's
  # 201; wrk only counts >= 400).
  local form answer
  if [[ -n "${api}" ]]; then
    form="{\"isbn\": \"$(isbn13 499999998)\"}"
    answer="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${adder_cookie}" -H "Origin: ${base}" \
              -H "X-CSRF-Token: ${adder_token}" -H "Content-Type: application/json" --data "${form}" "${base}${path}")"
    [[ "${answer}" == "201" ]] || { echo "http: POST ${path} answered ${answer}" >&2; exit 1; }
  else
    form="isbn=$(isbn13 499999999)&status=to-read&csrf_token=${adder_token}"
    answer="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Cookie: ${adder_cookie}" -H "Origin: ${base}" \
              --data "${form}" "${base}/add_book")"
    [[ "${answer}" == "303 ${base}/books" ]] || { echo "http: POST /add_book answered ${answer}" >&2; exit 1; }
  fi
  for c in ${connection_counts}; do
    [[ ${clear_refs} == 1 ]] && echo 5 >"/proc/${server_pid}/clear_refs"
    BENCH_COOKIE="${adder_cookie}" BENCH_ADD=1 BENCH_API="${api}" BENCH_CSRF="${adder_token}" BENCH_ORIGIN="${base}" \
      BENCH_FIRST_ISBN="${next_isbn}" run_wrk "${c}" "${base}${path}"
    next_isbn=$(( next_isbn + 10000000 ))
    cp "${work}/wrk.out" "${work}/wrk-${name}-${c}-booklib.out"
    local errors=$(( $(field status_errors) + $(field socket_errors) ))
    printf '| %s | %s | body %s B | %s | %s | %s | %s | %s | n/a | n/a | %s MB |\n' "${label}" "${c}" "${#form}" \
      "$(rps)" "$(ms p50_us)" "$(ms p99_us)" "$(ms p999_us)" "${errors}" "$(mb "$(status_kb VmHWM)")" >>"${rows}"
    echo "http: POST ${path}, ${c} connections: $(rps) req/s" >&2
  done
}

load_started=$(date +%s)
scenario health "GET /health" "${small_cookie}" /health
scenario books50 "GET /books, 50-book library" "${small_cookie}" /books
scenario books10k "GET /books, 10,000-book library" "${large_cookie}" /books
scenario deep "GET /books?page=${deep_page}, 10,000 books" "${large_cookie}" "/books?page=${deep_page}"
scenario search "GET /books?q=river, 10,000 books" "${large_cookie}" "/books?q=river"
scenario book "GET /books/{id} (book page), 10,000 books" "${large_cookie}" "${book_path}"
scenario revalidate "GET /books?fragment=1 revalidated (304), 10,000 books" "${large_cookie}" "/books?fragment=1" revalidate
scenario api50 "GET /api/v1/books, 50-book library" "${small_cookie}" /api/v1/books
scenario api10k "GET /api/v1/books, 10,000-book library" "${large_cookie}" /api/v1/books
add_scenario add
add_scenario apiadd
load_seconds=$(( $(date +%s) - load_started ))
sleep "${settle}"
idle_after_kb="$(status_kb VmRSS)"
hwm_kb="$(status_kb VmHWM)"
added="$(sqlite3 -cmd ".timeout 10000" "${work}/data/booklib.db" \
  "SELECT sync_status || ' ' || count(*) FROM user_books ub JOIN users u ON u.user_id = ub.user_id
   WHERE u.email = '${adder}' GROUP BY sync_status" | tr '\n' ',' | sed 's/,$//;s/,/, /g')"

peak_note="peak RSS: VmHWM after each Booklib run, reset before it (clear_refs)"
[[ ${clear_refs} == 1 ]] || peak_note="peak RSS: VmHWM since start (clear_refs refused: not per scenario)"
cat <<TABLE

| scenario | connections | bytes | Booklib req/s | p50 ms | p99 ms | p99.9 ms | errors | nginx req/s | ratio | peak RSS |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(cat "${rows}")
| JSON API (/api/...) | | | not built yet | | | | | | | |
| stats page | | | not built yet | | | | | | | |

ratio: Booklib req/s / nginx req/s for the same body bytes (nginx: a file, worker_processes 2, access_log off), same run.
errors: wrk's non-2xx/3xx answers plus socket errors (connect, read, write, timeout at ${timeout} s).
${peak_note}; wrk -t2 (-t1 at 1 connection), ${seconds} s a run, --latency; p99.9 from wrk's histogram.
start-up to the first /health 200: ${startup_ms} ms (data dir with 10,050 books, seeded in $(awk -v m="${seed_ms}" 'BEGIN { printf "%.1f", m / 1000 }') s)
idle RSS after start: $(mb "${idle_start_kb}") MB; after the load (${load_seconds} s), ${settle} s settled: $(mb "${idle_after_kb}") MB; VmHWM at the end: $(mb "${hwm_kb}") MB
adds by the adder, ${settle} s after the load: ${added:-none}
TABLE
