#!/usr/bin/env bash
# Starts/stops local DynamoDB (dynalite) and SQS (fauxqs) emulators on 127.0.0.1 for adapter tests.
#
#   eval "$(scripts/emulators.sh start)"   # starts both (free ports), prints export lines
#   ctest --test-dir build -L emulator      # adapter tests now run for real instead of skipping
#   scripts/emulators.sh env                # prints the export lines again
#   scripts/emulators.sh stop               # stops both
#   scripts/emulators.sh run ctest --test-dir build -L emulator
#                                           # a private pair just for one command, stopped after it
#
# State (pids, logs, the env file) lives in $BOOKLIB_EMULATORS_DIR, default
# ${TMPDIR:-/tmp}/booklib-emulators-<uid>; set it to run several independent pairs.
# The emulators keep everything in memory: stopping them forgets all tables and queues.
# The printed lines set dummy credentials (the emulators do not check signatures) and
# AWS_REGION=us-east-1, which the queue URLs fauxqs hands out depend on.
set -euo pipefail

readonly script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly package_dir="${script_dir}/emulators"
readonly state_dir="${BOOKLIB_EMULATORS_DIR:-${TMPDIR:-/tmp}/booklib-emulators-$(id -u)}"
readonly env_file="${state_dir}/env"

log() { echo "emulators: $*" >&2; }

is_running() {  # is_running <name>: the pid file names a live process
  local pid_file="${state_dir}/$1.pid"
  [[ -f "${pid_file}" ]] && kill -0 "$(cat "${pid_file}")" 2>/dev/null
}

install_packages() {
  if [[ ! -d "${package_dir}/node_modules/dynalite" || ! -d "${package_dir}/node_modules/fauxqs" ]]; then
    log "installing pinned packages (npm ci) in ${package_dir}"
    (cd "${package_dir}" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

# Launches one emulator on a free port and prints its base URL once it has bound.
launch() {  # launch <dynalite|fauxqs>
  local name="$1" log_file="${state_dir}/$1.log"
  : >"${log_file}"
  (cd "${package_dir}" && exec nohup node serve.mjs "${name}" 0 >"${log_file}" 2>&1) &
  echo $! >"${state_dir}/${name}.pid"
  local url=""
  for _ in $(seq 1 100); do
    url="$(sed -n 's/^listening //p' "${log_file}" | head -n 1)"
    [[ -n "${url}" ]] && break
    is_running "${name}" || { log "${name} exited:"; cat "${log_file}" >&2; return 1; }
    sleep 0.1
  done
  [[ -n "${url}" ]] || { log "${name} did not start within 10 s"; return 1; }
  echo "${url}"
}

# Waits until a JSON-protocol call answers with HTTP 200.
wait_until_answering() {  # wait_until_answering <url> <X-Amz-Target> <body>
  for _ in $(seq 1 100); do
    local status
    status="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$1" \
      -H 'Content-Type: application/x-amz-json-1.0' -H "X-Amz-Target: $2" \
      -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/x/aws4_request, SignedHeaders=host, Signature=0' \
      -H "X-Amz-Date: $(date -u +%Y%m%dT%H%M%SZ)" -d "$3" || true)"
    [[ "${status}" == "200" ]] && return 0
    sleep 0.1
  done
  log "$1 did not answer $2"
  return 1
}

start() {
  mkdir -p "${state_dir}"
  if is_running dynalite && is_running fauxqs && [[ -f "${env_file}" ]]; then
    log "already running (${state_dir})"
    cat "${env_file}"
    return 0
  fi
  stop_quietly
  install_packages
  local dynamodb_url sqs_url
  dynamodb_url="$(launch dynalite)"
  sqs_url="$(launch fauxqs)"
  wait_until_answering "${dynamodb_url}" DynamoDB_20120810.ListTables '{}'
  wait_until_answering "${sqs_url}" AmazonSQS.ListQueues '{}'
  cat >"${env_file}" <<EOF
export AWS_ENDPOINT_URL_DYNAMODB=${dynamodb_url}
export AWS_ENDPOINT_URL_SQS=${sqs_url}
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=booklib-local
export AWS_SECRET_ACCESS_KEY=booklib-local
unset AWS_SESSION_TOKEN
EOF
  log "dynalite at ${dynamodb_url}, fauxqs at ${sqs_url} (state in ${state_dir})"
  cat "${env_file}"
}

stop_quietly() {
  local name
  for name in dynalite fauxqs; do
    if is_running "${name}"; then
      kill "$(cat "${state_dir}/${name}.pid")" 2>/dev/null || true
    fi
    rm -f "${state_dir}/${name}.pid"
  done
  rm -f "${env_file}"
}

# Runs one command with a private pair of emulators, stopped (and their state removed) afterwards.
run_with_private_emulators() {
  local private_dir
  private_dir="$(mktemp -d "${TMPDIR:-/tmp}/booklib-emulators-run.XXXXXX")"
  trap 'BOOKLIB_EMULATORS_DIR="'"${private_dir}"'" "'"${script_dir}/emulators.sh"'" stop; rm -rf "'"${private_dir}"'"' EXIT
  eval "$(BOOKLIB_EMULATORS_DIR="${private_dir}" "${script_dir}/emulators.sh" start)"
  "$@"
}

case "${1:-}" in
  start) start ;;
  run) shift; [[ $# -gt 0 ]] || { echo "usage: $0 run <command...>" >&2; exit 2; }; run_with_private_emulators "$@" ;;
  stop) stop_quietly; log "stopped" ;;
  env) [[ -f "${env_file}" ]] && cat "${env_file}" || { log "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|env|run <command...>" >&2; exit 2 ;;
esac
