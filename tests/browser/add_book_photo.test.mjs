// Browser test of adding books by barcode photo: a real booklib server on 127.0.0.1, Debian's
// headless Chromium driven by playwright-core. Run it through run.sh, which makes the photos.
//
// Environment: as harness.mjs says; BROWSER_WORK_DIR also holds photos/<isbn>.jpg (two) and
// camera/<isbn>.mjpeg (a video for Chromium's fake camera).
//
// What a user would do and notice:
//   register, log in; on /add_book upload a photo -> the ISBN field fills in; submit -> /books
//   shows the book; tick "Keep scanning", upload another photo -> "Added <isbn>", the same photo
//   again -> "already in your library"; /books lists both; on a phone-sized screen (390x844)
//   /books and /add_book do not scroll sideways; with a camera pointed at a barcode (Chromium's
//   fake camera; Linux Chromium has no BarcodeDetector, so the frames are read by the server),
//   "Scan a barcode with the camera" fills in the ISBN and turns the camera off.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { BrowserTest } from "./harness.mjs";

const test = new BrowserTest("add_book_photo.test");
const workDir = test.workDir;
const photos = readdirSync(path.join(workDir, "photos"))
  .filter((name) => /^\d{13}\.jpg$/.test(name))
  .sort()
  .map((name) => ({ isbn: name.slice(0, 13), file: path.join(workDir, "photos", name) }));
assert.ok(photos.length >= 2, `expected two photos named <isbn>.jpg in ${workDir}/photos`);
const [formPhoto, continuousPhoto] = photos;
const cameraVideos = readdirSync(path.join(workDir, "camera")).filter((name) => /^\d{13}\.mjpeg$/.test(name));
assert.equal(cameraVideos.length, 1, `expected one video named <isbn>.mjpeg in ${workDir}/camera`);
const cameraVideo = { isbn: cameraVideos[0].slice(0, 13), file: path.join(workDir, "camera", cameraVideos[0]) };

const user = { username: "photoreader", email: "photo.reader@example.com", password: "correct horse battery" };
let page = null;

// ---- Page helpers ------------------------------------------------------------------------------

// Waits until #isbn holds `isbn`; on timeout says what the page told the user instead.
async function expectIsbnFilledIn(isbn) {
  try {
    await page.waitForFunction((want) => document.getElementById("isbn").value === want, isbn, { timeout: 15000 });
  } catch (_) {
    const shown = await page.evaluate(() => ({
      isbn: document.getElementById("isbn").value,
      status: document.getElementById("scanner-status").textContent,
      results: document.getElementById("scan-results").innerText,
    }));
    assert.fail(`#isbn should become ${isbn} after uploading its photo; it is "${shown.isbn}", ` +
                `scanner status "${shown.status}", scan results "${shown.results}"`);
  }
}

// Waits for a new #scan-results entry of class `kind` whose text includes `text`.
async function expectScanResult(kind, text) {
  try {
    await page.locator(`#scan-results li.${kind}`, { hasText: text }).first().waitFor({ timeout: 15000 });
  } catch (_) {
    const results = await page.locator("#scan-results").innerText();
    const status = await page.locator("#scanner-status").innerText();
    assert.fail(`#scan-results should list a "${kind}" entry "${text}"; it shows "${results}" (status "${status}")`);
  }
}

// The ISBNs of the cards on /books, read from each card's edit page (cards show titles, not ISBNs).
async function isbnsInLibrary(baseUrl) {
  await page.goto(baseUrl + "/books");
  const ids = await page.locator("#library article.card").evaluateAll((cards) => cards.map((c) => c.dataset.id));
  const isbns = [];
  for (const id of ids) {
    const response = await page.request.get(`${baseUrl}/edit_book/${id}`);
    assert.equal(response.status(), 200, `GET /edit_book/${id} should answer 200`);
    const match = (await response.text()).match(/ISBN (97[89]\d{10})/);
    assert.ok(match, `/edit_book/${id} should show the book's ISBN`);
    isbns.push(match[1]);
  }
  await page.goto(baseUrl + "/books");
  return isbns.sort();
}

async function expectNoSidewaysScroll(context, url, name) {
  const phone = await context.newPage();
  await phone.goto(url);
  const file = path.join(workDir, `${name}-phone.png`);
  await phone.screenshot({ path: file, fullPage: true });
  const { scrollWidth, innerWidth } = await phone.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth,
            `${url} scrolls sideways on a 390x844 phone: scrollWidth ${scrollWidth} > innerWidth ${innerWidth} (see ${file})`);
  await phone.close();
}

// ---- The test ----------------------------------------------------------------------------------

const step = (name, body) => test.step(name, body);

async function main() {
  let baseUrl = "";
  // No metadata workers (the harness's default): books stay "Fetching details", no provider needed.
  await step("booklib serve starts and answers /health", async () => { baseUrl = await test.startServer(); });

  let browser = null;
  await step("headless Chromium starts", async () => {
    browser = await test.launchChromium();
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  test.page = page = await context.newPage();
  test.watchForScriptErrors(page);

  await step("a visitor registers and logs in", async () => {
    await test.registerAndLogIn(page, baseUrl, user);
  });

  await step(`uploading a photo of ${formPhoto.isbn} on /add_book fills in the ISBN`, async () => {
    await page.goto(baseUrl + "/add_book");
    await page.setInputFiles("#scanner-photo", formPhoto.file);
    await expectIsbnFilledIn(formPhoto.isbn);
    assert.match(await page.locator("#scanner-status").innerText(), new RegExp(`Found ISBN ${formPhoto.isbn}`));
  });

  await step("submitting the form shows the book on /books", async () => {
    await Promise.all([page.waitForURL(/\/books/), page.click('#add-book-form button[type="submit"]')]);
    assert.match(await page.locator(".flash").innerText(), /was added/, "the flash should say the book was added");
    const cards = page.locator("#library article.card[data-sync]");
    assert.equal(await cards.count(), 1, "the library should hold exactly one card");
    assert.deepEqual(await isbnsInLibrary(baseUrl), [formPhoto.isbn]);
  });

  await step(`in "Keep scanning" mode a photo of ${continuousPhoto.isbn} adds the book at once`, async () => {
    await page.goto(baseUrl + "/add_book");
    // Here the camera is unavailable (headless): the scanner box opens with a "take a photo
    // instead" hint. The "Keep scanning" switch is visible without the camera.
    await page.click("#scanner-start");
    await page.locator("#scanner-status").filter({ hasText: /camera/i }).waitFor({ timeout: 5000 });
    assert.match(await page.locator("#scanner-status").innerText(), /photo/i,
                 "without a camera the scanner box should say so and suggest a photo");
    await page.check("#scanner-continuous");
    await page.setInputFiles("#scanner-photo", continuousPhoto.file);
    await expectScanResult("added", `Added ${continuousPhoto.isbn}`);
    assert.equal(await page.locator("#isbn").inputValue(), "", "in Keep scanning mode the form stays empty");
  });

  await step("the same photo again is reported as already in the library", async () => {
    await page.setInputFiles("#scanner-photo", continuousPhoto.file);
    await expectScanResult("duplicate", `${continuousPhoto.isbn} is already in your library`);
    assert.equal(await page.locator("#scan-results li").count(), 2, "two scans, two entries in #scan-results");
  });

  await step("/books lists both books", async () => {
    assert.deepEqual(await isbnsInLibrary(baseUrl), [formPhoto.isbn, continuousPhoto.isbn].sort());
    assert.match(await page.locator("h1").innerText(), /2 books/);
  });

  await step("on a 390x844 phone /books and /add_book do not scroll sideways", async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      storageState: await context.storageState(),
    });
    await expectNoSidewaysScroll(phone, baseUrl + "/books", "books");
    await expectNoSidewaysScroll(phone, baseUrl + "/add_book", "add_book");
    await phone.close();
  });

  await step(`the camera, pointed at the barcode of ${cameraVideo.isbn}, fills in the ISBN and turns off`, async () => {
    const cameraBrowser = await test.launchChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                                                      `--use-file-for-fake-video-capture=${cameraVideo.file}`]);
    const cameraContext = await cameraBrowser.newContext({ storageState: await context.storageState() });
    cameraContext.setDefaultTimeout(15000);
    test.page = page = await cameraContext.newPage();
    test.watchForScriptErrors(page);
    await page.goto(baseUrl + "/add_book");
    await page.click("#scanner-start");
    await expectIsbnFilledIn(cameraVideo.isbn);
    assert.match(await page.locator("#scanner-status").innerText(), new RegExp(`Found ISBN ${cameraVideo.isbn}`));
    assert.ok(await page.locator("#scanner").isHidden(), "after a find the camera box should close");
    assert.equal(await page.evaluate(() => document.getElementById("scanner-video").srcObject?.active ?? false), false,
                 "after a find the camera should be off");
  });

  await step("the pages raised no script errors", async () => {
    assert.deepEqual(test.pageErrors, [], "the pages should raise no script errors");
  });
}

await test.run(main);
