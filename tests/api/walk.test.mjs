// Walks the API document: calls every operation /api/v1/openapi.json lists, on a real booklib, and
// checks that each answer's status is one the document gives for that operation and that its body
// validates against the document's schema for it (Ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses).
// The error answers are walked too: each kind of refusal the document names at least once.
//
// Environment:
//   BOOKLIB_BINARY      the booklib executable: the test starts `booklib serve` on 127.0.0.1
//   API_BASE_URL        instead, an already running Booklib (e.g. the API Gateway bridge in front
//                       of `booklib lambda`: tests/api/lambda_walk.mjs)
//   API_ORIGIN          the Origin the pages of API_BASE_URL send (default API_BASE_URL itself)
//   API_WORK_DIR        a folder for the server's data and log
//   MAKE_BARCODE_PHOTO  tests/browser/make_barcode_photo, for the scan (without it: a photo with
//                       no barcode, answered 400)
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, createWriteStream, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const workDir = process.env.API_WORK_DIR || mkdtempSync(path.join(os.tmpdir(), "booklib-api-"));
let server = null;

async function startServer() {
  if (process.env.API_BASE_URL) return process.env.API_BASE_URL.replace(/\/$/, "");
  const binary = process.env.BOOKLIB_BINARY;
  if (!binary) throw new Error("set BOOKLIB_BINARY (the booklib executable) or API_BASE_URL");
  const dataDir = path.join(workDir, "data");
  mkdirSync(dataDir, { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("BOOKLIB_")));
  Object.assign(env, {
    BOOKLIB_DATA_DIR: dataDir, BOOKLIB_ADDRESS: "127.0.0.1", BOOKLIB_STORE: "sqlite", BOOKLIB_QUEUE: "sqlite",
    BOOKLIB_PASSWORD_ITERATIONS: "1000", BOOKLIB_WORKERS: "0",
    BOOKLIB_GOOGLE_BOOKS_URL: "http://127.0.0.1:9", BOOKLIB_OPEN_LIBRARY_URL: "http://127.0.0.1:9",
  });
  server = spawn(binary, ["serve", "--port=0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(path.join(workDir, "server.log"));
  server.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error("booklib serve did not start in 15 s")), 15000);
    server.stdout.on("data", (chunk) => {
      log.write(chunk);
      buffered += chunk;
      const match = buffered.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    server.once("exit", (code) => { clearTimeout(timer); reject(new Error(`booklib serve exited (${code})`)); });
  });
}

// The Set-Cookie lines of an answer. Node 18's fetch (Debian 12) has no Headers.getSetCookie and
// joins them with ", "; Booklib's cookies carry Max-Age, never an Expires date with a comma, so a
// comma followed by "name=" starts the next one.
export function setCookies(headers) {
  if (typeof headers.getSetCookie === "function") return headers.getSetCookie();
  const joined = headers.get("set-cookie");
  return joined ? joined.split(/,(?=\s*[A-Za-z0-9_-]+=)/).map((line) => line.trim()) : [];
}

// A browser's session: cookies kept, the CSRF token of the last page read.
class Session {
  constructor(base) { this.base = base; this.cookies = new Map(); this.csrf = ""; }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "); }
  keep(response) {
    for (const line of setCookies(response.headers)) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  async page(pathname) {
    const response = await fetch(this.base + pathname, { headers: { cookie: this.cookieHeader() }, redirect: "manual" });
    this.keep(response);
    const html = await response.text();
    const token = html.match(/name="csrf_token" value="([^"]+)"/);
    if (token) this.csrf = token[1];
    return html;
  }
  async form(pathname, fields) {
    const body = new URLSearchParams({ ...fields, csrf_token: this.csrf });
    const response = await fetch(this.base + pathname, {
      method: "POST", body, redirect: "manual",
      headers: { cookie: this.cookieHeader(), "content-type": "application/x-www-form-urlencoded", origin },
    });
    this.keep(response);
    return response;
  }
  async signUp(name) {
    await this.page("/register");
    const registered = await this.form("/register", {
      username: name, email: `${name}@example.com`, password: "long-enough-pw", confirm_password: "long-enough-pw" });
    assert.equal(registered.status, 303, "registering answers a redirect");
    await this.page("/login");
    const logged = await this.form("/login", { email: `${name}@example.com`, password: "long-enough-pw" });
    assert.equal(logged.status, 303, "logging in answers a redirect");
    await this.page("/account");
    assert.ok(this.cookies.has("booklib_session"), "logged in");
  }
}

const base = await startServer();
// What the pages' Origin says: the server's own address (https:// behind API Gateway, API_ORIGIN).
const origin = process.env.API_ORIGIN || base;
const failures = [];
try {
  const document = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  assert.equal(document.openapi, "3.1.0");
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "openapi");

  // Every operation of the document: "GET /api/v1/books" -> its operation object.
  const operations = new Map();
  for (const [pathname, item] of Object.entries(document.paths))
    for (const method of ["get", "post", "put", "patch", "delete"])
      if (item[method]) operations.set(item[method].operationId, { method: method.toUpperCase(), pathname, op: item[method] });
  const called = new Map(); // operationId -> statuses seen

  const resolve = (object) => {
    while (object && object.$ref) {
      const parts = object.$ref.replace(/^#\//, "").split("/");
      object = parts.reduce((at, part) => at[part], document);
    }
    return object;
  };

  // Calls operation `id` with `options` (path parameters, body, headers) and checks the answer.
  async function call(id, { params = {}, query = "", json, raw, contentType, auth, expect }) {
    const entry = operations.get(id);
    assert.ok(entry, `the document lists no operation ${id}`);
    let url = entry.pathname.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
    url = base + url + (query ? `?${query}` : "");
    const headers = { ...(auth.headers ? auth.headers() : {}) };
    let body;
    if (json !== undefined) { body = JSON.stringify(json); headers["content-type"] = "application/json"; }
    if (raw !== undefined) { body = raw; headers["content-type"] = contentType; }
    const response = await fetch(url, { method: entry.method, headers, body, redirect: "manual" });
    const text = await response.text();
    const where = `${entry.method} ${entry.pathname} (${id}) -> ${response.status}`;
    const statuses = called.get(id) || new Set();
    statuses.add(response.status);
    called.set(id, statuses);
    if (expect !== undefined && response.status !== expect)
      failures.push(`${where}: expected ${expect}; body ${text.slice(0, 300)}`);
    const documented = entry.op.responses[String(response.status)];
    if (!documented) {
      failures.push(`${where}: status not in the document (${Object.keys(entry.op.responses).join(", ")})`);
      return { status: response.status, text };
    }
    const answer = resolve(documented);
    const media = answer.content && answer.content["application/json"];
    let parsed = null;
    if (media) {
      assert.match(response.headers.get("content-type") || "", /^application\/json/, `${where}: JSON content type`);
      parsed = JSON.parse(text);
      const validate = ajv.compile(media.schema.$ref ? { $ref: `openapi${media.schema.$ref}` } : media.schema);
      if (!validate(parsed))
        failures.push(`${where}: body does not match the document: ${ajv.errorsText(validate.errors)}; body ${text.slice(0, 300)}`);
    } else if (text.length > 0 && response.status !== 304) {
      failures.push(`${where}: the document gives no body, the answer has ${text.length} bytes`);
    }
    for (const name of Object.keys(answer.headers || {}))
      if (!response.headers.get(name)) failures.push(`${where}: header ${name} missing`);
    return { status: response.status, json: parsed, headers: response.headers };
  }

  const browser = new Session(base);
  await browser.signUp(`walker${Date.now()}`);
  const session = { headers: () => ({ cookie: browser.cookieHeader(), "x-csrf-token": browser.csrf, origin }) };
  const sessionNoCsrf = { headers: () => ({ cookie: browser.cookieHeader(), origin }) };
  const anonymous = { headers: () => ({}) };

  // Tokens (session only), then everything else with the read-write token.
  const made = await call("createToken", { json: { name: "walker", scope: "read-write" }, auth: session, expect: 201 });
  const readOnly = await call("createToken", { json: { name: "reader" }, auth: session, expect: 201 });
  await call("createToken", { json: { name: "" }, auth: session, expect: 400 });
  const token = { headers: () => ({ authorization: `Bearer ${made.json.secret}` }) };
  const reader = { headers: () => ({ authorization: `Bearer ${readOnly.json.secret}` }) };
  await call("listTokens", { auth: session, expect: 200 });
  await call("listTokens", { auth: token, expect: 403 });

  await call("getMe", { auth: token, expect: 200 });
  await call("getMe", { auth: anonymous, expect: 401 });
  await call("getMe", { auth: { headers: () => ({ authorization: `Bearer bkl_${"x".repeat(43)}` }) }, expect: 401 });

  const dune = await call("addBook", { json: { isbn: "978-0-441-17271-9", status: "to-read" }, auth: token, expect: 201 });
  await call("addBook", { json: { isbn: "9780441172719" }, auth: token, expect: 409 });
  await call("addBook", { json: { isbn: "12345" }, auth: token, expect: 400 });
  await call("addBook", { json: { title: "By hand", author: "Someone", page_count: 320, rating: 3.5 }, auth: session, expect: 201 });
  await call("addBook", { json: { title: "Nope" }, auth: reader, expect: 403 });
  await call("addBook", { json: { title: "Nope" }, auth: sessionNoCsrf, expect: 403 });
  await call("addBook", { raw: "title=x", contentType: "application/x-www-form-urlencoded", auth: token, expect: 415 });
  const id = dune.json.id;

  const list = await call("listBooks", { auth: reader, expect: 200 });
  assert.equal(list.json.total, 2);
  await call("listBooks", { query: "q=dune&sort=title", auth: token, expect: 200 });
  await call("listBooks", { query: "sort=sideways", auth: token, expect: 400 });
  await call("listBooks", { auth: { headers: () => ({ ...token.headers(), "if-none-match": list.headers.get("etag") }) }, expect: 304 });

  await call("getBook", { params: { id }, auth: token, expect: 200 });
  await call("getBook", { params: { id: "no-such-entry" }, auth: token, expect: 404 });
  await call("updateBook", { params: { id }, json: { status: "reading", status_date: "2026-01-02", rating: 4.5, owned: true, notes: "n", page_count: 535 }, auth: token, expect: 200 });
  await call("updateBook", { params: { id }, json: { rating: 7 }, auth: token, expect: 400 });
  await call("updateBook", { params: { id }, json: { colour: "red" }, auth: token, expect: 400 });
  await call("setProgress", { params: { id }, json: { value: 120, unit: "page" }, auth: token, expect: 200 });
  await call("setProgress", { params: { id }, json: { value: 999, unit: "page" }, auth: token, expect: 400 });

  const reads = await call("listReads", { params: { id }, auth: token, expect: 200 });
  const added = await call("addRead", { params: { id }, json: { started_on: "2020-01-01", finished_on: "2020-02-01", outcome: "finished" }, auth: token, expect: 201 });
  assert.equal(added.json.reads.length, reads.json.reads.length + 1);
  const read = added.json.reads.find((r) => r.started_on === "2020-01-01").id;
  await call("updateRead", { params: { id, read }, json: { finished_on: "2020-03-01" }, auth: token, expect: 200 });
  await call("updateRead", { params: { id, read }, json: { finished_on: "2019-01-01" }, auth: token, expect: 400 });
  await call("deleteRead", { params: { id, read }, auth: token, expect: 204 });

  await call("createShelf", { json: { name: "Sci-fi" }, auth: token, expect: 201 });
  await call("createShelf", { json: { name: "sci-fi" }, auth: token, expect: 409 });
  await call("shelveBook", { params: { id, shelf: "Sci-fi" }, auth: token, expect: 200 });
  await call("shelveBook", { params: { id, shelf: "Desert books" }, auth: token, expect: 200 });
  await call("unshelveBook", { params: { id, shelf: "Desert books" }, auth: token, expect: 200 });
  await call("listShelves", { auth: token, expect: 200 });
  await call("renameShelf", { params: { shelf: "Sci-fi" }, json: { name: "Science fiction" }, auth: token, expect: 200 });
  await call("renameShelf", { params: { shelf: "Nothing here" }, json: { name: "Whatever" }, auth: token, expect: 404 });
  await call("deleteShelf", { params: { shelf: "Science fiction" }, auth: token, expect: 204 });

  await call("retryBook", { params: { id }, auth: token, expect: 202 });

  let photo;
  const maker = process.env.MAKE_BARCODE_PHOTO;
  if (maker) {
    const file = path.join(workDir, "barcode.jpg");
    execFileSync(maker, ["9780441172719", file]);
    photo = { bytes: readFileSync(file), type: "image/jpeg", status: 200 };
  } else {
    photo = { bytes: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAGSVnmQAAAABJRU5ErkJggg==", "base64"), type: "image/png", status: 400 };
  }
  const scanned = await call("scanPhoto", { raw: photo.bytes, contentType: photo.type, auth: token, expect: photo.status });
  if (photo.status === 200) assert.equal(scanned.json.isbn, "9780441172719");
  await call("scanPhoto", { raw: "{}", contentType: "application/json", auth: token, expect: 415 });

  await call("deleteBook", { params: { id }, auth: reader, expect: 403 });
  await call("deleteBook", { params: { id }, auth: token, expect: 204 });
  await call("deleteBook", { params: { id }, auth: token, expect: 404 });

  // Another reader's ids are not found; revoked tokens open nothing.
  const other = new Session(base);
  await other.signUp(`other${Date.now()}`);
  const otherSession = { headers: () => ({ cookie: other.cookieHeader(), "x-csrf-token": other.csrf, origin }) };
  const mine = await call("addBook", { json: { title: "Mine" }, auth: token, expect: 201 });
  await call("getBook", { params: { id: mine.json.id }, auth: otherSession, expect: 404 });
  await call("revokeToken", { params: { token: made.json.id }, auth: otherSession, expect: 404 });
  await call("revokeToken", { params: { token: made.json.id }, auth: session, expect: 204 });
  await call("getMe", { auth: token, expect: 401 });

  for (const id of operations.keys())
    if (!called.has(id)) failures.push(`operation ${id} was never called`);
  console.log(`walked ${operations.size} operations, ${[...called.values()].reduce((n, s) => n + s.size, 0)} (operation, status) pairs`);
} finally {
  if (server) server.kill("SIGTERM");
}
if (failures.length > 0) {
  console.error(`${failures.length} problem(s):\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("ok: every answer matched the document");
