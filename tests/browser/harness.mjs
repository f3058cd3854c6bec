// What the browser tests share: named steps, a `booklib serve` on 127.0.0.1, Debian's headless
// Chromium, script-error watching, registering and logging in, and a runner that always stops the
// server and browsers and says which step failed; the two screens the page tests use, a page per
// screen that records requests to other origins, and the sideways-scroll and contrast checks. Each
// *.test.mjs is its own node process.
//
// Environment (set by run.sh):
//   BOOKLIB_BINARY   the booklib executable
//   BROWSER_WORK_DIR a fresh folder for this test: the server's data, its log (server.log) and
//                    screenshots are written there
//   CHROMIUM         the browser (default /usr/bin/chromium)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, createWriteStream, readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

// A phone and a desktop, as the page tests take them.
export const screens = [
  { name: "phone", options: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
  { name: "desktop", options: { viewport: { width: 1366, height: 900 } } },
];

// Fails when the page is wider than the window (`file`: a screenshot to look at).
export async function expectNoSidewaysScroll(page, what, file = "") {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth,
            `${what} scrolls sideways: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}${file ? ` (see ${file})` : ""}`);
}

// The contrast ratio of the first `selector` element's text against the first opaque background behind it.
export async function contrastOf(page, selector) {
  return page.locator(selector).first().evaluate((element) => {
    const rgb = (text) => text.match(/[\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {
      const channel = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    let behind = element;
    let background = getComputedStyle(behind).backgroundColor;
    while (behind && (background === "rgba(0, 0, 0, 0)" || background === "transparent")) {
      behind = behind.parentElement;
      background = behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)";
    }
    const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(rgb(background))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

export class BrowserTest {
  constructor(name) {
    this.name = name;
    this.binary = this.requireEnv("BOOKLIB_BINARY");
    this.workDir = this.requireEnv("BROWSER_WORK_DIR");
    this.chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
    this.serverLog = path.join(this.workDir, "server.log");
    this.page = null; // screenshotted when a step fails; tests point it at their current page
    this.pageErrors = [];
    this.currentStep = "starting";
    this.server = null;
    this.browsers = [];
    this.cleanups = [];
    this.started = Date.now();
  }

  requireEnv(name) {
    const value = process.env[name];
    if (!value) {
      console.error(`${this.name}: set ${name} (run tests/browser/run.sh BUILD_DIR instead of this file)`);
      process.exit(2);
    }
    return value;
  }

  async step(name, body) {
    this.currentStep = name;
    const at = Date.now();
    await body();
    console.log(`ok   ${name} (${Date.now() - at} ms)`);
  }

  // Runs `fn` when the test ends, passed or failed (after the browsers close, before the server stops).
  onCleanup(fn) { this.cleanups.push(fn); }

  // ---- The server ------------------------------------------------------------------------------

  // Starts `booklib serve` on a free port (--port=0) and resolves with its base URL once /health
  // answers. By default it runs no metadata workers (books stay "Fetching details") and points the
  // providers at a closed port; `settings` (BOOKLIB_* variables) override that.
  async startServer(settings = {}) {
    const dataDir = path.join(this.workDir, "data");
    mkdirSync(dataDir, { recursive: true });
    // Nothing from the caller's BOOKLIB_* settings (an exported DynamoDB store, say) leaks in.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("BOOKLIB_")));
    Object.assign(env, {
      BOOKLIB_DATA_DIR: dataDir,
      BOOKLIB_ADDRESS: "127.0.0.1",
      BOOKLIB_STORE: "sqlite",
      BOOKLIB_QUEUE: "sqlite",
      BOOKLIB_PASSWORD_ITERATIONS: "1000",
      BOOKLIB_WORKERS: "0",
      BOOKLIB_GOOGLE_BOOKS_URL: "http://127.0.0.1:9",
      BOOKLIB_OPEN_LIBRARY_URL: "http://127.0.0.1:9",
    }, settings);
    const server = spawn(this.binary, ["serve", "--port=0"], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.server = server;
    const log = createWriteStream(this.serverLog);
    server.stderr.pipe(log);
    const exited = new Promise((resolve) => server.once("exit", (code, signal) => resolve({ code, signal })));
    const url = await new Promise((resolve, reject) => {
      let buffered = "";
      const timer = setTimeout(() => reject(new Error("booklib serve printed no 'booklib serving' line in 15 s")), 15000);
      server.stdout.on("data", (chunk) => {
        log.write(chunk);
        buffered += chunk;
        const match = buffered.match(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/);
        if (match) { clearTimeout(timer); resolve(match[1]); }
      });
      server.once("error", (error) => { clearTimeout(timer); reject(new Error(`cannot start ${this.binary}: ${error.message}`)); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`booklib serve exited early (code ${code}, signal ${signal}); see ${this.serverLog}`));
      });
    });
    for (const deadline = Date.now() + 10000; ; ) {
      try {
        const response = await fetch(url + "/health");
        if (response.ok) return url;
      } catch (_) { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`${url}/health did not answer 200 within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stopServer() {
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  // ---- The browser -----------------------------------------------------------------------------

  // Debian's Chromium, headless, in a fresh profile; quiet on the network (the machine may refuse
  // outside connections). `extraArgs` add e.g. a fake camera. Closed when the test ends.
  async launchChromium(extraArgs = []) {
    const browser = await chromium.launch({
      executablePath: this.chromiumPath,
      headless: true,
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extraArgs],
    });
    this.browsers.push(browser);
    return browser;
  }

  // A page in a new context for `screen`, the test's current page, watched for script errors; every
  // request it makes to an origin other than `baseUrl` is pushed onto `foreignRequests`.
  async openScreen(browser, screen, baseUrl, foreignRequests) {
    const context = await browser.newContext(screen.options);
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    this.page = page;
    this.watchForScriptErrors(page);
    page.on("request", (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith("data:")) foreignRequests.push(request.url());
    });
    return { context, page };
  }

  watchForScriptErrors(watched) {
    watched.on("pageerror", (error) => this.pageErrors.push(`${watched.url()}: ${error.message}`));
    // Console errors count too, except Chromium's note on each non-2xx answer (a 409 may be expected).
    watched.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource"))
        this.pageErrors.push(`${watched.url()}: console: ${message.text()}`);
    });
  }

  // Registers `user` ({username, email, password}) on /register, logs in and lands on /books.
  async registerAndLogIn(page, baseUrl, user) {
    await page.goto(baseUrl + "/register");
    await page.fill('input[name="username"]', user.username);
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', user.password);
    await page.fill('input[name="confirm_password"]', user.password);
    await this.submitAndExpect(page, 'form[action="/register"] button[type="submit"]', /\/login/, "registering");
    await page.fill('input[name="email"]', user.email);
    await page.fill('input[name="password"]', user.password);
    await this.submitAndExpect(page, 'form[action^="/login"] button[type="submit"]', /\/books/, "logging in");
    assert.match(await page.locator("header nav").innerText(), new RegExp(user.username),
                 "after logging in the header should name the user");
  }

  // Clicks `button` and waits for a page at `url`; when none comes, fails with the error the page shows.
  async submitAndExpect(page, button, url, what) {
    try {
      await Promise.all([page.waitForURL(url, { timeout: 10000 }), page.click(button)]);
    } catch (error) {
      const shown = await page.evaluate(() => [
        ...[...document.querySelectorAll(".error, .flash")].map((e) => e.textContent.trim()),
        ...[...document.querySelectorAll("input:invalid, select:invalid, textarea:invalid")]
          .map((e) => `${e.name}: ${e.validationMessage}`)]).catch(() => []);
      assert.fail(`${what} should lead to ${url}; the page stayed at ${page.url()} showing ` +
                  `${shown.length ? JSON.stringify(shown.join(" / ")) : "no error"} (${error.message.split("\n")[0]})`);
    }
  }

  // ---- The runner ------------------------------------------------------------------------------

  // Runs `main`, then closes the browsers, runs the cleanups and stops the server whatever
  // happened; on failure names the step, screenshots the page and prints the server log's tail.
  // Exits the process (0 when every step passed).
  async run(main) {
    // A test killed from outside (a CTest timeout, Ctrl-C) leaves no server behind; Playwright
    // closes its browsers itself, and in-process helpers (fake providers) die with this process.
    process.on("exit", () => {
      const server = this.server;
      if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    });
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
      process.on(signal, () => {
        console.error(`FAIL ${this.currentStep}\n     interrupted by ${signal}`);
        process.exit(1);
      });
    }

    let failed = false;
    try {
      await main();
    } catch (error) {
      failed = true;
      console.error(`FAIL ${this.currentStep}\n     ${error.message}`);
      if (this.page) {
        const file = path.join(this.workDir, "failure.png");
        await this.page.screenshot({ path: file, fullPage: true })
          .then(() => console.error(`     page at failure: ${this.page.url()} (${file})`), () => {});
      }
      if (this.pageErrors.length) console.error(`     script errors on the pages:\n       ${this.pageErrors.join("\n       ")}`);
    } finally {
      for (const browser of this.browsers.reverse()) await browser.close().catch(() => {});
      for (const cleanup of this.cleanups.reverse()) await Promise.resolve().then(cleanup).catch(() => {});
      await this.stopServer().catch(() => {});
    }
    if (failed) {
      try {
        const lines = readFileSync(this.serverLog, "utf8").trimEnd().split("\n");
        console.error(`     last lines of ${this.serverLog}:\n       ${lines.slice(-15).join("\n       ")}`);
      } catch (_) { /* no log yet */ }
      process.exit(1);
    }
    console.log(`${this.name}: all steps passed in ${((Date.now() - this.started) / 1000).toFixed(1)} s`);
    process.exit(0);
  }
}
