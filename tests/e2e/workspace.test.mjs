// End-to-end: the workspace — documents, autosave and recovery, undo, share
// links, embed mode, import and export — and that user text stays text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { openPlayground as open, assertClean, assertAccessible, screenshots, root, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

const STORAGE_KEY = "ecs-playground.workspace";
const BACKUP_KEY = "ecs-playground.workspace.unreadable";
const FIXED_V1_LINK = readFileSync(join(root, "crates/ecs-engine/src/share/fixed-v1-link.txt"), "utf8").trim();
const shot = (page, name) => page.screenshot({ path: join(screenshots, `workspace-${name}.png`), fullPage: true });

async function newContext(options = {}) {
  return served.browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: "light", ...options });
}
const openIn = (context, path = "", options = {}) => open(served.browser, served.url, { context, path, ...options });
const docs = (page) => page.getByRole("navigation", { name: "Workspace documents" });
// The open document's editor, whatever its kind ("Task definition JSON", "Service JSON", …).
const editor = (page) => page.locator(".editor-panel").getByRole("textbox", { name: / JSON$/ });
const notices = (page) => page.getByTestId("notice");
const docNames = (page) => docs(page).locator(".doc-name").allTextContents();

test("the default workspace has a task definition, a cluster and a service, and places the task", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web"]);
  assert.equal(await docs(page).getByRole("button", { name: /^web-app/ }).getAttribute("aria-current"), "true");
  assert.match(await page.getByTestId("placement-summary").textContent(), /^Placed on i-[0-9a-f]+ by spread\(attribute:ecs\.availability-zone\), binpack\(memory\)\.$/);
  assert.equal(await page.locator(".instance").count(), 3);

  // Opening the service keeps placing its task definition, and validates the service.
  await docs(page).getByRole("button", { name: /^web$/ }).click();
  await page.getByText("Valid: AWS would accept this service").waitFor();
  assert.match(await page.getByTestId("placement-summary").textContent(), /^Placed on/);
  await docs(page).getByRole("button", { name: /^web-app/ }).click();
  await page.getByTestId("save-state").waitFor();
  await shot(page, "01-default");
  await assertAccessible(page, "the default workspace");
  await assertClean(page, problems);
  await context.close();
});

test("work survives a reload, and undo and redo work across the workspace", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  await docs(page).getByRole("button", { name: "New service" }).click();
  await page.getByRole("button", { name: "Rename new-service" }).click();
  const nameInput = page.getByRole("textbox", { name: "Rename service" });
  await nameInput.fill("checkout");
  await page.getByRole("button", { name: "Save name" }).click();
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web", "checkout"]);
  assert.match(await editor(page).inputValue(), /"serviceName": "checkout"/);

  // Undo and redo from the keyboard, outside any text field.
  await page.locator("body").click({ position: { x: 5, y: 880 } });
  await page.keyboard.press("Control+z");
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web", "new-service"]);
  await page.keyboard.press("Control+z");
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web"]);
  await page.keyboard.press("Control+Shift+z");
  await page.keyboard.press("Control+y");
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web", "checkout"]);

  // Typing in the task definition, then reload.
  await docs(page).getByRole("button", { name: /^web-app/ }).click();
  const text = await editor(page).inputValue();
  await editor(page).fill(text.replace('"cpu": 256', '"cpu": 512'));
  await page.reload();
  await page.getByTestId("validation-status").waitFor();
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web", "checkout"]);
  await docs(page).getByRole("button", { name: /^web-app/ }).click();
  assert.match(await editor(page).inputValue(), /"cpu": 512/);
  assert.equal(await notices(page).count(), 0, "a clean reload says nothing");
  await assertClean(page, problems);
  await context.close();
});

test("a share link opens the same workspace in a fresh browser", async () => {
  const context = await newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const { page, problems } = await openIn(context);
  await docs(page).getByRole("button", { name: "New cluster" }).click();
  await page.getByRole("button", { name: "Share" }).click();
  await page.getByText("Link copied to the clipboard.").waitFor();
  const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 2000, `${link.length} characters`);
  assert.equal(await page.getByTestId("share-long").count(), 0);
  await shot(page, "02-share");
  await assertAccessible(page, "the share panel");
  const names = await docNames(page);
  const clusterText = await editor(page).inputValue();

  const fresh = await newContext();
  const opened = await open(served.browser, link, { context: fresh });
  assert.deepEqual(await docNames(opened.page), names);
  assert.equal(await editor(opened.page).inputValue(), clusterText);
  await opened.page.getByText("Opened the shared workspace.").waitFor();
  assert.equal(new URL(opened.page.url()).hash, "", "the link's fragment is cleared once read");
  await assertClean(opened.page, opened.problems);
  await assertClean(page, problems);
  await fresh.close();
  await context.close();
});

test("the workspace is accessible in the dark theme too", async () => {
  const context = await newContext({ colorScheme: "dark" });
  const { page, problems } = await openIn(context);
  await page.getByRole("button", { name: "Import" }).click();
  await shot(page, "08-dark-import");
  await assertAccessible(page, "dark theme with the import panel");
  await assertClean(page, problems);
  await context.close();
});

test("a v1 link from the first release still opens", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context, FIXED_V1_LINK);
  assert.deepEqual(await docNames(page), ["web-app", "ünïcode-☃", "demo", "api"]);
  await assertClean(page, problems);
  await context.close();
});

// The browser inflates links (DecompressionStream): a bomb stops at the
// engine's limit of 16 MiB and corrupt data is refused, the work untouched.
test("a deflate bomb or corrupt data in a link is refused, and a pasted link imports", async () => {
  const link = (bytes) => "#v1." + deflateRawSync(bytes, { level: 9 }).toString("base64url");
  const bomb = link(Buffer.alloc(16 * 1024 * 1024 + 1, " "));
  const context = await newContext();
  for (const [fragment, message] of [
    [bomb, /damaged or incomplete.*Your current work is unchanged\./],
    ["#v1." + Buffer.from([0xff, 0xff, 0xff, 0xff]).toString("base64url"), /damaged or incomplete/],
    [link(Buffer.from("[1, 2]")), /does not hold a workspace/],
  ]) {
    const { page, problems } = await openIn(context, fragment);
    await page.getByRole("alert").filter({ hasText: message }).waitFor();
    assert.deepEqual(await docNames(page), ["web-app", "demo", "web"]);
    await assertClean(page, problems);
    await page.close();
  }
  const { page, problems } = await openIn(context);
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByRole("textbox", { name: "Paste here" }).fill(served.url + FIXED_V1_LINK);
  await page.getByRole("button", { name: "Import pasted text" }).click();
  await page.getByRole("dialog", { name: "Replace your workspace?" }).getByRole("button", { name: "Replace workspace" }).click();
  assert.deepEqual(await docNames(page), ["web-app", "ünïcode-☃", "demo", "api"]);
  await assertClean(page, problems);
  await context.close();
});

test("a link opened over existing work asks first, and undo brings the work back", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  await docs(page).getByRole("button", { name: "New task definition" }).click();
  await page.goto(served.url + FIXED_V1_LINK);
  const dialog = page.getByRole("dialog", { name: "Open the shared workspace?" });
  await dialog.waitFor();
  await shot(page, "03-confirm-link");
  await assertAccessible(page, "the confirmation dialog");
  await dialog.getByRole("button", { name: "Keep my work" }).click();
  assert.deepEqual(await docNames(page), ["web-app", "new-task", "demo", "web"]);

  await page.goto(served.url + FIXED_V1_LINK);
  await page.getByRole("dialog").getByRole("button", { name: "Open shared workspace" }).click();
  assert.deepEqual(await docNames(page), ["web-app", "ünïcode-☃", "demo", "api"]);
  await notices(page).getByRole("button", { name: "Undo" }).click();
  assert.deepEqual(await docNames(page), ["web-app", "new-task", "demo", "web"]);
  await assertClean(page, problems);
  await context.close();
});

test("broken and newer links say so and leave the work untouched", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  await docs(page).getByRole("button", { name: "New cluster" }).click();
  const before = await docNames(page);
  const cut = FIXED_V1_LINK.slice(0, FIXED_V1_LINK.length / 2 + 1);
  for (const [fragment, message] of [
    [cut, /damaged or incomplete.*Your current work is unchanged\./],
    ["#v1.%%%%", /characters a share link never has.*Your current work is unchanged\./],
    ["#v7.AAAA", /made by a newer version of ECS Playground \(share format v7/],
  ]) {
    await page.goto(served.url + fragment);
    await page.getByRole("alert").filter({ hasText: message }).waitFor();
    assert.deepEqual(await docNames(page), before);
  }
  await shot(page, "04-broken-link");
  await assertAccessible(page, "a broken link message");
  await assertClean(page, problems);
  await context.close();
});

test("a corrupt saved workspace is recovered, its raw copy kept, and the user told", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  await docs(page).getByRole("button", { name: "New service" }).click();
  await page.getByTestId("save-state").waitFor();
  const saved = await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY);
  const cut = saved.slice(0, saved.length - 40);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORAGE_KEY, cut]);
  await page.reload();
  await page.getByRole("alert").filter({ hasText: /Your saved workspace was damaged .* 3 documents could be recovered/ }).waitFor();
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web"]);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), BACKUP_KEY), cut);
  await shot(page, "05-recovered");
  await assertAccessible(page, "a recovered workspace");

  await page.evaluate((k) => localStorage.setItem(k, "\u0000 not json at all"), STORAGE_KEY);
  await page.reload();
  await page.getByRole("alert").filter({ hasText: /could not be read .* the example workspace is open/ }).waitFor();
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), BACKUP_KEY), "\u0000 not json at all");
  await assertClean(page, problems);
  await context.close();
});

test("a full storage quota is shown, not swallowed", async () => {
  const context = await newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  const { page, problems } = await openIn(context);
  await page.getByRole("alert").filter({ hasText: /could not be saved: this browser's storage for the page is full/ }).waitFor();
  await assertClean(page, problems);
  await context.close();
});

test("embed mode is compact, read-only until Edit, and Reset goes back to the link's workspace", async () => {
  const context = await newContext({ viewport: { width: 900, height: 700 } });
  const { page, problems } = await openIn(context, "?embed" + FIXED_V1_LINK);
  assert.equal(await page.locator("textarea").count(), 0, "read-only by default");
  const code = page.getByLabel("Task definition JSON (read only)");
  assert.match(await code.textContent(), /"family": "ünïcode-☃"/);
  assert.equal(await page.getByRole("button", { name: "Import" }).count(), 0);
  await shot(page, "06-embed");
  await assertAccessible(page, "embed mode");

  await page.getByRole("button", { name: "Edit", exact: true }).click();
  assert.equal(await page.getByRole("button", { name: "Edit", exact: true }).getAttribute("aria-pressed"), "true");
  await editor(page).fill('{"family": "changed"}');
  assert.equal((await docNames(page))[1], "changed");
  await page.getByRole("button", { name: "Reset" }).click();
  assert.deepEqual(await docNames(page), ["web-app", "ünïcode-☃", "demo", "api"]);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY), null, "an embed never saves over the reader's own work");
  await assertClean(page, problems);
  await context.close();
});

test("a pasted describe-task-definition output is imported, and exports as register input and a CLI script", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  const described = JSON.stringify({
    taskDefinition: {
      taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/billing:7",
      family: "billing",
      revision: 7,
      status: "ACTIVE",
      networkMode: "bridge",
      containerDefinitions: [{ name: "api", image: "public.ecr.aws/docker/library/httpd:2.4", essential: true, memory: 256 }],
      compatibilities: ["EC2"],
    },
    tags: [],
  }, null, 2);
  await page.getByRole("button", { name: "Import" }).click();
  await assertAccessible(page, "the import panel");
  await page.getByRole("textbox", { name: "Paste here" }).fill(described);
  await page.getByRole("button", { name: "Import pasted text" }).click();
  await page.getByText("Imported a task definition and opened it.").waitFor();
  assert.deepEqual(await docNames(page), ["web-app", "billing", "demo", "web"]);
  assert.equal(await page.locator(".form-tag").first().textContent(), "describe-task-definition output");
  assert.equal(await editor(page).inputValue(), described);

  await page.getByRole("button", { name: "Export" }).click();
  const [registerFile] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Task definition (register-task-definition input)" }).click(),
  ]);
  assert.equal(registerFile.suggestedFilename(), "billing.json");
  const register = JSON.parse(readFileSync(await registerFile.path(), "utf8"));
  assert.deepEqual(Object.keys(register), ["family", "networkMode", "containerDefinitions"]);

  const [scriptFile] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "aws ecs command script" }).click(),
  ]);
  const script = readFileSync(await scriptFile.path(), "utf8");
  assert.match(script, /^#!\/bin\/sh\n/);
  assert.equal((script.match(/^aws ecs register-task-definition --cli-input-json '/gm) ?? []).length, 2);
  assert.match(script, /^aws ecs create-cluster --cli-input-json '/m);
  assert.match(script, /^aws ecs create-service --cli-input-json '/m);

  const [scenarioFile] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Scenario JSON" }).click(),
  ]);
  const scenario = JSON.parse(readFileSync(await scenarioFile.path(), "utf8"));
  assert.equal(scenario.format, "ecs-playground-scenario/1");
  assert.deepEqual(scenario.steps.map((s) => s.call), ["RegisterTaskDefinition", "RegisterTaskDefinition", "CreateCluster", "Simulator.LaunchInstances", "Simulator.LaunchInstances", "CreateService"]);
  await shot(page, "07-export");
  await assertClean(page, problems);
  await context.close();
});

test("an imported workspace file asks before replacing the work", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  const file = JSON.stringify({ format: "ecs-playground-workspace", version: 2, workspace: { documents: [{ id: "d1", kind: "service", name: "only", text: '{"serviceName": "only"}' }] } });
  await page.getByRole("button", { name: "Import" }).click();
  await page.locator("input[type=file][multiple]").setInputFiles({ name: "workspace.json", mimeType: "application/json", buffer: Buffer.from(file) });
  const dialog = page.getByRole("dialog", { name: "Replace your workspace?" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Replace workspace" }).click();
  assert.deepEqual(await docNames(page), ["only"]);
  await page.locator("body").click({ position: { x: 5, y: 880 } });
  await page.keyboard.press("Control+z");
  assert.deepEqual(await docNames(page), ["web-app", "demo", "web"]);
  await assertClean(page, problems);
  await context.close();
});

test("user text is rendered as text: markup in names, values and share links never runs", async () => {
  const context = await newContext();
  const { page, problems } = await openIn(context);
  const requested = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (/\/(x|y|z)$/.test(path) || r.url().includes("evil")) requested.push(r.url());
  });
  const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
  // In a name (sidebar, title, notices) …
  await page.getByRole("button", { name: "Rename web-app" }).click();
  await page.getByRole("textbox", { name: "Rename task definition" }).fill(payload);
  await page.getByRole("button", { name: "Save name" }).click();
  // … in an environment value …
  const text = await editor(page).inputValue();
  await editor(page).fill(text.replace('"essential": true,', `"essential": true,\n      "environment": [{ "name": "HTML", "value": "<img src=y onerror=window.__xss=3>" }],`));
  await page.getByRole("button", { name: `Delete ${payload}` }).click();
  await page.locator("body").click({ position: { x: 5, y: 880 } });
  await page.keyboard.press("Control+z");
  // … and through a share link made of them, opened fresh.
  await page.getByRole("button", { name: "Share" }).click();
  const link = await page.getByRole("textbox", { name: "Share link" }).inputValue();
  const fresh = await newContext();
  const opened = await open(served.browser, link, { context: fresh });
  opened.page.on("request", (r) => {
    if (/\/(x|y|z)$/.test(new URL(r.url()).pathname)) requested.push(r.url());
  });
  assert.equal((await docNames(opened.page))[0], payload);
  // A damaged link whose text is markup.
  await opened.page.goto(served.url + "#v1.<img src=z onerror=window.__xss=4>");
  await opened.page.getByRole("alert").filter({ hasText: /damaged/ }).waitFor();
  for (const p of [page, opened.page]) {
    assert.equal(await p.evaluate(() => window.__xss), undefined);
    assert.equal(await p.locator("img").count(), 0);
    assert.ok(await p.getByText(payload).first().isVisible());
  }
  assert.deepEqual(requested, []);
  await assertClean(page, problems);
  await assertClean(opened.page, opened.problems);
  await fresh.close();
  await context.close();
});
