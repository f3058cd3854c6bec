// Browser test of the book page (/books/{id}) and the shelves page (/shelves): a real booklib serve
// on 127.0.0.1 (no metadata workers: books are added by hand), Debian's headless Chromium driven by
// playwright-core, on a 390x844 phone and a 1366x900 desktop. Run it through run.sh (environment:
// harness.mjs); screenshots go to BROWSER_ARTEFACT_DIR when set (CMake sets it under the build
// folder, so they outlive the run), else to the work folder.
//
// What a reader would do and notice, on each screen size:
//   the book page shows the book, in the layout, without sideways scrolling, with every control at
//   least 44 px tall and named after the book it acts on;
//   marking it reading on a date, then read on a date, lists one read with both dates, finished;
//   reading it again (reading -> read) lists two finished reads, "Read 2 times";
//   another book marked reading, then did-not-finish, shows its read stopped, "Did not finish";
//   progress typed on a to-read book shows it (and the book is now being read);
//   a shelf added on the book page is a chip linking to the library's shelf filter; /shelves counts
//   it, creates, renames, and deletes a shelf after a confirmation page;
//   in dark mode (prefers-color-scheme) the page's panels take the theme's colours and stay readable;
//   with the keyboard alone, Tab reaches the status form, Enter on its button saves it.
//   No page raises a script error or asks any origin but the booklib server's.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { BrowserTest, contrastOf, expectNoSidewaysScroll, screens } from "./harness.mjs";

const test = new BrowserTest("book_page.test");
const step = (name, body) => test.step(name, body);
const artefactDir = process.env.BROWSER_ARTEFACT_DIR || path.join(test.workDir, "screenshots");
mkdirSync(artefactDir, { recursive: true });

const books = {
  main: { title: "The Left Hand of Darkness", author: "Ursula K. Le Guin" },
  dnf: { title: "Infinite Jest", author: "David Foster Wallace" },
  progress: { title: "Émile, ou De l'éducation", author: "Jean-Jacques Rousseau" },
};

async function screenshot(page, name) {
  const file = path.join(artefactDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Adds a book by hand on /add_book and returns its entry's id, from its card's link to its page.
async function addBook(page, baseUrl, book) {
  await page.goto(baseUrl + "/add_book");
  await page.fill('form[action="/add_book"] input[name="title"]', book.title);
  await page.fill('form[action="/add_book"] input[name="author"]', book.author);
  await test.submitAndExpect(page, 'form[action="/add_book"] button[type="submit"]', /\/books(\?|$)/, `adding ${book.title}`);
  const links = await page.locator('a[href^="/books/"]').evaluateAll((anchors, title) =>
    anchors.filter((a) => a.textContent.trim() === title).map((a) => a.getAttribute("href")), book.title);
  const id = links.map((href) => href.match(/^\/books\/([0-9a-f-]{36})$/)).find(Boolean)?.[1];
  assert.ok(id, `the library page should link ${book.title} to its page`);
  return id;
}

// Sets the status form's status and date and saves it; lands back on the book page.
async function setStatus(page, status, date) {
  await page.selectOption("#bp-status-form select[name=status]", status);
  await page.fill("#bp-status-form input[name=date]", date);
  await test.submitAndExpect(page, '#bp-status-form button[type="submit"]', /\/books\/[0-9a-f-]+$/, `marking ${status} on ${date}`);
  assert.match(await page.locator(".flash").innerText(), /Marked as/, "a flash should say what changed");
}

async function readsShown(page) {
  return page.locator(".bp-read").evaluateAll((items) => items.map((item) => ({
    dates: item.querySelector(".bp-read-dates").textContent.trim(),
    outcome: item.dataset.outcome,
  })));
}

// Every visible control of the page's own part is at least 44 px tall (and the chip buttons wide)
// and has a name that says which book it acts on (its label's text, aria-label or own text).
async function expectTargetsAndNames(page, title) {
  const problems = await page.evaluate((bookTitle) => {
    const found = [];
    const controls = document.querySelectorAll(
      ".bp button, .bp select, .bp textarea, .bp input:not([type=hidden]), .bp summary, .bp a.button");
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // inside a closed <details>
      const target = control.type === "checkbox" ? control.closest("label").getBoundingClientRect() : box;
      if (target.height < 43.5) found.push(`${control.outerHTML.slice(0, 80)} is ${target.height.toFixed(1)} px tall`);
      const name = control.getAttribute("aria-label") ||
                   (control.closest("label") ? control.closest("label").textContent : control.textContent);
      if (!name.replace(/\s+/g, " ").includes(bookTitle)) found.push(`${control.outerHTML.slice(0, 80)} is named "${name.trim()}"`);
    }
    return found;
  }, title);
  assert.deepEqual(problems, [], "every control should be 44 px tall and name its book");
}


async function main() {
  let baseUrl = "";
  await step("booklib serve starts and answers /health", async () => { baseUrl = await test.startServer(); });
  let browser = null;
  await step("headless Chromium starts", async () => { browser = await test.launchChromium(); });
  const foreignRequests = [];

  for (const screen of screens) {
    const { context, page } = await test.openScreen(browser, screen, baseUrl, foreignRequests);
    const user = { username: `reader${screen.name}`, email: `reader.${screen.name}@example.com`, password: "correct horse battery" };
    const ids = {};

    await step(`${screen.name}: a reader registers, logs in and adds three books by hand`, async () => {
      await test.registerAndLogIn(page, baseUrl, user);
      for (const [key, book] of Object.entries(books)) ids[key] = await addBook(page, baseUrl, book);
    });

    await step(`${screen.name}: the book page shows the book, fits the screen, 44 px targets named after the book`, async () => {
      await page.goto(`${baseUrl}/books/${ids.main}`);
      assert.equal(await page.locator("h1#bp-title").innerText(), books.main.title);
      assert.match(await page.locator(".bp-details").innerText(), /Ursula K\. Le Guin \(typed by you\)/);
      assert.equal(await page.locator(".bp-nocover").innerText(), "T", "a book without a cover shows its initial");
      assert.match(await page.locator("header nav").innerText(), new RegExp(user.username), "the page is in the layout");
      const file = await screenshot(page, `book-page-${screen.name}`);
      await expectNoSidewaysScroll(page, "the book page", file);
      await expectTargetsAndNames(page, books.main.title);
      // The edit forms of reads and the add form open without a script.
      await page.click(".bp-add-read summary");
      assert.ok(await page.locator('.bp-add-read input[name="started_on"]').isVisible());
      await expectTargetsAndNames(page, books.main.title);
    });

    await step(`${screen.name}: marking it reading on a date, then read on a date, records one finished read`, async () => {
      await setStatus(page, "reading", "2026-01-02");
      assert.deepEqual(await readsShown(page), [{ dates: "Started 2026-01-02", outcome: "in-progress" }]);
      await setStatus(page, "read", "2026-01-20");
      assert.deepEqual(await readsShown(page), [{ dates: "Started 2026-01-02 · finished 2026-01-20", outcome: "finished" }]);
      assert.match(await page.locator(".bp-summary").innerText(), /Read 1 time · last finished 2026-01-20/);
      await screenshot(page, `marked-read-${screen.name}`);
    });

    await step(`${screen.name}: a re-read (reading -> read) gives two finished reads`, async () => {
      await setStatus(page, "reading", "2026-03-01");
      await setStatus(page, "read", "2026-03-15");
      assert.deepEqual(await readsShown(page), [
        { dates: "Started 2026-01-02 · finished 2026-01-20", outcome: "finished" },
        { dates: "Started 2026-03-01 · finished 2026-03-15", outcome: "finished" },
      ]);
      assert.match(await page.locator(".bp-summary").innerText(), /Read 2 times · last finished 2026-03-15/);
      const file = await screenshot(page, `reread-${screen.name}`);
      await expectNoSidewaysScroll(page, "the book page with two reads", file);
    });

    await step(`${screen.name}: another book, reading then did-not-finish, shows the read stopped`, async () => {
      await page.goto(`${baseUrl}/books/${ids.dnf}`);
      await setStatus(page, "reading", "2026-02-01");
      await setStatus(page, "did-not-finish", "2026-02-14");
      assert.deepEqual(await readsShown(page), [{ dates: "Started 2026-02-01 · stopped 2026-02-14", outcome: "did-not-finish" }]);
      assert.equal(await page.locator(".bp-meta .status").innerText(), "Did not finish");
      await screenshot(page, `did-not-finish-${screen.name}`);
    });

    await step(`${screen.name}: progress typed on a to-read book is shown, and the book is being read`, async () => {
      await page.goto(`${baseUrl}/books/${ids.progress}`);
      assert.equal(await page.locator(".bp-nocover").innerText(), "É", "the initial of a non-ASCII title is whole");
      await page.fill('form[action$="/progress"] input[name="value"]', "45");
      await page.selectOption('form[action$="/progress"] select[name="unit"]', "percent");
      await test.submitAndExpect(page, 'form[action$="/progress"] button[type="submit"]', /\/books\/[0-9a-f-]+$/, "saving progress");
      assert.equal(await page.locator(".bp-progress-text").innerText(), "45%");
      assert.equal(await page.locator("progress.bp-progress").getAttribute("value"), "45");
      assert.equal(await page.locator(".bp-meta .status").innerText(), "Reading");
      await page.fill('form[action$="/progress"] input[name="value"]', "120");
      await page.selectOption('form[action$="/progress"] select[name="unit"]', "page");
      await test.submitAndExpect(page, 'form[action$="/progress"] button[type="submit"]', /\/books\/[0-9a-f-]+$/, "saving a page");
      assert.equal(await page.locator(".bp-progress-text").innerText(), "Page 120");
      const file = await screenshot(page, `progress-${screen.name}`);
      await expectNoSidewaysScroll(page, "the book page with progress", file);
    });

    await step(`${screen.name}: a shelf added on the book page is a chip; /shelves counts, creates, renames and deletes`, async () => {
      await page.goto(`${baseUrl}/books/${ids.main}`);
      await page.fill('form[action$="/shelves"] input[name="shelf"]', "Favourites");
      await test.submitAndExpect(page, 'form[action$="/shelves"] button[type="submit"]', /\/books\/[0-9a-f-]+$/, "adding to a shelf");
      const chip = page.locator(".bp-chip a");
      assert.equal(await chip.innerText(), "Favourites");
      assert.equal(await chip.getAttribute("href"), "/books?shelf=Favourites");
      await expectTargetsAndNames(page, books.main.title);
      await page.goto(`${baseUrl}/shelves`);
      assert.match(await page.locator(".bp-shelf").first().innerText(), /Favourites\s+1 book/);
      await page.fill('form[action="/shelves"] input[name="name"]', "Later");
      await test.submitAndExpect(page, 'form[action="/shelves"] button[type="submit"]', /\/shelves$/, "creating a shelf");
      const later = page.locator(".bp-shelf", { hasText: "Later" });
      await later.locator('input[name="to"]').fill("Some day");
      await test.submitAndExpect(page, '.bp-shelf:has-text("Later") form[action="/shelves/rename"] button', /\/shelves$/, "renaming a shelf");
      assert.match(await page.locator(".flash").innerText(), /renamed to “Some day”/);
      const file = await screenshot(page, `shelves-${screen.name}`);
      await expectNoSidewaysScroll(page, "the shelves page", file);
      await Promise.all([page.waitForURL(/\/shelves\/delete\?name=/), page.click('.bp-shelf:has-text("Some day") a.bp-danger')]);
      assert.match(await page.locator("h1").innerText(), /Delete the shelf “Some day”\?/);
      await screenshot(page, `shelf-delete-confirmation-${screen.name}`);
      await test.submitAndExpect(page, 'form[action="/shelves/delete"] button[type="submit"]', /\/shelves$/, "deleting a shelf");
      const names = await page.locator(".bp-shelf-name a").allInnerTexts();
      assert.deepEqual(names, ["Favourites"], "only the deleted shelf is gone");
    });

    await step(`${screen.name}: in dark mode the panels take the theme's colours and stay readable`, async () => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(`${baseUrl}/books/${ids.main}`);
      const { panel, card } = await page.evaluate(() => {
        const probe = document.createElement("div");
        probe.style.background = "var(--card)";
        document.body.append(probe);
        const themed = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return { panel: getComputedStyle(document.querySelector(".bp-panel")).backgroundColor, card: themed };
      });
      assert.equal(panel, card, "the panels should use the theme's card colour");
      for (const selector of [".bp-panel h2", ".bp-details dt", ".bp-source", ".bp-read-dates", ".bp-chip a"]) {
        const ratio = await contrastOf(page, selector);
        assert.ok(ratio >= 4.5, `${selector} should have a contrast of 4.5:1 or more in dark mode, has ${ratio.toFixed(2)}:1`);
      }
      await screenshot(page, `book-page-dark-${screen.name}`);
      await page.emulateMedia({ colorScheme: "light" });
    });

    if (screen.name === "desktop") {
      await step("desktop: with the keyboard alone, Tab reaches the status form and Enter saves it", async () => {
        await page.goto(`${baseUrl}/books/${ids.dnf}`);
        let reached = false;
        for (let presses = 0; presses < 40 && !reached; ++presses) {
          await page.keyboard.press("Tab");
          reached = await page.evaluate(() => document.activeElement?.matches("#bp-status-form select[name=status]"));
        }
        assert.ok(reached, "Tab should reach the status form's select within 40 presses");
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        assert.notEqual(outline, "none", "the focused control should show its focus");
        // The statuses in order: to-read, reading, read, did-not-finish; from did-not-finish, up twice is reading.
        await page.keyboard.press("ArrowUp");
        await page.keyboard.press("ArrowUp");
        assert.equal(await page.locator("#bp-status-form select[name=status]").inputValue(), "reading");
        // Past the date (Chromium stops at each of its parts) to the Save status button.
        let onButton = false;
        for (let presses = 0; presses < 6 && !onButton; ++presses) {
          await page.keyboard.press("Tab");
          onButton = await page.evaluate(() => document.activeElement?.matches('#bp-status-form button[type="submit"]'));
        }
        assert.ok(onButton, "a few more Tabs should reach the Save status button");
        await Promise.all([page.waitForURL(/\/books\/[0-9a-f-]+$/), page.keyboard.press("Enter")]);
        await page.locator(".flash").waitFor();
        assert.match(await page.locator(".flash").innerText(), /Marked as “Reading”/);
        assert.equal(await page.locator(".bp-meta .status").innerText(), "Reading");
        assert.equal((await readsShown(page)).length, 2, "reading again opens a second read");
        await screenshot(page, "keyboard-status-desktop");
      });
    }
    await context.close();
  }

  await step("no page raised a script error or asked another origin", async () => {
    assert.deepEqual(test.pageErrors, [], "the pages should raise no script errors");
    assert.deepEqual(foreignRequests, [], "the pages should load nothing from other origins");
    console.log(`screenshots in ${artefactDir}`);
  });
}

await test.run(main);
