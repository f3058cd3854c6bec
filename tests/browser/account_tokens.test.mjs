// The account page and the API reference at 390 and 1366 px, in light and dark mode:
//   a reader makes a read-only token on /account, sees its secret once, and the token opens
//   GET /api/v1/me (and is refused a write); the list shows it without the secret; revoking it
//   makes the API answer 401; /api/docs renders Swagger UI over the document with every operation,
//   loading nothing from another origin; no page scrolls sideways; tap targets are 44 px or more.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { BrowserTest, expectNoSidewaysScroll, screens } from "./harness.mjs";

const test = new BrowserTest("account_tokens.test");
const step = (name, body) => test.step(name, body);
const artefactDir = process.env.BROWSER_ARTEFACT_DIR || path.join(test.workDir, "screenshots");
mkdirSync(artefactDir, { recursive: true });

async function screenshot(page, name) {
  const file = path.join(artefactDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

async function main() {
  let baseUrl = "";
  await step("booklib serve starts and answers /health", async () => { baseUrl = await test.startServer(); });
  let browser = null;
  await step("headless Chromium starts", async () => { browser = await test.launchChromium(); });
  const foreignRequests = [];

  for (const screen of screens) {
    const { context, page } = await test.openScreen(browser, screen, baseUrl, foreignRequests);
    const user = { username: `tokens${screen.name}`, email: `tokens.${screen.name}@example.com`, password: "correct horse battery" };
    let secret = "";

    await step(`${screen.name}: the account page is in the menu and offers tokens`, async () => {
      await test.registerAndLogIn(page, baseUrl, user);
      await Promise.all([page.waitForURL(/\/account$/), page.click('header nav a[href="/account"]')]);
      assert.match(await page.locator("h1").innerText(), /Account/);
      assert.match(await page.locator(".bp-account").innerText(), /no tokens/i);
      await expectNoSidewaysScroll(page, "the account page", await screenshot(page, `account-empty-${screen.name}`));
    });

    await step(`${screen.name}: a read-only token is made, its secret shown once, and it opens the API`, async () => {
      await page.fill('form[action="/account/tokens"] input[name="name"]', "e-reader sync");
      await page.selectOption('form[action="/account/tokens"] select[name="scope"]', "read");
      await Promise.all([page.waitForLoadState("load"), page.click('form[action="/account/tokens"] button[type="submit"]')]);
      secret = await page.locator("#new-token-secret").inputValue();
      assert.match(secret, /^bkl_[A-Za-z0-9_-]{43}$/, "the new token's secret is shown");
      assert.match(await page.locator(".bp-token").first().innerText(), /e-reader sync[\s\S]*read only/);
      const file = await screenshot(page, `account-new-token-${screen.name}`);
      await expectNoSidewaysScroll(page, "the account page with a new token", file);
      for (const box of await page.locator(".bp-account button, .bp-account select, .bp-account input:not([type=hidden])").evaluateAll(
        (elements) => elements.map((e) => ({ name: e.name || e.textContent.trim(), height: e.getBoundingClientRect().height }))))
        assert.ok(box.height >= 44, `${box.name} should be at least 44 px tall (is ${box.height}; see ${file})`);
      const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(me.status, 200);
      assert.equal((await me.json()).scope, "read");
      const write = await fetch(`${baseUrl}/api/v1/books`, {
        method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: '{"title":"x"}' });
      assert.equal(write.status, 403, "a read-only token may not write");
      await page.goto(baseUrl + "/account");
      assert.ok(!(await page.content()).includes(secret), "the secret is never shown again");
    });

    await step(`${screen.name}: dark mode keeps the account page readable`, async () => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto(baseUrl + "/account");
      await expectNoSidewaysScroll(page, "the account page in dark mode", await screenshot(page, `account-dark-${screen.name}`));
      await page.emulateMedia({ colorScheme: "light" });
    });

    await step(`${screen.name}: revoking the token, named after it, makes the API answer 401`, async () => {
      const revoke = page.getByRole("button", { name: "Revoke token e-reader sync" });
      await Promise.all([page.waitForURL(/\/account$/), revoke.click()]);
      assert.match(await page.locator(".flash").innerText(), /revoked/);
      const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(me.status, 401);
    });

    await step(`${screen.name}: /api/docs shows every operation of the document, from this server only`, async () => {
      const document = await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json();
      const operations = Object.values(document.paths).flatMap((item) =>
        ["get", "post", "put", "patch", "delete"].filter((m) => item[m]));
      await page.goto(baseUrl + "/api/docs");
      await page.locator(".opblock").first().waitFor();
      assert.equal(await page.locator(".opblock").count(), operations.length, "one block per operation");
      await expectNoSidewaysScroll(page, "the API reference", await screenshot(page, `api-docs-${screen.name}`));
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
