#!/usr/bin/env bash
# Crash test: one reader adds books through HTTP (4 connections) while `booklib serve` and a
# `booklib worker` share a SQLite file; both get SIGKILL at a random moment, ROUNDS times. After
# each restart every add that was answered 303 must be in the file and PRAGMA integrity_check must
# say ok; at the end, with the worker running against a fake provider, no book may stay PENDING.
# Prints a table per round and a verdict; exits 1 on any loss.
#   bench/crash.sh [--rounds 20] [--bound 120] [--keep]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${root}/build/bench"
rounds=20
bound=120  # seconds for the last PENDING book to reach SYNCED or FAILED after the last restart
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --bound) bound="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/build_tools.sh
source "${root}/bench/build_tools.sh"

work="$(mktemp -d /tmp/booklib-crash.XXXXXX)"
db="${work}/data/booklib.db"
acked="${work}/acked"
email="writer@example.com"
password="crash-writer-long-password"
: >"${acked}"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "${pid}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ ${keep} == 1 ]]; then echo "kept ${work}" >&2; else rm -rf "${work}"; fi
}
trap cleanup EXIT

wait_for_file() { for _ in $(seq 200); do [[ -s "$1" ]] && return 0; sleep 0.1; done; echo "no $1" >&2; exit 1; }

"${load}" provider --url-file "${work}/provider-url" 2>"${work}/provider.log" &
pids+=($!)
wait_for_file "${work}/provider-url"
provider="$(cat "${work}/provider-url")"
providers=("--google-books-url=${provider}/books/v1" "--open-library-url=${provider}")

server_pid=""
worker_pid=""
port=""
# Starts the server (no in-process workers) and one worker process; sets port.
start() {
  local log="${work}/server-$1.log"
  "${booklib}" serve "--data-dir=${work}/data" --port=0 --workers=0 "${providers[@]}" >"${log}" 2>&1 &
  server_pid=$!
  pids+=("${server_pid}")
  for _ in $(seq 300); do grep -q '"booklib serving"' "${log}" 2>/dev/null && break; sleep 0.1; done
  port="$(grep -o '"url":"http://127.0.0.1:[0-9]*"' "${log}" | head -1 | grep -o '[0-9]*"$' | tr -d '"')"
  [[ -n "${port}" ]] || { cat "${log}" >&2; exit 1; }
  # A message a killed worker held comes back after 10 s (the default is 300 s).
  "${booklib}" worker "--database=${db}" --visibility-timeout=10 --retry-backoff=1 "${providers[@]}" \
    >"${work}/worker-$1.log" 2>&1 &
  worker_pid=$!
  pids+=("${worker_pid}")
}

sql() { sqlite3 -cmd ".timeout 10000" "${db}" "$1"; }
present_isbns() {
  sql "SELECT b.isbn FROM user_books ub JOIN books b ON b.book_id = ub.book_id
       JOIN users u ON u.user_id = ub.user_id WHERE u.email = '${email}'" | sort -u
}

lost_total=0
bad_integrity=0
idle_rounds=0
printf '| round | killed after | acked this round | acked in all | present | missing | integrity_check | pending |\n'
printf '|---:|---:|---:|---:|---:|---:|---|---:|\n'
for round in $(seq 1 "${rounds}"); do
  start "${round}"
  before=$(wc -l <"${acked}")
  register=()
  [[ ${round} == 1 ]] && register=(--register)
  "${load}" write --port "${port}" --email "${email}" --password "${password}" --acked "${acked}" \
    --first $(( round * 1000000 )) --connections 4 "${register[@]}" 2>>"${work}/writer.log" &
  writer_pid=$!
  pids+=("${writer_pid}")
  # Under write load: wait for the round's first acknowledged add, then a random 0.2-3.0 s more.
  for _ in $(seq 600); do [[ $(wc -l <"${acked}") -gt ${before} ]] && break; sleep 0.05; done
  delay="$(awk -v r="${RANDOM}" 'BEGIN { printf "%.2f", 0.2 + 2.8 * r / 32767 }')"
  sleep "${delay}"
  kill -9 "${server_pid}" "${worker_pid}"
  wait "${server_pid}" "${worker_pid}" 2>/dev/null || true
  kill -TERM "${writer_pid}"
  wait "${writer_pid}" || true
  after=$(wc -l <"${acked}")

  # Restart, then check the file as the restarted server has it.
  start "${round}-restart"
  sort -u "${acked}" >"${work}/acked.sorted"
  present_isbns >"${work}/present"
  missing=$(comm -23 "${work}/acked.sorted" "${work}/present" | wc -l)
  integrity="$(sql 'PRAGMA integrity_check' | tr '\n' ' ' | sed 's/ $//')"
  pending="$(sql "SELECT count(*) FROM user_books WHERE sync_status = 'PENDING'")"
  printf '| %d | %s s | %d | %d | %d | %d | %s | %d |\n' "${round}" "${delay}" $(( after - before )) \
    "$(wc -l <"${work}/acked.sorted")" "$(wc -l <"${work}/present")" "${missing}" "${integrity}" "${pending}"
  lost_total=$(( lost_total + missing ))
  [[ ${after} -gt ${before} ]] || idle_rounds=$(( idle_rounds + 1 ))  # no write load: the round proves nothing
  [[ "${integrity}" == "ok" ]] || bad_integrity=$(( bad_integrity + 1 ))
  if [[ ${round} -lt ${rounds} ]]; then
    kill -TERM "${server_pid}" "${worker_pid}"
    wait "${server_pid}" "${worker_pid}" 2>/dev/null || true
  fi
done

# The last restart is running: every PENDING entry must reach a final status within the bound.
started=$(date +%s)
while pending="$(sql "SELECT count(*) FROM user_books WHERE sync_status = 'PENDING'")" && [[ ${pending} -gt 0 ]]; do
  [[ $(( $(date +%s) - started )) -ge ${bound} ]] && break
  sleep 1
done
waited=$(( $(date +%s) - started ))
statuses="$(sql "SELECT sync_status || ' ' || count(*) FROM user_books GROUP BY sync_status" | tr '\n' ',' | sed 's/,$//;s/,/, /g')"
dead="$(sql "SELECT count(*) FROM queue_dead_letters")"
echo
echo "after the last restart: ${statuses} (waited ${waited} s, bound ${bound} s); dead letters: ${dead}"
awk '/^write: sent/ { gsub(",", ""); sent += $3; acked += $5; other += $8; n++ }
     END { printf "writer: %d rounds, %d adds sent, %d answered 303, %d not (cut off by the kill, or refused)\n", n, sent, acked, other }' \
  "${work}/writer.log"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
if [[ ${lost_total} == 0 && ${bad_integrity} == 0 && ${pending} == 0 && ${idle_rounds} == 0 ]]; then
  echo "verdict: PASS: ${rounds} SIGKILLs, no acknowledged add lost, integrity ok every time, nothing left PENDING"
else
  echo "verdict: FAIL: ${lost_total} acknowledged add(s) missing, ${bad_integrity} failed integrity check(s)," \
    "${pending} PENDING after ${bound} s, ${idle_rounds} round(s) killed without an acknowledged add"
  exit 1
fi
