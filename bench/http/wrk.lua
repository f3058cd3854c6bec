-- wrk script of bench/http.sh: the reader's cookies on every request, and one machine-readable line
-- at the end ("BENCH key=value ..."; latencies in microseconds, from wrk's histogram).
--   BENCH_COOKIE   the Cookie header (session and CSRF cookies); empty: none
--   BENCH_ADD      set: POST /add_book with a new ISBN each time (a form, as the add page sends it),
--                  with BENCH_CSRF (the page's token), BENCH_ORIGIN and BENCH_FIRST_ISBN (the first
--                  ISBN number of this run; each thread takes its own million after it)
--   BENCH_API      with BENCH_ADD: POST /api/v1/books with {"isbn": ...} as JSON and the token in
--                  X-CSRF-Token, as the add page's scanner sends it
--   BENCH_IF_NONE_MATCH  set: sent as If-None-Match (a revalidation: the answer is a 304)
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local if_none_match = os.getenv("BENCH_IF_NONE_MATCH") or ""
if if_none_match ~= "" then wrk.headers["If-None-Match"] = if_none_match end
local adding = (os.getenv("BENCH_ADD") or "") ~= ""
local api = (os.getenv("BENCH_API") or "") ~= ""

local threads = 0
function setup(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

-- The n-th ISBN-13 of the 978 range, with its check digit.
local function isbn(n)
  local digits = "978" .. string.format("%09d", n)
  local sum = 0
  for i = 1, 12 do
    local d = string.byte(digits, i) - 48
    sum = sum + (i % 2 == 0 and 3 * d or d)
  end
  return digits .. tostring((10 - sum % 10) % 10)
end

local next_isbn
local form_headers
function init(args)
  if not adding then return end
  next_isbn = tonumber(os.getenv("BENCH_FIRST_ISBN")) + (thread_index or 0) * 1000000
  form_headers = {
    ["Cookie"] = cookie,
    ["Origin"] = os.getenv("BENCH_ORIGIN"),
    ["Content-Type"] = api and "application/json" or "application/x-www-form-urlencoded",
  }
  if api then form_headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF") end
end

if adding then
  local token = os.getenv("BENCH_CSRF") or ""
  function request()
    local number = isbn(next_isbn)
    next_isbn = next_isbn + 1
    if api then return wrk.format("POST", "/api/v1/books", form_headers, '{"isbn": "' .. number .. '"}') end
    local body = "isbn=" .. number .. "&status=to-read&csrf_token=" .. token
    return wrk.format("POST", "/add_book", form_headers, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f " ..
    "status_errors=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), latency.max, e.status, e.connect + e.read + e.write + e.timeout,
    e.connect, e.read, e.write, e.timeout))
end
