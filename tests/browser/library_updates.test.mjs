// Browser test of the library page following background metadata lookups: a real booklib server on
// 127.0.0.1 with two metadata workers, a fake Google Books / Open Library and an https cover host
// (a throwaway self-signed certificate for 127.0.0.1, trusted by booklib through CURL_CA_BUNDLE) in
// this process, Debian's headless Chromium driven by playwright-core. Run it through run.sh
// (environment: harness.mjs).
//
// What a user would do and notice:
//   type an ISBN on /add_book -> /books shows its card "Fetching details" (PENDING); a few seconds
//   later, with no reload, the same page shows the provider's title, author, genre and cover, and
//   stops asking for updates; the cover is /covers/<id> on the booklib server, which fetched the
//   provider's http thumbnail link upgraded to https, once: a reload (browser cache off) is answered
//   from the server's cache;
//   a book no provider knows -> "Details not found", a plain sentence and "Enter details" (no Retry:
//   it cannot help); entering a title and author there shows them on a SYNCED card, without a badge;
//   while the provider answers 503 a book ends FAILED after BOOKLIB_MAX_RECEIVES=2 attempts, told in
//   plain words (never "HTTP 503"); once the provider is back, Retry makes it PENDING and the page
//   turns it SYNCED by itself, replacing that card only: the other cards stay the same elements and
//   the keyboard focus stays where it was;
//   when the session ends (a logout in another tab) while a card is PENDING, the page keeps its
//   cards, shows no login page inside the library and stops asking;
//   no page raises a script error, and the browser asks no origin but the booklib server's.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { BrowserTest } from "./harness.mjs";

const test = new BrowserTest("library_updates.test");
const step = (name, body) => test.step(name, body);

const user = { username: "livereader", email: "live.reader@example.com", password: "correct horse battery" };
// Found books are answered after this long, so that /books shows them PENDING first.
const lookupDelayMs = 3000;
// The page polls every 2 s: a change shows up within delay + 2 s + a render; allow for a busy machine.
const syncTimeoutMs = lookupDelayMs + 12000;
const books = {
  slow: { isbn: "9781402894626", typed: "978-1-4028-9462-6", title: "Tides & Harbours",
          authors: ["Ada Writer", "Bo Co-Author"], genre: "Fiction" },
  unknown: { isbn: "9780306406157" },
  flaky: { isbn: "9780262033848", title: "The Lighthouse Keeper", authors: ["Cy Keeper"], genre: "Mystery" },
  // Answered only after the test ends (within the server's 10 s provider timeout): stays PENDING.
  late: { isbn: "9780131103627", title: "Late Arrivals", authors: ["Di Later"], genre: "Essays", delayMs: 9000 },
};
const typedDetails = { title: "My Own Notebook", author: "Me Myself" };
const maxReceives = 2;
// A 12x18 PNG: what the https cover host answers for every cover (the page must show it at that size).
const coverPng = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAwAAAASCAIAAADgy6hbAAAAFUlEQVR42mOQs6kgiBhGFY0qorciAD+UsTG0D353AAAAAElFTkSuQmCC", "base64");
const coverSize = { width: 12, height: 18 };

let page = null;
let provider = null;
let coverHost = null;

// ---- The https cover host ----------------------------------------------------------------------

// A throwaway self-signed certificate (and key) for IP 127.0.0.1, valid for a day, in `dir`.
function makeCertificate(dir) {
  mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, "cover-host.key");
  const certFile = path.join(dir, "cover-host.crt");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", keyFile, "-out", certFile],
                 { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    throw new Error(`openssl could not make a certificate for 127.0.0.1: ${error.stderr?.toString().trim() || error.message}`);
  }
  return { keyFile, certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

// Starts `server` (http or https) on an ephemeral port of 127.0.0.1; resolves to the port.
async function listenOnLoopback(server) {
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return server.address().port;
}

// Stops `server` without waiting for its clients to hang up.
async function closeNow(server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

// Where Google's cover links point: GET /books/content?id=vol<digits>&... answers coverPng over
// https on 127.0.0.1; anything else 404. Only the booklib server should ever ask it.
async function startCoverHost(certificate) {
  const requests = []; // { path, status, at }
  const tlsErrors = [];
  const started = Date.now();
  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const url = new URL(request.url, "https://127.0.0.1");
    const found = request.method === "GET" && url.pathname === "/books/content" && /^vol\d+$/.test(url.searchParams.get("id") ?? "");
    requests.push({ path: request.url, status: found ? 200 : 404, at: Date.now() - started });
    if (!found) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=UTF-8" });
      return response.end("no such cover");
    }
    response.writeHead(200, { "Content-Type": "image/png", "Content-Length": coverPng.length });
    response.end(coverPng);
  });
  // A plain-http request (a cover link not upgraded to https) or a client refusing the certificate.
  server.on("tlsClientError", (error) => tlsErrors.push(error.message));
  const port = await listenOnLoopback(server);
  return {
    port,
    tlsErrors,
    paths() { return requests.map((r) => r.path); },
    requestsFor(pathAndQuery) { return requests.filter((r) => r.path === pathAndQuery); },
    // "GET /books/content?... 200 at 4.1 s; TLS errors: ..." for failure messages.
    describe() {
      const seen = requests.map((r) => `${r.path} ${r.status} at ${(r.at / 1000).toFixed(1)} s`);
      return (seen.length ? seen.join(", ") : "no request") + (tlsErrors.length ? `; TLS errors: ${tlsErrors.join(", ")}` : "");
    },
    close() { return closeNow(server); },
  };
}

// ---- The fake metadata provider --------------------------------------------------------------

// Google's volume id for `book`, and the path and query of its thumbnail on the cover host.
const volumeId = (book) => "vol" + book.isbn.slice(7);
const thumbnailPath = (book) => `/books/content?id=${volumeId(book)}&printsec=frontcover&img=1&zoom=1`;

// Google Books' volumes answer for a book it has, in the shape tests/http/provider_fixtures.h
// describes; its cover links are plain http, as Google sends them (here to the https cover host,
// which booklib must reach over https).
function googleVolume(book, coverBase) {
  const id = volumeId(book);
  return {
    kind: "books#volumes",
    totalItems: 1,
    items: [{
      kind: "books#volume",
      id,
      volumeInfo: {
        title: book.title,
        authors: book.authors,
        publisher: "Harbour Press",
        publishedDate: "2019-04-02",
        description: "A <b>long</b> voyage.",
        industryIdentifiers: [{ type: "ISBN_13", identifier: book.isbn }],
        pageCount: 352,
        categories: [book.genre],
        imageLinks: {
          smallThumbnail: `${coverBase}/books/content?id=${id}&printsec=frontcover&img=1&zoom=5`,
          thumbnail: `${coverBase}${thumbnailPath(book)}`,
        },
        language: "en",
      },
    }],
  };
}

// GET /books/v1/volumes?q=isbn:<isbn> (Google Books) and GET /api/books?bibkeys=ISBN:<isbn>...
// (Open Library) on 127.0.0.1. Books in `catalogue` are found by Google after lookupDelayMs (or
// their delayMs), with cover links under `coverBase`;
// others are unknown to both (Google totalItems 0, Open Library {}); ISBNs marked unavailable get
// 503 from both.
async function startFakeProvider(catalogue, coverBase) {
  const unavailable = new Set();
  const requests = []; // { api, isbn, status, at }
  const timers = new Set();
  const started = Date.now();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const answer = (api, isbn, status, body) => {
      requests.push({ api, isbn, status, at: Date.now() - started });
      response.writeHead(status, { "Content-Type": "application/json; charset=UTF-8" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && url.pathname === "/books/v1/volumes") {
      const isbn = (url.searchParams.get("q") || "").replace(/^isbn:/, "");
      if (unavailable.has(isbn)) {
        return answer("google", isbn, 503, { error: { code: 503, message: "Backend Error",
                                                      errors: [{ reason: "backendError", message: "Backend Error" }] } });
      }
      const book = catalogue.find((b) => b.isbn === isbn);
      if (!book) return answer("google", isbn, 200, { kind: "books#volumes", totalItems: 0 });
      const timer = setTimeout(() => { timers.delete(timer); answer("google", isbn, 200, googleVolume(book, coverBase)); },
                               book.delayMs ?? lookupDelayMs);
      timers.add(timer);
      return;
    }
    if (request.method === "GET" && url.pathname === "/api/books") {
      const isbn = (url.searchParams.get("bibkeys") || "").replace(/^ISBN:/, "");
      if (unavailable.has(isbn)) return answer("openlibrary", isbn, 503, { error: "Service Unavailable" });
      return answer("openlibrary", isbn, 200, {});
    }
    answer("other", request.url, 404, { error: "no such page in the fake provider" });
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    setUnavailable(isbn, on) { if (on) unavailable.add(isbn); else unavailable.delete(isbn); },
    requestsFor(isbn, api) { return requests.filter((r) => r.isbn === isbn && (!api || r.api === api)); },
    // "google 200 at 1.2 s, openlibrary 503 at 1.3 s" for failure messages.
    describe(isbn) {
      const seen = requests.filter((r) => r.isbn === isbn);
      return seen.length ? seen.map((r) => `${r.api} ${r.status} at ${(r.at / 1000).toFixed(1)} s`).join(", ")
                         : "no request for it";
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await closeNow(server);
    },
  };
}

// ---- Page helpers ------------------------------------------------------------------------------

// What the card of `isbn` on the current page shows, or null when there is none.
function cardState(isbn) {
  return page.evaluate((wanted) => {
    const card = [...document.querySelectorAll("#library article.card")]
      .find((c) => c.querySelector(".isbn")?.textContent.trim() === `ISBN ${wanted}`);
    if (!card) return null;
    const text = (selector) => card.querySelector(selector)?.textContent.trim() ?? null;
    const id = card.dataset.id;
    return {
      id,
      sync: card.dataset.sync,
      title: text(".title"),
      author: text(".author"),
      genre: text(".genre"),
      badge: text(".badge"),
      reason: text(".reason"),
      cover: card.querySelector(".cover img")?.getAttribute("src") ?? null,
      retry: card.querySelector(`form[action="/retry_book/${id}"] button[type="submit"]`)?.textContent.trim() ?? null,
      enterDetails: card.querySelector(`a[href="/manual_update_book/${id}"]`)?.textContent.trim() ?? null,
    };
  }, isbn);
}

function card(isbn) {
  return page.locator("#library article.card", { has: page.locator(".isbn", { hasText: `ISBN ${isbn}` }) });
}

// Waits, without touching the page, until the card of `isbn` says data-sync=`want`.
async function waitForSync(isbn, want, timeoutMs = syncTimeoutMs) {
  try {
    await page.waitForFunction(([wanted, sync]) => [...document.querySelectorAll("#library article.card")]
      .some((c) => c.querySelector(".isbn")?.textContent.trim() === `ISBN ${wanted}` && c.dataset.sync === sync),
    [isbn, want], { timeout: timeoutMs, polling: 100 });
  } catch (_) {
    assert.fail(`the card of ${isbn} should turn ${want} within ${timeoutMs / 1000} s without a reload; ` +
                `it shows ${JSON.stringify(await cardState(isbn))}; the fake provider saw ${provider.describe(isbn)}`);
  }
}

// Waits until the cover <img> of the card with data-id `id` has loaded; resolves with its size.
async function coverLoaded(id, what) {
  try {
    const handle = await page.waitForFunction((wanted) => {
      const img = [...document.querySelectorAll("#library article.card")]
        .find((c) => c.dataset.id === wanted)?.querySelector(".cover img");
      return img && img.complete && img.naturalWidth > 0 ? { width: img.naturalWidth, height: img.naturalHeight } : null;
    }, id, { timeout: 5000, polling: 100 });
    return await handle.jsonValue();
  } catch (_) {
    assert.fail(`${what}: the cover of card ${id} should load; the browser got ${JSON.stringify(coverResponses)}; ` +
                `the cover host saw ${coverHost.describe()}`);
  }
}

// Tags the current document; sameDocument() then tells whether the page was reloaded or left since.
let navigations = 0;
let fragmentFetches = 0;
let apiPolls = 0;  // the live update asks GET /api/v1/books what changed, then fetches the cards
const coverResponses = []; // { path, status, type } of each /covers/<id> the browser loaded
async function markDocument() {
  const marker = `marker-${Date.now()}-${Math.random()}`;
  await page.evaluate((value) => { window.__marker = value; }, marker);
  return { marker, navigations };
}
async function assertSameDocument(mark, what) {
  assert.equal(navigations, mark.navigations, `${what}: the page navigated (or reloaded) ${navigations - mark.navigations} time(s)`);
  assert.equal(await page.evaluate(() => window.__marker), mark.marker, `${what}: the page is another document (it was reloaded)`);
}

async function addBookByIsbn(baseUrl, typed) {
  await page.goto(baseUrl + "/add_book");
  await page.fill("#isbn", typed);
  await Promise.all([page.waitForURL(/\/books$/), page.click('#add-book-form button[type="submit"]')]);
  assert.match(await page.locator(".flash").innerText(), /was added; its details are on their way/,
               `after adding ${typed} the flash should say its details are on their way`);
}

// ---- The test ----------------------------------------------------------------------------------

async function main() {
  let certificate = null;
  await step("an https cover host answers on 127.0.0.1 with a throwaway self-signed certificate", async () => {
    certificate = makeCertificate(path.join(test.workDir, "tls"));
    coverHost = await startCoverHost(certificate);
    test.onCleanup(() => coverHost.close());
  });

  await step("a fake Google Books / Open Library answers on 127.0.0.1, linking covers as http://127.0.0.1:<cover host>", async () => {
    provider = await startFakeProvider([books.slow, books.flaky, books.late], `http://127.0.0.1:${coverHost.port}`);
    test.onCleanup(() => provider.close());
  });

  let baseUrl = "";
  await step("booklib serve starts with 2 metadata workers asking the fake provider, trusting the cover host's certificate and its loopback address", async () => {
    baseUrl = await test.startServer({
      CURL_CA_BUNDLE: certificate.certFile,
      // The cover host is on 127.0.0.1, which production refuses to fetch from (SSRF).
      BOOKLIB_COVERS_FROM_PRIVATE_ADDRESSES: "1",
      BOOKLIB_WORKERS: "2",
      BOOKLIB_GOOGLE_BOOKS_URL: `http://127.0.0.1:${provider.port}/books/v1`,
      BOOKLIB_OPEN_LIBRARY_URL: `http://127.0.0.1:${provider.port}`,
      BOOKLIB_MAX_RECEIVES: String(maxReceives),
      BOOKLIB_RETRY_BACKOFF: "0",
    });
  });

  let browser = null;
  await step("headless Chromium starts", async () => { browser = await test.launchChromium(); });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  // Every request the pages make, to any origin, is checked at the end: only booklib's is allowed
  // (not the provider's, nor the cover host's, though both are on 127.0.0.1 too).
  const serverOrigin = new URL(baseUrl).origin;
  const foreignRequests = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (!["data:", "blob:", "about:"].includes(url.protocol) && url.origin !== serverOrigin) foreignRequests.push(request.url());
  });
  // What the browser got for /covers/<id>.
  context.on("response", (response) => {
    const url = new URL(response.url());
    if (url.origin === serverOrigin && url.pathname.startsWith("/covers/"))
      coverResponses.push({ path: url.pathname, status: response.status(), type: response.headers()["content-type"] ?? null });
  });
  test.page = page = await context.newPage();
  test.watchForScriptErrors(page);
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations++; });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.search === "?fragment=1") fragmentFetches++;
    if (url.pathname === "/api/v1/books") apiPolls++;
  });

  await step("a visitor registers and logs in", async () => {
    await test.registerAndLogIn(page, baseUrl, user);
  });

  // 1. PENDING -> SYNCED on the same page.
  const slow = books.slow;
  await step(`typing ISBN ${slow.typed} on /add_book lands on /books with its card PENDING, "Fetching details"`, async () => {
    await addBookByIsbn(baseUrl, slow.typed);
    const state = await cardState(slow.isbn);
    assert.ok(state, `/books should show a card with "ISBN ${slow.isbn}"; it shows: ${await page.locator("#library").innerText()}`);
    assert.equal(state.sync, "PENDING", `the new card should be PENDING (the provider answers after ${lookupDelayMs} ms): ${JSON.stringify(state)}`);
    assert.equal(state.badge, "Fetching details", `the PENDING card's badge: ${JSON.stringify(state)}`);
    assert.equal(state.title, "Fetching details…", `the PENDING card's title: ${JSON.stringify(state)}`);
  });

  await step("without a reload the card turns SYNCED with the provider's title, author, genre and a /covers/<id> cover", async () => {
    const mark = await markDocument();
    const fetchesBefore = fragmentFetches;
    await waitForSync(slow.isbn, "SYNCED");
    await assertSameDocument(mark, "while the card was PENDING");
    assert.ok(fragmentFetches > fetchesBefore, "the page should have fetched /books?fragment=1 to update the card");
    const state = await cardState(slow.isbn);
    assert.equal(state.title, slow.title, `the SYNCED card's title: ${JSON.stringify(state)}`);
    assert.equal(state.author, slow.authors.join(", "), `the SYNCED card's author: ${JSON.stringify(state)}`);
    assert.equal(state.genre, slow.genre, `the SYNCED card's genre: ${JSON.stringify(state)}`);
    assert.equal(state.badge, null, `a SYNCED card needs no badge: ${JSON.stringify(state)}`);
    assert.match(state.cover ?? "", new RegExp(`^/covers/${state.id}\\?v=[0-9a-f]{10}$`),
                 `the cover should come from the booklib server: ${JSON.stringify(state)}`);
    const coverPath = `/covers/${state.id}`;
    assert.deepEqual(await coverLoaded(state.id, "once SYNCED"), coverSize, "the cover should be the cover host's PNG");
    assert.deepEqual(coverResponses.filter((r) => r.path === coverPath), [{ path: coverPath, status: 200, type: "image/png" }],
                     "the browser should have loaded the cover from booklib once, as image/png");
    assert.equal(coverHost.requestsFor(thumbnailPath(slow)).length, 1,
                 `booklib should have fetched the thumbnail over https from the cover host once: ${coverHost.describe()}`);
    assert.match(await page.locator("h1").innerText(), /1 book\b/);
  });

  await step("with nothing PENDING the page stops asking for updates", async () => {
    const before = fragmentFetches;
    const polls = apiPolls;
    await page.waitForTimeout(2500);
    assert.equal(fragmentFetches, before, "with every card SYNCED the page should stop fetching /books?fragment=1");
    assert.equal(apiPolls, polls, "with every card SYNCED the page should stop asking /api/v1/books");
  });

  await step("a reload of /books with the browser's cache off loads the cover from booklib again, from booklib's cache", async () => {
    const { id, cover } = await cardState(slow.isbn);
    const coverUrl = `${serverOrigin}${cover}`;
    // The cover is sent with Cache-Control max-age, so the browser's cache would answer a reload
    // (and Playwright reports cache hits as responses too): turn it off through DevTools, whose
    // events also tell what came from the network.
    const devtools = await context.newCDPSession(page);
    const fetched = new Map(); // requestId -> { status, mimeType, fromCache, port }
    devtools.on("Network.responseReceived", ({ requestId, response }) => {
      if (response.url === coverUrl)
        fetched.set(requestId, { status: response.status, mimeType: response.mimeType,
                                 fromCache: Boolean(response.fromDiskCache || fetched.get(requestId)?.fromCache),
                                 port: response.remotePort });
    });
    devtools.on("Network.requestServedFromCache", ({ requestId }) => {
      fetched.set(requestId, { ...fetched.get(requestId), fromCache: true });
    });
    await devtools.send("Network.enable");
    await devtools.send("Network.setCacheDisabled", { cacheDisabled: true });
    try {
      await page.reload();
      assert.deepEqual(await coverLoaded(id, "after the reload"), coverSize, "after the reload the cover should be the cover host's PNG");
    } finally {
      await devtools.detach();
    }
    assert.deepEqual([...fetched.values()],
                     [{ status: 200, mimeType: "image/png", fromCache: false, port: Number(new URL(serverOrigin).port) }],
                     `after the reload the browser should have fetched ${coverUrl} from booklib over the network, once`);
    assert.equal(coverHost.requestsFor(thumbnailPath(slow)).length, 1,
                 `booklib should answer the cover from its cache, not fetch it again: ${coverHost.describe()}`);
    assert.equal((await cardState(slow.isbn)).sync, "SYNCED");
  });

  // 2. FAILED: not found -> Enter details.
  const unknown = books.unknown;
  await step(`a book no provider knows (${unknown.isbn}) says so plainly and offers "Enter details", not Retry`, async () => {
    await addBookByIsbn(baseUrl, unknown.isbn);
    await waitForSync(unknown.isbn, "FAILED");
    const state = await cardState(unknown.isbn);
    assert.equal(state.badge, "Details not found", `the FAILED card's badge: ${JSON.stringify(state)}`);
    assert.equal(state.reason, "We couldn\u2019t find this ISBN in Google Books or Open Library \u2014 enter the details yourself.",
                 `the FAILED card should say what happened in plain words: ${JSON.stringify(state)}`);
    assert.equal(state.retry, null, `after a definite not-found Retry cannot help and is not offered: ${JSON.stringify(state)}`);
    assert.equal(state.enterDetails, "Enter details", `the FAILED card should offer "Enter details": ${JSON.stringify(state)}`);
    assert.equal(state.title, "Untitled", `a FAILED card without details is "Untitled": ${JSON.stringify(state)}`);
    assert.equal(provider.requestsFor(unknown.isbn, "google").length, 1, `Google Books should be asked once: ${provider.describe(unknown.isbn)}`);
    assert.equal(provider.requestsFor(unknown.isbn, "openlibrary").length, 1, `Open Library should be asked once: ${provider.describe(unknown.isbn)}`);
  });

  await step(`"Enter details" on the FAILED card saves a title and author; the card shows them, SYNCED`, async () => {
    const { id } = await cardState(unknown.isbn);
    await Promise.all([page.waitForURL(new RegExp(`/manual_update_book/${id}$`)),
                       card(unknown.isbn).getByRole("link", { name: "Enter details" }).click()]);
    assert.match(await page.locator("h1").innerText(), /Enter the book's details/);
    assert.match(await page.locator("main").innerText(), new RegExp(`ISBN ${unknown.isbn}`));
    await page.fill('input[name="title"]', typedDetails.title);
    await page.fill('input[name="author"]', typedDetails.author);
    await Promise.all([page.waitForURL(/\/books$/), page.getByRole("button", { name: "Save" }).click()]);
    assert.match(await page.locator(".flash").innerText(), /Details saved/);
    const state = await cardState(unknown.isbn);
    assert.equal(state.sync, "SYNCED", `after entering details the card should be SYNCED: ${JSON.stringify(state)}`);
    assert.equal(state.title, typedDetails.title, `the card should show the typed title: ${JSON.stringify(state)}`);
    assert.equal(state.author, typedDetails.author, `the card should show the typed author: ${JSON.stringify(state)}`);
    assert.equal(state.badge, null, `a book whose details the reader typed needs no badge: ${JSON.stringify(state)}`);
    assert.equal(state.reason, null, `a SYNCED card shows no failure reason: ${JSON.stringify(state)}`);
    assert.equal(state.retry, null, `a SYNCED card offers no Retry: ${JSON.stringify(state)}`);
  });

  // 3. FAILED after 503s -> Retry -> SYNCED on the same page.
  const flaky = books.flaky;
  await step(`while the provider answers 503, ${flaky.isbn} ends FAILED after ${maxReceives} attempts`, async () => {
    provider.setUnavailable(flaky.isbn, true);
    await addBookByIsbn(baseUrl, flaky.isbn);
    await waitForSync(flaky.isbn, "FAILED");
    const state = await cardState(flaky.isbn);
    assert.equal(state.badge, "Details missing", `the FAILED card's badge: ${JSON.stringify(state)}`);
    assert.equal(state.reason, "The book services didn\u2019t answer; try again later.",
                 `the FAILED card should say so in plain words, not the provider's: ${JSON.stringify(state)}`);
    assert.equal(state.retry, "Retry", `the FAILED card should offer Retry: ${JSON.stringify(state)}`);
    assert.equal(provider.requestsFor(flaky.isbn, "google").length, maxReceives,
                 `Google Books should be asked once per delivery (${maxReceives}): ${provider.describe(flaky.isbn)}`);
  });

  await step("once the provider is back, Retry makes it PENDING and the page turns it SYNCED without a reload", async () => {
    provider.setUnavailable(flaky.isbn, false);
    await Promise.all([page.waitForResponse((r) => r.url().includes("/retry_book/") && r.request().method() === "POST"),
                       card(flaky.isbn).getByRole("button", { name: "Retry" }).click()]);
    await page.locator(".flash", { hasText: "Fetching the details again" }).waitFor();
    await page.waitForLoadState("load");
    const pending = await cardState(flaky.isbn);
    assert.equal(pending?.sync, "PENDING", `after Retry the card should be PENDING again: ${JSON.stringify(pending)}`);
    assert.equal(pending.badge, "Fetching details", `after Retry the card's badge: ${JSON.stringify(pending)}`);
    assert.equal(pending.reason, null, `after Retry the card shows no failure reason: ${JSON.stringify(pending)}`);
    const mark = await markDocument();
    // Tag every card element, and put the keyboard focus on another card's Edit link: the update
    // must replace the retried card alone and leave the focus where it is.
    const { id: slowId } = await cardState(slow.isbn);
    await page.evaluate(() => { for (const c of document.querySelectorAll("#library article.card")) c.__before = true; });
    await page.locator(`#library article.card[data-id="${slowId}"] a[href="/edit_book/${slowId}"]`).focus();
    await coverLoaded(slowId, "after Retry");
    const coverLoadsBefore = coverResponses.length;
    await waitForSync(flaky.isbn, "SYNCED");
    await assertSameDocument(mark, "after Retry");
    const kept = await page.evaluate(() => [...document.querySelectorAll("#library article.card")]
      .map((c) => ({ isbn: c.querySelector(".isbn")?.textContent.trim(), kept: c.__before === true })));
    assert.deepEqual(kept.filter((c) => !c.kept).map((c) => c.isbn), [`ISBN ${flaky.isbn}`],
                     `only the retried card should have been replaced: ${JSON.stringify(kept)}`);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("href")), `/edit_book/${slowId}`,
                 "the keyboard focus should stay on the Edit link it was on");
    const { id: flakyId } = await cardState(flaky.isbn);
    const reloaded = coverResponses.slice(coverLoadsBefore).filter((r) => r.path !== `/covers/${flakyId}`);
    assert.deepEqual(reloaded, [], "no cover of an unchanged card should be requested again (only the retried card's new one)");
    const state = await cardState(flaky.isbn);
    assert.equal(state.title, flaky.title, `the retried card's title: ${JSON.stringify(state)}`);
    assert.equal(state.author, flaky.authors.join(", "), `the retried card's author: ${JSON.stringify(state)}`);
    assert.equal(state.reason, null, `the retried card shows no failure reason: ${JSON.stringify(state)}`);
    assert.equal(await page.locator("#library article.card").count(), 3, "the library should hold three cards");
  });

  // 4. The session ends while a card is PENDING: the API refuses the next update (401).
  const late = books.late;
  await step("when the session ends while a card is PENDING, the page keeps its cards and stops asking", async () => {
    await addBookByIsbn(baseUrl, late.isbn);
    const before = await cardState(late.isbn);
    assert.equal(before?.sync, "PENDING", `the new card should be PENDING: ${JSON.stringify(before)}`);
    const mark = await markDocument();
    // Listen before logging out: the page polls every 2 s, and its first poll after the logout may come
    // before the logout's own navigation has finished (a wait set up afterwards would miss it).
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/books" && r.status() === 401,
                                         { timeout: 15000 });
    const elsewhere = await context.newPage();
    test.watchForScriptErrors(elsewhere);
    await elsewhere.goto(baseUrl + "/books");
    await Promise.all([elsewhere.waitForURL(/\/login/), elsewhere.click('form[action="/logout"] button[type="submit"]')]);
    await elsewhere.close();
    // The page's next update is refused by the API (401).
    await refused.catch(() => assert.fail("after the logout the page's next GET /api/v1/books should be answered 401"));
    const fetches = fragmentFetches;
    const polls = apiPolls;
    await page.waitForTimeout(2500);
    await assertSameDocument(mark, "after the session ended");
    const inside = await page.evaluate(() => ({
      cards: document.querySelectorAll("#library article.card").length,
      loginForms: document.querySelectorAll('#library form[action^="/login"]').length,
      headers: document.querySelectorAll("#library header").length,
    }));
    assert.deepEqual(inside, { cards: 4, loginForms: 0, headers: 0 },
                     "after the session ended #library should still hold the four cards, not the login page");
    assert.equal((await cardState(late.isbn))?.sync, "PENDING", "the card should stay as it was");
    assert.equal(fragmentFetches, fetches, "after the 401 the page should fetch no cards");
    assert.equal(apiPolls, polls, "after the 401 the page should stop asking for updates");
  });

  await step("the pages raised no script errors and asked no origin but booklib's; booklib fetched each cover once", async () => {
    assert.deepEqual(test.pageErrors, [], "the pages should raise no script errors");
    assert.deepEqual(foreignRequests, [], `the pages should request nothing from origins other than ${serverOrigin}`);
    const fetched = coverHost.paths();
    assert.deepEqual(fetched, [...new Set(fetched)], `booklib should fetch each cover from the cover host once: ${coverHost.describe()}`);
    assert.deepEqual(coverHost.tlsErrors, [], "every connection to the cover host should be https with its certificate trusted");
  });
}

await test.run(main);
