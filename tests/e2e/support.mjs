// Shared helpers for the end-to-end tests: one browser, the static server,
// a page that records everything that must never happen, and axe-core.
import assert from "node:assert/strict";
import { before, after } from "node:test";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const dist = join(root, "dist");
export const artifacts = process.env.ARTIFACTS ?? join(root, "artifacts");
export const screenshots = join(artifacts, "screenshots");
mkdirSync(screenshots, { recursive: true });

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

export { serve };

/** Serves dist/ at `base` for the duration of a test file. */
export async function serveDist(base = "/") {
  return serve({ dir: dist, base });
}

/**
 * One browser and one server of dist/ (at `base`) for all the tests of a
 * file: started before the first test, closed after the last. Tests read
 * `served.browser` and `served.url`.
 */
export function useServedPlayground(base = "/") {
  const served = { browser: undefined, server: undefined, url: undefined };
  before(async () => {
    served.browser = await launchBrowser();
    Object.assign(served, await serveDist(base));
  });
  after(async () => {
    served.server?.close();
    await served.browser?.close();
  });
  return served;
}

/**
 * Opens the playground in a fresh context and watches everything that must
 * never happen: console errors, uncaught page errors, CSP violations and
 * requests to other origins. `assertClean(page, problems)` checks them.
 * `path` is appended to the served URL (e.g. "?embed" or "#v1.…").
 */
export async function openPlayground(browser, url, { colorScheme = "light", path = "", viewport, context: existing, waitFor = "validation-status" } = {}) {
  const context = existing ?? (await browser.newContext({ viewport: viewport ?? { width: 1360, height: 900 }, colorScheme }));
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(url).origin;
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("request", (req) => {
    if (!req.url().startsWith("data:") && !req.url().startsWith("blob:") && new URL(req.url()).origin !== origin) {
      problems.push(`request to another origin: ${req.url()}`);
    }
  });
  // Init scripts are injected by the browser itself, not subject to the page's CSP.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`);
    });
  });
  const response = await page.goto(url + path);
  assert.equal(response.status(), 200);
  if (waitFor) await page.getByTestId(waitFor).waitFor();
  return { context, page, problems, response };
}

export async function assertClean(page, problems) {
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], "no Content-Security-Policy violations");
  assert.deepEqual(problems, [], "no console errors, page errors or foreign requests");
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core on the page and fails on serious or critical violations.
 * axe is evaluated through the DevTools protocol, which the page's CSP does
 * not govern, so the page itself stays under its strict policy.
 */
export async function assertAccessible(page, label = "page") {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const serious = results.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious, [], `${label}: axe found serious or critical violations`);
  return results;
}

/** Places the caret just before the first occurrence of `needle` in the editor and types `keys`. */
export async function typeAt(page, needle, keys) {
  const editor = page.getByRole("textbox", { name: "Task definition JSON" });
  await editor.click();
  await page.evaluate((needle) => {
    const area = document.querySelector("textarea");
    const at = area.value.indexOf(needle);
    area.setSelectionRange(at, at);
  }, needle);
  await page.keyboard.type(keys);
}

/** The run page's `aws ecs` console prompt. */
export function consoleInput(page) {
  return page.getByRole("combobox", { name: "AWS CLI command line" });
}

/** Types a line into the console, runs it and returns what it printed. */
export async function runLine(page, line) {
  const entries = page.getByTestId("console-entry");
  const before = await entries.count();
  const input = consoleInput(page);
  await input.fill(line);
  await input.press("Enter");
  await entries.nth(before).waitFor();
  const output = entries.nth(before).locator("pre").nth(1);
  await page.waitForFunction(
    (i) => {
      const pre = document.querySelectorAll("[data-testid=console-entry]")[i]?.querySelectorAll("pre")[1];
      return pre && pre.textContent !== "…";
    },
    before,
  );
  return output.textContent();
}

/** A task definition of about `bytes`: ten containers with many environment variables. */
export function taskDefinitionOf(bytes) {
  const withVariables = (count) => {
    const containers = Array.from({ length: 10 }, (_, c) => ({
      name: `app-${c}`, image: `public.ecr.aws/nginx/nginx:1.${c}`, essential: c === 0, cpu: 64, memory: 256, environment: [],
    }));
    for (let i = 0; i < count; i++) {
      containers[i % 10].environment.push({ name: `SETTING_${String(i).padStart(6, "0")}`, value: `value-${i}-lorem-ipsum` });
    }
    return JSON.stringify({ family: "big-app", networkMode: "bridge", requiresCompatibilities: ["EC2"], containerDefinitions: containers }, null, 2);
  };
  const sample = 1000;
  return withVariables(Math.round((sample * bytes) / withVariables(sample).length));
}
