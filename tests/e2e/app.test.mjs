// End-to-end: the release build in dist/, served as a static host serves it,
// driven in Debian's Chromium by Playwright. Run after `trunk build --release`.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launchBrowser, serveDist, openPlayground as open, assertClean, assertAccessible, typeAt, screenshots } from "./support.mjs";

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const openPlayground = (url, options) => open(browser, url, options);

for (const base of ["/", "/docs/ecs-playground/"]) {
  describe(`served at ${base}`, () => {
    let server;
    let url;
    before(async () => {
      ({ server, url } = await serveDist(base));
    });
    after(() => server?.close());

    test("the example loads valid, and the cluster shows where the task lands", async () => {
      const { context, page, problems, response } = await openPlayground(url);
      const csp = response.headers()["content-security-policy"];
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
      assert.doesNotMatch(csp, /unsafe-inline/);

      await assert.doesNotReject(page.getByText("Valid: AWS would accept this task definition").waitFor());
      assert.equal(await page.getByTestId("problems").count(), 0);
      const summary = await page.getByTestId("placement-summary").textContent();
      assert.match(summary, /^Placed on i-[0-9a-f]+ by spread\(attribute:ecs\.availability-zone\), binpack\(memory\)\.$/);
      const chosen = page.locator(".instance.chosen");
      assert.equal(await chosen.count(), 1);
      assert.match(await chosen.textContent(), /task placed here/);
      assert.match(await chosen.textContent(), /memory.*needs 448 MiB/);
      if (base === "/") await page.screenshot({ path: join(screenshots, "01-valid-example.png"), fullPage: true });
      await assertAccessible(page, "the valid example");
      await assertClean(page, problems);
      await context.close();
    });

    test("a typed mistake shows a diagnostic at its line, and fixing it clears it", async () => {
      const { context, page, problems } = await openPlayground(url);
      // Turn "web-app" into "web -app": not a valid family name.
      await typeAt(page, "-app", " ");
      const list = page.getByTestId("problems");
      await list.waitFor();
      const problem = list.getByRole("button", { name: /error at line 2, column 13: family "web -app" is invalid/ });
      assert.equal(await problem.count(), 1);
      assert.match(await page.getByTestId("validation-status").textContent(), /^1 error: AWS would reject/);
      assert.equal(await page.locator(".gutter-line.has-error").textContent(), "2");
      assert.match(await page.locator(".squiggle-error").textContent(), /"web -app"/);
      assert.match(await page.getByTestId("placement-summary").textContent(), /Fix the errors/);

      // Choosing the problem selects its range in the editor.
      await problem.click();
      const selected = await page.evaluate(() => {
        const a = document.querySelector("textarea");
        return a.value.slice(a.selectionStart, a.selectionEnd);
      });
      assert.equal(selected, '"web -app"');
      if (base === "/") await page.screenshot({ path: join(screenshots, "02-typed-mistake.png"), fullPage: true });
      await assertAccessible(page, "a document with a problem");

      // Delete the space again.
      await typeAt(page, " -app", "");
      await page.keyboard.press("Delete");
      await page.getByText("Valid: AWS would accept this task definition").waitFor();
      assert.equal(await page.getByTestId("problems").count(), 0);
      assert.match(await page.getByTestId("placement-summary").textContent(), /^Placed on/);
      await assertClean(page, problems);
      await context.close();
    });

    test("a JSON syntax error points at the exact line and column", async () => {
      const { context, page, problems } = await openPlayground(url);
      // Remove the comma after "bridge" on line 3.
      await typeAt(page, '",\n  "requiresCompatibilities"', "");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Delete");
      const problem = page.getByTestId("problems").getByRole("button", { name: /error at line 4, column 3: expected `,` between object members/ });
      await problem.waitFor();
      assert.match(await page.getByTestId("validation-status").textContent(), /^1 error/);
      await assertClean(page, problems);
      await context.close();
    });
  });
}

test("an oversized task explains, in ECS's words, why nothing fits", async () => {
  const { server, url } = await serveDist();
  const { context, page, problems } = await openPlayground(url, { colorScheme: "dark" });
  const editor = page.getByRole("textbox", { name: "Task definition JSON" });
  const text = await editor.inputValue();
  await editor.fill(text.replace('"memory": 512,\n      "memoryReservation": 384', '"memory": 9000'));
  const summary = page.getByTestId("placement-summary");
  await page.getByText("was unable to place a task").waitFor();
  assert.match(await summary.textContent(), /no container instance met all of its requirements\. The closest matching container-instance i-[0-9a-f]+ has insufficient memory available\./);
  await page.screenshot({ path: join(screenshots, "03-unplaceable-dark.png"), fullPage: true });
  await assertClean(page, problems);
  await context.close();
  server.close();
});

test("the Content-Security-Policy is enforced: an injected inline script is blocked", async () => {
  const { server, url } = await serveDist();
  const { context, page } = await openPlayground(url);
  const ran = await page.evaluate(async () => {
    window.__injectedRan = false;
    const s = document.createElement("script");
    s.textContent = "window.__injectedRan = true";
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.__injectedRan;
  });
  assert.equal(ran, false, "inline script must not run");
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.ok(violations.some((v) => v.startsWith("script-src")), `expected a script-src violation, got ${violations}`);
  await context.close();
  server.close();
});
