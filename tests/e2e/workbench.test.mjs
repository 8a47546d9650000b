// End-to-end: the workbench (dist/workbench/, loaded on demand) — a folder of
// JSON, YAML, Compose and Terraform files imported at once with the
// workspace summary, a Terraform file's findings in its own text, a file
// opened in the editor, two task definitions compared; pasted Terraform and
// Compose read like files; a pasted describe output compared with the
// workspace's open document, with its deployment run on the run page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPlayground as open, assertClean, assertAccessible, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();
const shot = (page, name) => page.screenshot({ path: join(screenshots, `workbench-${name}.png`), fullPage: false });
const editorText = (page) => page.locator(".editor-panel").getByRole("textbox", { name: / JSON$/ }).inputValue();
const workbenchLoaded = (page) => page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/workbench/")));
const docNames = (page) => page.getByRole("navigation", { name: "Workspace documents" }).locator(".doc-name").allTextContents();

const WEB_V1 = JSON.stringify({
  family: "shop-web",
  containerDefinitions: [{ name: "web", image: "public.ecr.aws/nginx/nginx:1.26", memory: 512, essential: true }],
}, null, 2);
const WEB_V2 = WEB_V1.replace("nginx:1.26", "nginx:1.27");
const SERVICE = JSON.stringify({ serviceName: "shop web", cluster: "shop", taskDefinition: "shop-web:1", desiredCount: 2 }, null, 2);
const CLOUDFORMATION = `Resources:
  Worker:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: shop-worker
      ContainerDefinitions:
        - Name: worker
          Image: public.ecr.aws/docker/library/busybox:1.36
          Memory: 128
`;
const COMPOSE = `services:
  cache:
    image: public.ecr.aws/docker/library/redis:7
    ports:
      - "6379:6379"
    deploy:
      resources:
        limits:
          memory: 256M
`;
// The service's name has a space: CreateService refuses it, on line 7.
const TERRAFORM = `resource "aws_ecs_cluster" "shop" {
  name = "shop"
}

resource "aws_ecs_service" "api" {
  cluster         = aws_ecs_cluster.shop.id
  name            = "shop api"
  task_definition = "shop-web:2"
  desired_count   = 2
}
`;

function folder() {
  const dir = mkdtempSync(join(tmpdir(), "ecs-workbench-"));
  const files = {
    "shop/taskdefs/web.json": WEB_V1,
    "shop/taskdefs/web-next.json": WEB_V2,
    "shop/services/web.json": SERVICE,
    "shop/cloudformation/worker.yaml": CLOUDFORMATION,
    "shop/compose.yaml": COMPOSE,
    "shop/infra/main.tf": TERRAFORM,
    "shop/README.md": "# Shop\nThe serviceName is in services/.\n",
    "shop/package.json": JSON.stringify({ name: "shop", version: "1.0.0" }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, root: join(dir, "shop") };
}

test("a folder imports at once: every file classified and checked, a summary, Terraform findings in the .tf text, and a diff", async () => {
  const { context, page, problems } = await open(served.browser, served.url);
  const { dir, root } = folder();
  const workbenchLoaded = () => page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/workbench/")));
  assert.equal(await workbenchLoaded(), false, "the workbench is not part of the first load");

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.locator("input[type=file][webkitdirectory]").setInputFiles(root);
  const dialog = page.getByRole("dialog", { name: "Imported files" });
  await dialog.waitFor();
  assert.equal(await workbenchLoaded(), true);

  // The summary: what each file holds, by content, and the findings by severity.
  const summary = await dialog.getByTestId("workbench-summary").textContent();
  assert.match(summary, /^8 files: checked 6 \(4 task definitions, 1 service, 1 Terraform\), skipped 2 with no ECS document; /, summary);
  assert.match(summary, /[1-9]\d* errors?, /, summary);
  assert.match(summary, /\. 7 documents added to the workspace when this closes\.$/, summary);
  const holds = async (path) => (await dialog.getByRole("row", { name: new RegExp(`^${path.replace(/[.]/g, "\\.")}`) }).locator("td").first().textContent());
  assert.equal(await holds("shop/compose.yaml"), "task definition");
  assert.equal(await holds("shop/cloudformation/worker.yaml"), "task definition");
  assert.equal(await holds("shop/infra/main.tf"), "Terraform");
  assert.equal(await holds("shop/README.md"), "no ECS document");
  assert.doesNotMatch(await dialog.textContent(), /null|undefined/, "nothing absent is printed");
  await shot(page, "01-folder-summary");

  // A Terraform file opens with its findings at their lines in the .tf text.
  await dialog.getByRole("button", { name: "shop/infra/main.tf" }).click();
  const tfText = dialog.getByRole("region", { name: "shop/infra/main.tf with its findings" });
  await tfText.waitFor();
  const findings = await tfText.getByTestId("workbench-finding").allTextContents();
  assert.ok(findings.some((f) => /^7:\d+ error \[service-name-format\]/.test(f)), findings.join("\n"));
  assert.match(await tfText.locator(".workbench-line-error").first().textContent(), /^7\s+name\s+= "shop api"$/);
  await tfText.scrollIntoViewIfNeeded();
  await shot(page, "02-terraform-findings");

  // Two revisions compared by the engine: the changed image, and what UpdateService does.
  await dialog.getByLabel("First (the running revision)").selectOption({ label: "shop/taskdefs/web.json" });
  await dialog.getByLabel("Second (the new revision)").selectOption({ label: "shop/taskdefs/web-next.json" });
  await dialog.getByRole("button", { name: "Compare" }).click();
  const diff = dialog.getByTestId("workbench-diff");
  const change = diff.getByRole("row", { name: /^containerDefinitions\[web\]\.image/ });
  await change.waitFor();
  assert.deepEqual(await change.locator("td").allTextContents(), ['"public.ecr.aws/nginx/nginx:1.26"', '"public.ecr.aws/nginx/nginx:1.27"']);
  assert.match(await diff.textContent(), /UpdateService with it starts a new deployment/);
  assert.match(await diff.textContent(), /Deployment: /);
  await diff.scrollIntoViewIfNeeded();
  await shot(page, "03-diff");
  await assertAccessible(page, "the workbench");

  // A file opens in the editor: the dialog closes, every file's documents are
  // added, and the chosen file's is the open document.
  await dialog.getByRole("button", { name: "shop/compose.yaml" }).click();
  await dialog.getByRole("heading", { name: /^shop\/compose\.yaml — task definition/ }).waitFor();
  await shot(page, "04-file-to-open");
  await dialog.getByRole("button", { name: "Open in the editor" }).click();
  await dialog.waitFor({ state: "detached" });
  const names = await docNames(page);
  for (const name of ["shop-web", "shop-worker", "shop", "shop api"]) assert.ok(names.includes(name), `${name} in ${names}`);
  assert.match(await editorText(page), /"image": "public\.ecr\.aws\/docker\/library\/redis:7"/);
  assert.equal(names.length, 3 + 7, names.join(", "));
  await shot(page, "05-opened-in-editor");
  await assertClean(page, problems);
  rmSync(dir, { recursive: true, force: true });
  await context.close();
});

test("pasted Compose and Terraform are read like files, by the workbench's reader", async () => {
  const { context, page, problems } = await open(served.browser, served.url);
  const pasteAndImport = async (text) => {
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByRole("textbox", { name: "Paste here" }).fill(text);
    await page.getByRole("button", { name: "Import pasted text" }).click();
  };
  assert.equal(await workbenchLoaded(page), false, "the reader is not part of the first load");
  await pasteAndImport(COMPOSE);
  await page.getByText("Imported a task definition and opened it.").waitFor();
  assert.equal(await workbenchLoaded(page), true);
  const text = await editorText(page);
  assert.match(text, /"image": "public\.ecr\.aws\/docker\/library\/redis:7"/);
  assert.match(text, /"containerPort": 6379/);
  await shot(page, "06-pasted-compose");

  // Terraform shows its findings in the pasted text first, as a .tf file does.
  await pasteAndImport(TERRAFORM);
  const dialog = page.getByRole("dialog", { name: "Imported files" });
  await dialog.waitFor();
  assert.match(await dialog.getByTestId("workbench-summary").textContent(), /^1 file: checked 1 \(1 Terraform\), skipped 0 .*\. 2 documents added to the workspace when this closes\.$/);
  const findings = await dialog.getByRole("region", { name: "pasted text with its findings" }).getByTestId("workbench-finding").allTextContents();
  assert.ok(findings.some((f) => /^7:\d+ error \[service-name-format\]/.test(f)), findings.join("\n"));
  // With no task definition among the files, the comparison offers a pasted revision against the open document.
  assert.equal(await dialog.getByLabel("First (the running revision)").inputValue(), "pasted");
  assert.equal(await dialog.getByLabel("Second (the new revision)").inputValue(), "workspace");
  await shot(page, "07-pasted-terraform");
  // The sidebar's items as they are before the documents are added.
  const items = page.getByRole("navigation", { name: "Workspace documents" }).locator(".doc-name");
  const namesBefore = await items.allTextContents();
  const itemsBefore = await items.elementHandles();
  await dialog.getByRole("button", { name: "Open in the editor" }).click();
  await dialog.waitFor({ state: "detached" });
  // The dialog is gone for the locator as soon as it is closed (hidden), but
  // its documents are handed over in its "close" event, a later task: the
  // sidebar is read once it has settled on them. The Terraform's cluster and
  // service join the example's, which stay.
  const expected = ["web-app", "compose", "demo", "shop", "web", "shop api"];
  let names = await docNames(page);
  for (let tries = 0; tries < 50 && JSON.stringify(names) !== JSON.stringify(expected); tries += 1) {
    await page.waitForTimeout(100);
    names = await docNames(page);
  }
  assert.deepEqual(names, expected);
  // Each item the sidebar had still names its document: adding documents
  // must not rewrite an item to name another one (the focused item, and any
  // element a script or a screen reader holds, would then name another
  // document; a read that found the items before the documents were added
  // and read their names after, as allTextContents does in two calls, saw
  // ["web-app", "compose", "shop", "shop api"]).
  assert.deepEqual(await Promise.all(itemsBefore.map((item) => item.textContent())), namesBefore);
  assert.match(await editorText(page), /"serviceName": "shop api"/);

  // Text no reader takes is refused with why, and the work is unchanged.
  await pasteAndImport("just some words\n");
  await page.getByRole("alert").filter({ hasText: "The pasted text could not be read" }).waitFor();
  assert.deepEqual(await docNames(page), names);
  await assertClean(page, problems);
  await context.close();
});

test("a pasted describe output compared with the open document: the fields, the deployment under the service's bounds, and a link that runs it", async () => {
  const { context, page, problems } = await open(served.browser, served.url);
  // The example workspace: web-app (open), cluster demo, service web with
  // desiredCount 2, minimumHealthyPercent 50, maximumPercent 200.
  const open_ = JSON.parse(await editorText(page));
  assert.equal(open_.family, "web-app");
  const running = structuredClone(open_);
  running.containerDefinitions[0].image = "public.ecr.aws/nginx/nginx:1.26";
  const described = JSON.stringify({ taskDefinition: { taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web-app:7", revision: 7, status: "ACTIVE", ...running } }, null, 2);

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("textbox", { name: "Paste here" }).fill(described);
  await page.getByRole("button", { name: "Compare with the open document" }).click();
  const dialog = page.getByRole("dialog", { name: "Compare revisions" });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel("First (the running revision)").inputValue(), "pasted");
  assert.equal(await dialog.getByLabel("Second (the new revision)").inputValue(), "workspace");
  const diff = dialog.getByTestId("workbench-diff");
  const change = diff.getByRole("row", { name: /^containerDefinitions\[web\]\.image/ });
  await change.waitFor();
  assert.deepEqual(await change.locator("td").allTextContents(), ['"public.ecr.aws/nginx/nginx:1.26"', '"public.ecr.aws/nginx/nginx:1.27"']);
  assert.equal(await diff.locator("tbody tr").count(), 1, "revision, status and the ARN are not registered fields");
  const said = await diff.textContent();
  assert.match(said, /The open document: web-app\. Its service: web in cluster demo \(desiredCount 2, minimumHealthyPercent 50, maximumPercent 200\)\./);
  assert.match(said, /UpdateService with it starts a new deployment/);
  // ceil(2 × 50%) = 1 stays healthy, floor(2 × 200%) = 4 may run.
  assert.equal(await diff.getByTestId("workbench-deployment").textContent(),
    "Deployment: At least 1 of 2 tasks stay healthy and at most 4 run: ECS starts up to 2 new tasks and stops up to 1 old one at first, then replaces the rest as new tasks become healthy.");
  assert.doesNotMatch(await dialog.textContent(), /null|undefined/, "nothing absent is printed");
  await shot(page, "08-compare-with-workspace");
  await assertAccessible(page, "the comparison with the workspace");

  // The same revision on both sides starts nothing, and offers no run.
  await dialog.getByLabel("A pasted revision").fill(JSON.stringify({ taskDefinition: open_ }));
  await dialog.getByRole("button", { name: "Compare" }).click();
  await diff.getByText(/UpdateService with the first's revision starts no deployment/).waitFor();
  assert.equal(await diff.getByRole("link", { name: "Run this deployment" }).count(), 0);
  await dialog.getByLabel("A pasted revision").fill(described);
  await dialog.getByRole("button", { name: "Compare" }).click();

  // The link runs it: the workspace on 1.26, then web-app:2 registered and deployed to web.
  const link = diff.getByRole("link", { name: "Run this deployment" });
  await link.waitFor();
  assert.match(await link.getAttribute("href"), /\/run\/#run=v1\./);
  await link.click();
  await page.waitForURL(/\/run\/#run=v1\./);
  await page.getByTestId("action-log").getByText("Register a new revision of web-app and deploy it to web").waitFor();
  const slider = page.getByRole("slider", { name: "Virtual time" });
  await slider.fill("50");
  const rows = page.getByTestId("deployments").locator("tbody tr");
  assert.equal(await rows.count(), 1, "one deployment before the update");
  assert.match(await rows.first().textContent(), /web-app:1/);
  await slider.fill("75");
  assert.equal(await rows.count(), 2, "UpdateService started a second deployment");
  assert.match(await rows.first().textContent(), /PRIMARY/);
  assert.match(await rows.first().textContent(), /web-app:2/);
  await shot(page, "09-run-the-deployment");
  await slider.fill("600");
  assert.match(await rows.first().textContent(), /web-app:2/);
  assert.match(await rows.first().textContent(), /COMPLETED/);
  await assertClean(page, problems);
  await context.close();
});

test("one Terraform file picked goes through the workbench; one JSON file does not load it", async () => {
  const { context, page, problems } = await open(served.browser, served.url);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.locator("input[type=file][multiple]").setInputFiles({ name: "web.json", mimeType: "application/json", buffer: Buffer.from(WEB_V1) });
  await page.getByText("Imported a task definition and opened it.").waitFor();
  assert.equal(await page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/workbench/"))), false);

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.locator("input[type=file][multiple]").setInputFiles({ name: "main.tf", mimeType: "text/plain", buffer: Buffer.from(TERRAFORM) });
  const dialog = page.getByRole("dialog", { name: "Imported files" });
  await dialog.waitFor();
  assert.match(await dialog.getByTestId("workbench-summary").textContent(), /^1 file: checked 1 \(1 Terraform\), skipped 0/);
  await dialog.getByRole("region", { name: "main.tf with its findings" }).getByTestId("workbench-finding").first().waitFor();
  await dialog.getByRole("button", { name: "Close" }).click();
  const names = await docNames(page);
  assert.ok(names.includes("shop api") && names.includes("shop"), names.join(", "));
  await assertClean(page, problems);
  await context.close();
});
