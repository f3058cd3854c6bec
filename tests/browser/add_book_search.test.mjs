// Browser test of adding a book by searching its title or author (/add_book/search): a real booklib
// serve on 127.0.0.1 (no metadata workers) asking a fake Google Books and Open Library in this
// process, Debian's headless Chromium driven by playwright-core, on a 390x844 phone and a 1366x900
// desktop. Run it through run.sh (environment: harness.mjs); screenshots go to BROWSER_ARTEFACT_DIR
// when set, else to the work folder.
//
// What a reader would do and notice, on each screen size:
//   /add_book links to the search; typing "left hand darkness" and pressing Enter lists the editions
//   Google Books has (title, author, year, publisher, ISBN or "No ISBN", the provider), fitting the
//   screen, every button at least 44 px tall and named after its book;
//   Add on an edition puts it in the library (a card for its ISBN), and searching again shows that
//   edition as "In your library", linking to its book page;
//   an edition without an ISBN is added as typed, with its title and author;
//   a search Google Books has nothing for falls back to Open Library's editions;
//   a search nobody has anything for says so and offers to enter the book by hand;
//   in dark mode the results stay readable.
//   No page raises a script error or asks any origin but the booklib server's.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { BrowserTest, contrastOf, expectNoSidewaysScroll, screens } from "./harness.mjs";

const test = new BrowserTest("add_book_search.test");
const step = (name, body) => test.step(name, body);
const artefactDir = process.env.BROWSER_ARTEFACT_DIR || path.join(test.workDir, "screenshots");
mkdirSync(artefactDir, { recursive: true });

// What the fake Google Books has for the words "left hand darkness": two editions with ISBNs (the
// second's title long enough to wrap on a phone) and one without.
const editions = [
  { id: "lhd1", title: "The Left Hand of Darkness", authors: ["Ursula K. Le Guin"], publisher: "Ace",
    publishedDate: "1987-03-15", isbn: "9780441478125" },
  { id: "lhd2", title: "The Left Hand of Darkness: 50th Anniversary Edition with an Introduction by the Author",
    authors: ["Ursula K. Le Guin", "David Mitchell"], publisher: "Penguin Classics", publishedDate: "2018",
    isbn: "9780143111597" },
  { id: "lhd3", title: "Left Hand of Darkness (Study Notes)", authors: ["A. Student"], publisher: "Self",
    publishedDate: "2001" },
];
// What only Open Library has, for the words "ekumen".
const openLibraryDocs = [
  { key: "/works/OL59863W", title: "The Dispossessed", author_name: ["Ursula K. Le Guin"],
    first_publish_year: 1974, publisher: ["Harper & Row"], isbn: ["9780060512750", "0060512750"] },
];

function googleAnswer(query) {
  if (!/left hand darkness/i.test(query)) return { kind: "books#volumes", totalItems: 0 };
  return {
    kind: "books#volumes",
    totalItems: editions.length,
    items: editions.map((e) => ({
      kind: "books#volume",
      id: e.id,
      volumeInfo: {
        title: e.title, authors: e.authors, publisher: e.publisher, publishedDate: e.publishedDate,
        ...(e.isbn ? { industryIdentifiers: [{ type: "ISBN_13", identifier: e.isbn }] } : {}),
        pageCount: 304, language: "en",
      },
    })),
  };
}

function openLibraryAnswer(query) {
  const docs = /ekumen/i.test(query) ? openLibraryDocs : [];
  return { numFound: docs.length, start: 0, numFoundExact: true, docs };
}

// Google Books' /books/v1/volumes and Open Library's /search.json on 127.0.0.1; ISBN lookups (none
// happen: no workers) would get "nothing".
async function startFakeProvider() {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const q = url.searchParams.get("q") || "";
    const answer = (body) => {
      response.writeHead(200, { "Content-Type": "application/json; charset=UTF-8" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && url.pathname === "/books/v1/volumes") return answer(googleAnswer(q));
    if (request.method === "GET" && url.pathname === "/search.json") return answer(openLibraryAnswer(q));
    if (request.method === "GET" && url.pathname === "/api/books") return answer({});
    response.writeHead(404, { "Content-Type": "application/json" });
    response.end("{}");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  test.onCleanup(() => new Promise((resolve) => server.close(resolve)));
  return server.address().port;
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artefactDir, `${name}.png`), fullPage: true });
}

// Every visible control of the results is at least 44 px tall, and each candidate's button names
// the candidate's title.
async function expectTargetsAndNames(page) {
  const problems = await page.evaluate(() => {
    const found = [];
    for (const control of document.querySelectorAll(".search-books button, .search-books input:not([type=hidden])")) {
      const box = control.getBoundingClientRect();
      if (box.height < 43.5) found.push(`${control.outerHTML.slice(0, 80)} is ${box.height.toFixed(1)} px tall`);
    }
    for (const candidate of document.querySelectorAll(".candidate")) {
      const title = candidate.querySelector(".candidate-title").textContent.trim();
      const button = candidate.querySelector("button");
      if (button && !(button.getAttribute("aria-label") || "").includes(title))
        found.push(`the button of "${title}" is named "${button.getAttribute("aria-label")}"`);
    }
    return found;
  });
  assert.deepEqual(problems, [], "every control should be 44 px tall and name its book");
}

async function search(page, baseUrl, words) {
  await page.goto(baseUrl + "/add_book/search");
  await page.fill("#search-q", words);
  await Promise.all([page.waitForURL(/\/add_book\/search\?q=/), page.press("#search-q", "Enter")]);
}

async function candidates(page) {
  return page.locator(".candidate").evaluateAll((items) => items.map((item) => ({
    title: item.querySelector(".candidate-title").textContent.trim(),
    meta: item.querySelector(".candidate-meta").textContent.replace(/\s+/g, " ").trim(),
    owned: item.querySelector(".candidate-owned a")?.getAttribute("href") ?? null,
  })));
}

async function main() {
  let port = 0;
  await step("the fake book services start", async () => { port = await startFakeProvider(); });
  let baseUrl = "";
  await step("booklib serve starts and answers /health", async () => {
    baseUrl = await test.startServer({
      BOOKLIB_GOOGLE_BOOKS_URL: `http://127.0.0.1:${port}/books/v1`,
      BOOKLIB_OPEN_LIBRARY_URL: `http://127.0.0.1:${port}`,
    });
  });
  let browser = null;
  await step("headless Chromium starts", async () => { browser = await test.launchChromium(); });
  const foreignRequests = [];

  for (const screen of screens) {
    const { context, page } = await test.openScreen(browser, screen, baseUrl, foreignRequests);
    const user = { username: `finder${screen.name}`, email: `finder.${screen.name}@example.com`, password: "correct horse battery" };

    await step(`${screen.name}: a reader registers, logs in and finds the search from /add_book`, async () => {
      await test.registerAndLogIn(page, baseUrl, user);
      await page.goto(baseUrl + "/add_book");
      const link = page.locator('a[href="/add_book/search"]').first();
      assert.ok(await link.isVisible(), "/add_book should link to the search");
      await Promise.all([page.waitForURL(/\/add_book\/search$/), link.click()]);
      assert.equal(await page.locator("h1").innerText(), "Find a book to add");
    });

    await step(`${screen.name}: a search lists Google's editions, fitting the screen, with named 44 px buttons`, async () => {
      await search(page, baseUrl, "left hand darkness");
      assert.match(await page.locator('.search-books [role="status"]').innerText(), /^3 found/);
      const shown = await candidates(page);
      assert.deepEqual(shown.map((c) => c.title), editions.map((e) => e.title));
      for (const [i, e] of editions.entries()) {
        assert.ok(shown[i].meta.includes(e.publishedDate.slice(0, 4)), `${e.title} should show its year`);
        assert.ok(shown[i].meta.includes(e.publisher), `${e.title} should show its publisher`);
        assert.ok(shown[i].meta.includes(e.isbn ? `ISBN ${e.isbn}` : "No ISBN"), `${e.title} should show its ISBN or none`);
        assert.ok(shown[i].meta.includes("Google Books"), `${e.title} should name its provider`);
      }
      await expectNoSidewaysScroll(page, "the results");
      await expectTargetsAndNames(page);
      await screenshot(page, `search-results-${screen.name}`);
    });

    await step(`${screen.name}: Add puts the edition in the library; searching again shows it there`, async () => {
      await test.submitAndExpect(page, `button[aria-label="Add ${editions[0].title} to my library"]`, /\/books(\?|$)/, "adding an edition");
      assert.ok(await page.locator("article.card").count() >= 1, "the library should show a card");
      await search(page, baseUrl, "left hand darkness");
      const shown = await candidates(page);
      assert.match(shown[0].owned ?? "", /^\/books\/[0-9a-f-]{36}$/, "the added edition should link to its book page");
      assert.equal(shown[1].owned, null, "the other editions are not in the library");
      await Promise.all([page.waitForURL(/\/books\/[0-9a-f-]{36}$/), page.locator(".candidate-owned a").first().click()]);
      assert.ok((await page.locator(".bp-details").innerText()).includes("9780441478125"), "its book page shows the ISBN");
    });

    await step(`${screen.name}: an edition without an ISBN is added as typed`, async () => {
      await search(page, baseUrl, "left hand darkness");
      await test.submitAndExpect(page, `button[aria-label="Add ${editions[2].title} as typed"]`, /\/books(\?|$)/, "adding as typed");
      const titles = await page.locator(".card h2.title").allInnerTexts();
      assert.ok(titles.some((t) => t.includes(editions[2].title)), `the library should show "${editions[2].title}", has ${JSON.stringify(titles)}`);
    });

    await step(`${screen.name}: when Google has nothing, Open Library's editions are listed`, async () => {
      await search(page, baseUrl, "ekumen");
      const shown = await candidates(page);
      assert.deepEqual(shown.map((c) => c.title), ["The Dispossessed"]);
      assert.ok(shown[0].meta.includes("Open Library") && shown[0].meta.includes("ISBN 9780060512750"), shown[0].meta);
    });

    await step(`${screen.name}: a search nobody has anything for says so and offers typing the book`, async () => {
      await search(page, baseUrl, "zzyzx qwv");
      assert.match(await page.locator(".search-books .empty").innerText(), /Nothing found for “zzyzx qwv”/);
      assert.ok(await page.locator('.search-books a[href="/add_book"]').count() >= 1, "it should offer entering the book");
      await expectNoSidewaysScroll(page, "the empty result");
    });

    await step(`${screen.name}: in dark mode the results stay readable`, async () => {
      await page.emulateMedia({ colorScheme: "dark" });
      await search(page, baseUrl, "left hand darkness");
      const background = await page.locator(".candidate").first().evaluate((e) => getComputedStyle(e).backgroundColor);
      const ratio = await contrastOf(page, ".candidate-title");
      const [r, g, b] = background.match(/\d+/g).map(Number);
      assert.ok(!/^rgba\(.*, 0\)$/.test(background) && r + g + b < 3 * 96,
                `the results' cards should have a dark background of their own, have ${background}`);
      assert.ok(ratio >= 4.5, `titles should have a contrast of 4.5:1 or more in dark mode, have ${ratio.toFixed(2)}:1`);
      await screenshot(page, `search-results-dark-${screen.name}`);
      await page.emulateMedia({ colorScheme: "light" });
    });
    await context.close();
  }

  await step("no page raised a script error or asked another origin", async () => {
    assert.deepEqual(test.pageErrors, [], "the pages should raise no script errors");
    assert.deepEqual(foreignRequests, [], "the pages should load nothing from other origins");
    console.log(`screenshots in ${artefactDir}`);
  });
}

await test.run(main);
