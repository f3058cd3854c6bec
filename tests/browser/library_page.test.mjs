// Browser test of the library page as a reader on a phone (390x844) and on a desktop (1366x900)
// uses it: a real booklib server on 127.0.0.1 (no metadata workers: books are typed in by hand),
// Debian's headless Chromium driven by playwright-core. Run it through run.sh (environment:
// harness.mjs). Screenshots of each view are written to the test's work folder.
//
// What a reader would do and notice:
//   a cover that cannot load shows the placeholder and leaves the card's layout as it was: no alt
//   text taking the width, no sideways scrolling; placeholders show the first character of titles
//   in any script;
//   every control is at least 44 px in both directions, Delete sits well away from Edit;
//   a search finds a book by a word of its title typed without its accent; a status filter shows
//   only those books; with more than 50 books, pages of 50 with next/previous links that keep the
//   filters; all of it through the page's GET form and links;
//   the keyboard alone reaches the search box, a filter, the cards' links and controls, and the
//   focus is always visible;
//   dark mode follows the system, with text and field borders that keep their contrast;
//   without JavaScript, Delete asks on a page naming the book before anything is deleted;
//   an unknown address answers a page in the layout with a way home;
//   the home page shows what the reader is reading, the latest books and the counts per status;
//   no page raises a script error, and the browser asks no origin but the booklib server's.
import assert from "node:assert/strict";
import path from "node:path";
import { BrowserTest } from "./harness.mjs";

const test = new BrowserTest("library_page.test");
const step = (name, body) => test.step(name, body);

const user = { username: "shelfreader", email: "shelf.reader@example.com", password: "correct horse battery" };
// Typed in by hand (no ISBN: nothing to look up). The broken cover is refused by the server's cover
// policy (a loopback https address) and answered 502, as any cover that cannot be fetched.
const brokenCover = "https://127.0.0.1:9/covers/missing.jpg";
const typedBooks = [
  { title: "Dune", author: "Frank Herbert", cover_image_url: brokenCover },
  { title: "Émile, ou De l'éducation", author: "Jean-Jacques Rousseau" },
  { title: "村上春樹の短編集", author: "村上春樹" },
  { title: "Antidisestablishmentarianismandevenlongerwordswithoutanyspacesatall", author: "Nobody Atall" },
  { title: "Persuasion", author: "Jane Austen", status: "read" },
];
// Added later for paging: with these the library holds more than one page of 50.
const extraBooks = 56;
const viewports = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1366, height: 900 },
];

let page = null;

// Adds a book through /add_book's own form handler with the page's CSRF token (a real POST).
async function addTyped({ status = "to-read", ...book }) {
  const answer = await page.evaluate(async ([fields, status]) => {
    const body = new URLSearchParams({ ...fields, status,
                                       csrf_token: document.querySelector('meta[name="csrf-token"]').content });
    const response = await fetch("/add_book", { method: "POST", body, credentials: "same-origin" });
    return { status: response.status, url: response.url };
  }, [book, status]);
  assert.ok(answer.url.endsWith("/books"), `adding ${book.title} should lead to /books: ${JSON.stringify(answer)}`);
}

async function screenshot(name) {
  await page.screenshot({ path: path.join(test.workDir, `${name}.png`), fullPage: true });
}

async function assertNoSidewaysScroll(what) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window (sideways scrolling)`);
}

// Visible controls (links, buttons, fields) smaller than 44x44 px; inline links in running text
// (inside a paragraph of prose) are not controls of their own.
async function smallControls() {
  return page.evaluate(() => [...document.querySelectorAll("a, button, input:not([type=hidden]), select, textarea")]
    .filter((e) => !e.closest(".skip-link") && !e.matches(".skip-link") && e.getClientRects().length > 0)
    .filter((e) => !(e.tagName === "A" && e.closest("p:not(.actions)") && !e.classList.contains("button")))
    // A checkbox is tapped through its label.
    .map((e) => (e.matches("input[type=checkbox], input[type=radio]") && e.closest("label")) || e)
    .map((e) => { const r = e.getBoundingClientRect(); return { what: e.outerHTML.slice(0, 80), width: r.width, height: r.height }; })
    .filter((r) => r.width < 44 || r.height < 44));
}

// The WCAG contrast ratio of two computed colours ("rgb(r, g, b)").
function contrastScript() {
  return `
    const luminance = (color) => {
      const [r, g, b] = color.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };`;
}

async function colours(selectorForField) {
  return page.evaluate(`(() => { ${contrastScript()}
    const body = getComputedStyle(document.body);
    const field = document.querySelector(${JSON.stringify(selectorForField)});
    const fieldStyle = field ? getComputedStyle(field) : null;
    return {
      background: body.backgroundColor, text: body.color,
      textContrast: contrast(body.color, body.backgroundColor),
      backgroundLuminance: luminance(body.backgroundColor),
      fieldBorderContrast: fieldStyle ? contrast(fieldStyle.borderTopColor, body.backgroundColor) : null,
      fieldBorderOnField: fieldStyle ? contrast(fieldStyle.borderTopColor, fieldStyle.backgroundColor) : null,
    };
  })()`);
}

// The card whose title is `title`.
const cardOf = (title) => page.locator("#library article.card", { has: page.locator("h2.title", { hasText: title }) });

async function main() {
  let baseUrl = "";
  await step("booklib serve starts on 127.0.0.1 without metadata workers", async () => {
    baseUrl = await test.startServer();
  });
  let browser = null;
  await step("headless Chromium starts", async () => { browser = await test.launchChromium(); });
  const serverOrigin = new URL(baseUrl).origin;
  const foreignRequests = [];
  const watchRequests = (context) => context.on("request", (request) => {
    const url = new URL(request.url());
    if (!["data:", "blob:", "about:"].includes(url.protocol) && url.origin !== serverOrigin) foreignRequests.push(request.url());
  });

  const context = await browser.newContext({ viewport: viewports[0] });
  context.setDefaultTimeout(15000);
  watchRequests(context);
  test.page = page = await context.newPage();
  test.watchForScriptErrors(page);

  await step("a visitor registers and logs in", async () => {
    await test.registerAndLogIn(page, baseUrl, user);
  });

  await step(`${typedBooks.length} books are typed in by hand, one with a cover that cannot be fetched`, async () => {
    for (const book of typedBooks) await addTyped(book);
    await page.goto(baseUrl + "/books");
    assert.equal(await page.locator("#library article.card").count(), typedBooks.length);
  });

  for (const viewport of viewports) {
    await step(`${viewport.name} ${viewport.width}x${viewport.height}: the broken cover shows the placeholder in a fixed box, and nothing scrolls sideways`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(baseUrl + "/books");
      const dune = cardOf("Dune");
      // app.js takes the failed image away once it has failed; the placeholder under it shows.
      await dune.locator(".cover img").waitFor({ state: "detached", timeout: 10000 })
        .catch(async () => assert.fail(`the broken cover should give way to the placeholder: ${await dune.innerHTML()}`));
      const cover = await dune.locator(".cover").boundingBox();
      assert.ok(Math.abs(cover.width - 88) <= 1 && Math.abs(cover.height - 132) <= 1,
                `the cover box should stay 88x132 px: ${JSON.stringify(cover)}`);
      assert.equal((await dune.locator(".nocover").innerText()).trim(), "D");
      assert.ok(await dune.locator(".nocover").isVisible(), "the placeholder should be visible");
      const title = await dune.locator("h2.title").boundingBox();
      assert.ok(title.width >= 100 && title.height <= 46,
                `the title should keep its width and one line beside the cover: ${JSON.stringify(title)}`);
      for (const [name, initial] of [["Émile", "É"], ["村上春樹の短編集", "村"]])
        assert.equal((await cardOf(name).locator(".nocover").innerText()).trim(), initial, `the placeholder of ${name}`);
      await assertNoSidewaysScroll(`/books at ${viewport.width} px`);
      await screenshot(`books-${viewport.name}-light`);
    });

    await step(`${viewport.name}: every control is at least 44x44 px and Delete sits well away from Edit`, async () => {
      assert.deepEqual(await smallControls(), [], "controls smaller than 44x44 px");
      const edit = await cardOf("Dune").getByRole("link", { name: "Edit Dune" }).boundingBox();
      const remove = await cardOf("Dune").getByRole("button", { name: "Delete Dune" }).boundingBox();
      const gap = Math.max(remove.x - (edit.x + edit.width), edit.x - (remove.x + remove.width), remove.y - (edit.y + edit.height));
      assert.ok(gap >= 24, `Delete should be at least 24 px away from Edit: ${JSON.stringify({ edit, remove })}`);
    });

    await step(`${viewport.name}: a search for "emile" finds Émile, and the status filter shows only read books`, async () => {
      await page.goto(baseUrl + "/books");
      await page.locator('input[name="q"]').fill("emile");
      await Promise.all([page.waitForURL(/\/books\?q=emile$/), page.locator('input[name="q"]').press("Enter")]);
      assert.deepEqual(await page.locator("#library h2.title").allInnerTexts(), ["Émile, ou De l'éducation"]);
      assert.match(await page.locator("h1").innerText(), /1 book of 5/);
      assert.equal(await page.locator('input[name="q"]').inputValue(), "emile", "the search box keeps the search");
      await assertNoSidewaysScroll(`a search at ${viewport.width} px`);
      await screenshot(`books-${viewport.name}-search`);
      await page.goto(baseUrl + "/books");
      await page.locator('select[name="status"]').selectOption("read");
      // Only what is chosen goes into the address.
      await Promise.all([page.waitForURL(/\/books\?status=read$/), page.getByRole("button", { name: "Show books" }).click()]);
      assert.deepEqual(await page.locator("#library h2.title").allInnerTexts(), ["Persuasion"]);
      const current = await page.locator('nav.quick-filters a[aria-current="page"]').allInnerTexts();
      assert.deepEqual(current.map((t) => t.replace(/\s+/g, " ").trim()), ["Read 1"], "the Read quick filter should be the current one");
      await Promise.all([page.waitForURL(/\/books$/), page.getByRole("link", { name: "Clear filters" }).click()]);
      assert.equal(await page.locator("#library article.card").count(), typedBooks.length);
    });

    await step(`${viewport.name}: dark mode follows the system, keeping the text's and the fields' contrast`, async () => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(baseUrl + "/books");
      const dark = await colours("input");
      assert.ok(dark.backgroundLuminance < 0.05, `the dark page should be dark: ${JSON.stringify(dark)}`);
      assert.ok(dark.textContrast >= 7, `text on the dark page should have 7:1 contrast: ${JSON.stringify(dark)}`);
      await assertNoSidewaysScroll(`dark /books at ${viewport.width} px`);
      await screenshot(`books-${viewport.name}-dark`);
      await page.goto(baseUrl + "/add_book");
      const darkForm = await colours('input[name="title"]');
      assert.ok(darkForm.fieldBorderContrast >= 3 && darkForm.fieldBorderOnField >= 3,
                `field borders on the dark page should have 3:1 contrast: ${JSON.stringify(darkForm)}`);
      await page.emulateMedia({ colorScheme: "light" });
      await page.reload();
      const light = await colours('input[name="title"]');
      assert.ok(light.backgroundLuminance > 0.8, `the light page should be light: ${JSON.stringify(light)}`);
      assert.ok(light.fieldBorderContrast >= 3 && light.fieldBorderOnField >= 3,
                `field borders on the light page should have 3:1 contrast: ${JSON.stringify(light)}`);
      assert.deepEqual(await smallControls(), [], "controls smaller than 44x44 px on /add_book");
      await assertNoSidewaysScroll(`/add_book at ${viewport.width} px`);
    });
  }

  await step("keyboard only: Tab reaches each card's controls, named after their book, and the focus is always visible", async () => {
    await page.setViewportSize(viewports[0]);
    await page.goto(baseUrl + "/books");
    const seen = [];
    for (let i = 0; i < 120; ++i) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const style = getComputedStyle(e);
        const name = e.matches("input, select") ? `${e.tagName.toLowerCase()} ${e.name}` : e.getAttribute("aria-label") || e.textContent.trim();
        return { name, outline: style.outlineStyle,
                 outlineWidth: parseFloat(style.outlineWidth), boxShadow: style.boxShadow };
      });
      if (!focused) continue;
      seen.push(focused);
      assert.ok((focused.outline !== "none" && focused.outlineWidth >= 2) || focused.boxShadow !== "none",
                `the focus on "${focused.name}" should be visible: ${JSON.stringify(focused)}`);
      if (focused.name === "Delete Dune") break;
    }
    const names = seen.map((f) => f.name);
    for (const wanted of ["Skip to the page", "input q", "select status", "Dune", "Edit Dune", "Delete Dune"])
      assert.ok(names.includes(wanted), `Tab should reach "${wanted}"; it reached ${JSON.stringify(names)}`);
    await screenshot("books-phone-keyboard-focus");
  });

  await step("an unknown address answers 404 with a page in the layout and a way home", async () => {
    const response = await page.goto(baseUrl + "/no/such/page");
    assert.equal(response.status(), 404);
    assert.match(await page.locator("h1").innerText(), /Page not found/);
    assert.ok(await page.locator("header nav").isVisible(), "the 404 page should have the site's header");
    await Promise.all([page.waitForURL(/\/books$/), page.getByRole("link", { name: "Back to my library" }).click()]);
  });

  await step("without JavaScript, Delete asks on a page naming the book, and Keep it deletes nothing", async () => {
    const noScript = await browser.newContext({ viewport: viewports[0], javaScriptEnabled: false,
                                                storageState: await context.storageState() });
    watchRequests(noScript);
    const plain = await noScript.newPage();
    test.page = plain;
    await plain.goto(baseUrl + "/books");
    const card = plain.locator("#library article.card", { has: plain.locator("h2.title", { hasText: "Émile" }) });
    await Promise.all([plain.waitForURL(/\/delete_book\//), card.getByRole("button", { name: /^Delete Émile/ }).click()]);
    assert.equal(await plain.locator("h1").innerText(), "Remove \u201cÉmile, ou De l'éducation\u201d from your library?");
    await Promise.all([plain.waitForURL(/\/books$/), plain.getByRole("link", { name: "Keep it" }).click()]);
    assert.equal(await plain.locator("#library article.card").count(), typedBooks.length, "Keep it should delete nothing");
    await Promise.all([plain.waitForURL(/\/delete_book\//), card.getByRole("button", { name: /^Delete Émile/ }).click()]);
    await plain.screenshot({ path: path.join(test.workDir, "delete-confirmation-no-js.png"), fullPage: true });
    await Promise.all([plain.waitForURL(/\/books$/), plain.getByRole("button", { name: /^Remove/ }).click()]);
    assert.equal(await plain.locator("#library article.card").count(), typedBooks.length - 1, "Remove should delete the book");
    assert.equal(await plain.locator("#library h2.title", { hasText: "Émile" }).count(), 0);
    test.page = page;
    await noScript.close();
  });

  await step(`${extraBooks} more books are added, so that the library has two pages`, async () => {
    await page.goto(baseUrl + "/books");
    for (let i = 1; i <= extraBooks; ++i)
      await addTyped({ title: `Shelf book ${String(i).padStart(2, "0")}`, author: "Paging Author", status: i % 2 ? "read" : "to-read" });
  });
  const total = typedBooks.length - 1 + extraBooks; // one was deleted above
  for (const viewport of viewports) {
    await step(`${viewport.name}: pages of 50 with Next and Previous, and links that keep the filters`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(baseUrl + "/books");
      assert.equal(await page.locator("#library article.card").count(), 50);
      assert.match(await page.locator("h1").innerText(), new RegExp(`${total} books`));
      assert.match(await page.locator("nav.paging").innerText(), /Page 1 of 2/);
      await Promise.all([page.waitForURL(/\/books\?page=2$/), page.getByRole("link", { name: "Next page" }).click()]);
      assert.equal(await page.locator("#library article.card").count(), total - 50);
      await assertNoSidewaysScroll(`page 2 at ${viewport.width} px`);
      await screenshot(`books-${viewport.name}-page-2`);
      await Promise.all([page.waitForURL(/\/books$/), page.getByRole("link", { name: "Previous page" }).click()]);
      // Read books sorted by title: 28 + Persuasion = 29, one page; to-read ones: 28 + 3 typed = 31.
      await page.goto(baseUrl + "/books?sort=title&status=read");
      assert.equal(await page.locator("#library article.card").count(), 1 + extraBooks / 2);
      assert.equal(await page.locator("nav.paging").count(), 0, "one page needs no page links");
      await page.goto(baseUrl + "/books?sort=title");
      await Promise.all([page.waitForURL(/\/books\?sort=title&page=2$/), page.getByRole("link", { name: "Page 2" }).click()]);
      const titles = await page.locator("#library h2.title").allInnerTexts();
      assert.equal(titles.length, total - 50);
      assert.deepEqual([...titles].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })), titles,
                       `page 2 sorted by title should be in title order: ${JSON.stringify(titles)}`);
    });
  }

  await step("the home page shows the book being read, what was added last and the counts per status", async () => {
    await page.setViewportSize(viewports[0]);
    await page.goto(baseUrl + "/books?q=dune");
    await Promise.all([page.waitForURL(/\/edit_book\//), page.getByRole("link", { name: "Edit Dune" }).click()]);
    await page.locator('select[name="status"]').selectOption("reading");
    await Promise.all([page.waitForURL(/\/books$/), page.getByRole("button", { name: "Save" }).click()]);
    await page.goto(baseUrl + "/");
    const reading = page.locator("section.home ul.shelf-row").first();
    assert.deepEqual(await reading.locator("h3.title").allInnerTexts(), ["Dune"], "Currently reading should list Dune");
    assert.match(await page.locator("nav.status-counts").innerText(), /1\s+Reading/);
    assert.equal(await page.locator("section.home ul.shelf-row").nth(1).locator("li").count(), 6, "the six latest books");
    await assertNoSidewaysScroll("the home page at 390 px");
    assert.deepEqual(await smallControls(), [], "controls smaller than 44x44 px on the home page");
    await screenshot("home-phone");
    await Promise.all([page.waitForURL(/\/books\?status=reading$/), page.getByRole("link", { name: /1 Reading/ }).click()]);
    assert.deepEqual(await page.locator("#library h2.title").allInnerTexts(), ["Dune"]);
  });

  await step("the pages raised no script errors and asked no origin but booklib's", async () => {
    assert.deepEqual(test.pageErrors, [], "the pages should raise no script errors");
    assert.deepEqual(foreignRequests, [], `the pages should request nothing from origins other than ${serverOrigin}`);
  });
}

await test.run(main);
