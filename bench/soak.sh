#!/usr/bin/env bash
# Soak: a Release `booklib serve` (in-process metadata workers, a fresh SQLite file, a fake Google
# Books on loopback) under N connections of logged-in readers for S seconds; samples the server's
# RSS every second and prints requests, non-2xx, socket errors, latency and peak/settled RSS
# against the targets (0 errors, p99 < 200 ms, peak RSS <= 100 MB).
#   bench/soak.sh [--connections 256] [--seconds 300] [--threads N] [--settle 10] [--keep]
#                 [--server-option --flag=value ...] [-- extra booklib_load soak options, e.g. --weight-scan 0]
# --server-option passes a flag to `booklib serve` (e.g. a per-address connection cap above N).
# Quick check: bench/soak.sh --connections 64 --seconds 20
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${root}/build/bench"
connections=256
seconds=300
settle=10
threads=""
keep=0
extra=()
server_options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --server-option) server_options+=("$2"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/build_tools.sh
source "${root}/bench/build_tools.sh"

work="$(mktemp -d /tmp/booklib-soak.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ ${keep} == 1 ]]; then echo "kept ${work}" >&2; else rm -rf "${work}"; fi
}
trap cleanup EXIT

# Waits up to 20 s for a file to exist and be non-empty, or for a log line.
wait_for_file() { for _ in $(seq 200); do [[ -s "$1" ]] && return 0; sleep 0.1; done; echo "no $1" >&2; exit 1; }
wait_for_line() { for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; cat "$1" >&2; exit 1; }

"${load}" provider --url-file "${work}/provider-url" 2>"${work}/provider.log" &
pids+=($!)
wait_for_file "${work}/provider-url"
provider="$(cat "${work}/provider-url")"

ulimit -n 65536 2>/dev/null || true
server_args=(serve "--data-dir=${work}/data" --port=0 "--google-books-url=${provider}/books/v1"
             "--open-library-url=${provider}")
[[ -n "${threads}" ]] && server_args+=("--threads=${threads}")
server_args+=("${server_options[@]}")
"${booklib}" "${server_args[@]}" >"${work}/server.log" 2>&1 &
server_pid=$!
pids+=("${server_pid}")
wait_for_line "${work}/server.log" '"booklib serving"'
port="$(grep -o '"url":"http://127.0.0.1:[0-9]*"' "${work}/server.log" | head -1 | grep -o '[0-9]*"$' | tr -d '"')"

rss_kb() { awk -v f="$1" '$1 == f":" { print $2 }' "/proc/${server_pid}/status"; }
# One line a second: seconds since start, VmRSS in kB (the server's, with its workers in process).
( start=$(date +%s); while kill -0 "${server_pid}" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(rss_kb VmRSS)"; sleep 1; done ) >"${work}/rss.log" &
pids+=($!)

echo "soak: ${connections} connections for ${seconds} s against 127.0.0.1:${port} (data in ${work})" >&2
"${load}" soak --port "${port}" --connections "${connections}" --seconds "${seconds}" \
  --summary "${work}/summary" --ready-file "${work}/ready" "${extra[@]}" | tee "${work}/table"
peak_hwm_kb="$(rss_kb VmHWM)"
sleep "${settle}"
settled_kb="$(rss_kb VmRSS)"
pending="$(sqlite3 "${work}/data/booklib.db" "SELECT count(*) FROM user_books WHERE sync_status = 'PENDING'")"
synced="$(sqlite3 "${work}/data/booklib.db" "SELECT count(*) FROM user_books WHERE sync_status = 'SYNCED'")"
failed="$(sqlite3 "${work}/data/booklib.db" "SELECT count(*) FROM user_books WHERE sync_status = 'FAILED'")"

value() { awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2) }' "${work}/summary"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
met() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**missed**"; fi; }
errors=$(( $(value unexpected) + $(value socket_errors) ))
peak_mb="$(mb "${peak_hwm_kb}")"
cat <<TABLE

| figure | value | target |
|---|---:|---|
| connections, duration, think time | ${connections}, $(printf '%.0f' "$(value seconds)") s, $(value think_ms) ms | |
| requests | $(value requests) | |
| requests/s | $(printf '%.0f' "$(value requests_per_second)") | |
| non-2xx (other than the 303 a form answers) | $(value unexpected) | 0: $(met "$(value unexpected) == 0") |
| socket errors, timeouts | $(value socket_errors) | 0: $(met "$(value socket_errors) == 0") |
| p50 / p99 / p99.9 / max | $(value p50_ms) / $(value p99_ms) / $(value p999_ms) / $(value max_ms) ms | p99 < 200 ms: $(met "$(value p99_ms) < 200") |
| peak RSS (VmHWM) | ${peak_mb} MB | <= 100 MB: $(met "${peak_mb} <= 100") |
| settled RSS (${settle} s after) | $(mb "${settled_kb}") MB | |
| add requests; entries SYNCED / FAILED / PENDING ${settle} s after | $(value add_requests); ${synced} / ${failed} / ${pending} | |

non-2xx: $(value unexpected_detail); socket errors: $(value socket_error_detail)
setup (register $(value users) readers, log ${connections} connections in, not measured): $(printf '%.0f' "$(value setup_seconds)") s
machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')
TABLE
[[ ${errors} == 0 ]] && awk "BEGIN { exit !($(value p99_ms) < 200 && ${peak_mb} <= 100) }"
