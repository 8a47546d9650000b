// End-to-end: authoring journeys. A pasted describe-task-definition output is
// fixed through quick fixes and exported; every import form arrives by paste,
// file picker and drag and drop; a cluster and a service are built with forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openPlayground as open, assertClean, assertAccessible, screenshots, useServedPlayground } from "./support.mjs";

const served = useServedPlayground();

const openPlayground = (options) => open(served.browser, served.url, options);
const shot = (page, name) => page.screenshot({ path: join(screenshots, `author-${name}.png`), fullPage: true });
const docs = (page) => page.getByRole("navigation", { name: "Workspace documents" });
const docNames = (page) => docs(page).locator(".doc-name").allTextContents();
const editor = (page) => page.locator(".editor-panel").getByRole("textbox", { name: / JSON$/ });
const status = (page) => page.getByTestId("validation-status");
const formTag = (page) => page.locator(".editor-panel .form-tag");

const READ_ONLY = ["taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy"];

// What `aws ecs describe-task-definition` prints, with two mistakes: a Fargate
// size AWS refuses (cpu 256 with 4 GB) and a port written as a string.
const DESCRIBED = `{
  "taskDefinition": {
    "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/checkout:12",
    "containerDefinitions": [
      {
        "name": "checkout",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:2.4.1",
        "cpu": 0,
        "portMappings": [
          { "containerPort": "8080", "hostPort": 8080, "protocol": "tcp" }
        ],
        "essential": true,
        "environment": [{ "name": "STAGE", "value": "prod" }],
        "mountPoints": [],
        "volumesFrom": [],
        "logConfiguration": {
          "logDriver": "awslogs",
          "options": {
            "awslogs-group": "/ecs/checkout",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "ecs"
          }
        },
        "systemControls": []
      }
    ],
    "family": "checkout",
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "networkMode": "awsvpc",
    "revision": 12,
    "volumes": [],
    "status": "ACTIVE",
    "requiresAttributes": [
      { "name": "com.amazonaws.ecs.capability.logging-driver.awslogs" },
      { "name": "ecs.capability.execution-role-awslogs" },
      { "name": "ecs.capability.task-eni" }
    ],
    "placementConstraints": [],
    "compatibilities": ["EC2", "FARGATE"],
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "256",
    "memory": "4096",
    "registeredAt": "2025-03-14T09:26:53.512000+00:00",
    "registeredBy": "arn:aws:sts::123456789012:assumed-role/deploy/ci"
  },
  "tags": []
}
`;

async function download(page, buttonName) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: buttonName, exact: true }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

test("a pasted describe-task-definition output is fixed through quick fixes and exported as register input and CloudFormation", async () => {
  const { context, page, problems } = await openPlayground();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("textbox", { name: "Paste here" }).fill(DESCRIBED);
  await page.getByRole("button", { name: "Import pasted text" }).click();
  await page.getByText("Imported a task definition and opened it.").waitFor();
  assert.deepEqual(await docNames(page), ["web-app", "checkout", "demo", "web"]);
  assert.equal(await formTag(page).textContent(), "describe-task-definition output");
  assert.match(await status(page).textContent(), /^1 error: AWS would reject this task definition/);
  const list = page.getByTestId("problems");
  assert.equal(await list.getByRole("button", { name: /error at line \d+, column \d+: Invalid 'cpu' setting for task: Fargate does not support cpu 256 with memory 4096 MiB/ }).count(), 1);
  assert.equal(await list.getByRole("button", { name: /warning at line 10, .*expects an integer, found the string "8080"/ }).count(), 1);
  await shot(page, "01-imported-describe-output");
  await assertAccessible(page, "an imported describe output with problems");

  // With an error, export refuses and says why: nothing fails silently.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await page.getByRole("button", { name: "Task definition (CloudFormation resource)", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "checkout was not exported: AWS would reject it (1 error)." }).waitFor();
  await page.getByRole("button", { name: "Export", exact: true }).click();

  // Quick fixes, one at a time, from the problems list.
  await page.getByRole("button", { name: "Fix: Use the nearest valid size: cpu 512, memory 4096" }).click();
  await page.getByText("Valid, with 1 warning").waitFor();
  await page.getByRole("button", { name: "Fix: Remove the quotes" }).click();
  await page.getByText("Valid: AWS would accept this task definition").waitFor();
  const fixed = await editor(page).inputValue();
  assert.equal(fixed, DESCRIBED.replace('"containerPort": "8080"', '"containerPort": 8080').replace('"cpu": "256"', '"cpu": "512"'), "the fixes changed only their values");
  // The read-only fields are reported, not errors.
  assert.equal(await list.getByRole("button", { name: /^info .*taskDefinitionArn is a read-only field/ }).count(), 1);

  await page.getByRole("button", { name: "Export", exact: true }).click();
  const register = await download(page, "Task definition (register-task-definition input)");
  assert.equal(register.name, "checkout.json");
  const input = JSON.parse(register.text);
  for (const field of READ_ONLY) assert.equal(input[field], undefined, `${field} is cut from register input`);
  assert.equal(input.taskDefinition, undefined, "the describe wrapper is gone");
  assert.equal(input.family, "checkout");
  assert.equal(input.cpu, "512");
  assert.equal(input.memory, "4096");
  assert.equal(input.containerDefinitions[0].portMappings[0].containerPort, 8080);
  assert.match(register.text, /\{ "containerPort": 8080, "hostPort": 8080, "protocol": "tcp" \}/, "the user's own formatting is kept");

  const cloudformation = await download(page, "Task definition (CloudFormation resource)");
  assert.equal(cloudformation.name, "checkout-cloudformation.json");
  const resource = JSON.parse(cloudformation.text);
  assert.equal(resource.Type, "AWS::ECS::TaskDefinition");
  assert.equal(resource.Properties.Family, "checkout");
  assert.equal(resource.Properties.Cpu, "512");
  assert.equal(resource.Properties.Memory, "4096");
  assert.deepEqual(resource.Properties.RequiresCompatibilities, ["FARGATE"]);
  const container = resource.Properties.ContainerDefinitions[0];
  assert.equal(container.PortMappings[0].ContainerPort, 8080);
  assert.equal(container.LogConfiguration.Options["awslogs-group"], "/ecs/checkout", "option keys are data, not properties");
  for (const field of ["TaskDefinitionArn", "Revision", "Status", "RequiresAttributes", "Compatibilities", "RegisteredAt", "RegisteredBy"]) {
    assert.equal(resource.Properties[field], undefined, `${field} is not a CloudFormation property`);
  }
  await shot(page, "02-fixed-and-exported");
  await assertAccessible(page, "the export panel");
  await assertClean(page, problems);
  await context.close();
});

const CONTAINERS = JSON.stringify([{ name: "worker", image: "public.ecr.aws/docker/library/busybox:latest", essential: true, memory: 128 }], null, 2);
const TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: "2010-09-09",
  Resources: {
    Api: {
      Type: "AWS::ECS::TaskDefinition",
      Properties: { Family: "api", ContainerDefinitions: [{ Name: "api", Image: "public.ecr.aws/nginx/nginx:1.27", Memory: 256, Essential: true }] },
    },
  },
}, null, 2);
const RESOURCE = JSON.stringify({ Type: "AWS::ECS::TaskDefinition", Properties: { Family: "batch", ContainerDefinitions: [{ Name: "job", Image: "public.ecr.aws/docker/library/alpine:3", Memory: 64 }] } }, null, 2);
const PROPERTIES = JSON.stringify({ Family: "cron", ContainerDefinitions: [{ Name: "tick", Image: "public.ecr.aws/docker/library/alpine:3", Memory: 64 }] }, null, 2);
const UNWRAPPED = JSON.stringify({ taskDefinitionArn: "arn:aws:ecs:us-east-1:123456789012:task-definition/mail:3", family: "mail", revision: 3, status: "ACTIVE", containerDefinitions: [{ name: "smtp", image: "public.ecr.aws/docker/library/postfix:3", memory: 128, essential: true }] }, null, 2);
const BROKEN_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Web:
    Type: [AWS::ECS::TaskDefinition
`;
const YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Web:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: from-yaml
      ContainerDefinitions:
        - Name: web
          Image: public.ecr.aws/nginx/nginx:1.27
          Memory: 256
`;

/** Drops a file on `target` as a browser does: a drop event carrying it. */
async function dropFile(page, target, name, text) {
  const dataTransfer = await page.evaluateHandle(([name, text]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: "application/json" }));
    return transfer;
  }, [name, text]);
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

async function expectImported(page, name, form) {
  await docs(page).getByRole("button", { name: new RegExp(`^${name}( revision|$)`) }).waitFor();
  assert.equal(await formTag(page).textContent(), form);
  assert.equal((await docNames(page)).filter((n) => n === name).length, 1, `${name} imported once`);
}

test("every task definition form imports by paste, file picker and drag and drop, CloudFormation YAML through a reader loaded on demand", async () => {
  const { context, page, problems } = await openPlayground();
  const importButton = page.getByRole("button", { name: "Import", exact: true });
  const paste = async (text) => {
    if ((await page.getByRole("textbox", { name: "Paste here" }).count()) === 0) await importButton.click();
    await page.getByRole("textbox", { name: "Paste here" }).fill(text);
    await page.getByRole("button", { name: "Import pasted text" }).click();
  };

  // Paste: a bare containerDefinitions array and an unwrapped described task definition.
  await paste(CONTAINERS);
  await page.getByText("Imported a task definition and opened it.").waitFor();
  assert.equal(await formTag(page).textContent(), "a bare containerDefinitions array");
  await paste(UNWRAPPED);
  await expectImported(page, "mail", "a task definition from describe-task-definition");

  // File picker: a CloudFormation template in JSON.
  await importButton.click();
  await page.locator("input[type=file][multiple]").setInputFiles({ name: "template.json", mimeType: "application/json", buffer: Buffer.from(TEMPLATE) });
  await expectImported(page, "api", "a CloudFormation template");

  // Drag and drop on the import panel: a CloudFormation resource.
  await importButton.click();
  await dropFile(page, page.getByRole("region", { name: "Import" }), "resource.json", RESOURCE);
  await expectImported(page, "batch", "a CloudFormation AWS::ECS::TaskDefinition resource");

  // Drag and drop anywhere on the page: a resource's Properties.
  await dropFile(page, page.getByRole("navigation", { name: "Workspace documents" }), "properties.json", PROPERTIES);
  await expectImported(page, "cron", "the Properties of a CloudFormation AWS::ECS::TaskDefinition");

  // CloudFormation YAML: the workbench's reader (dist/workbench/) is fetched
  // only now, and the template becomes a register-task-definition JSON document.
  const yamlReaderLoaded = () => page.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.includes("/workbench/")));
  assert.equal(await yamlReaderLoaded(), false, "the YAML reader is not part of the first load");
  await paste(YAML);
  await expectImported(page, "from-yaml", "RegisterTaskDefinition input");
  assert.equal(await yamlReaderLoaded(), true);
  assert.match(await editor(page).inputValue(), /"family": "from-yaml"[\s\S]*"image": "public\.ecr\.aws\/nginx\/nginx:1\.27"/);

  // YAML the reader cannot read says where, and the work is untouched.
  const before = await docNames(page);
  await paste(BROKEN_YAML);
  const refusal = page.getByRole("alert").filter({ hasText: "The pasted text could not be read: line 5" });
  await refusal.waitFor();
  assert.deepEqual(await docNames(page), before);
  assert.equal(await page.getByRole("textbox", { name: "Paste here" }).inputValue(), BROKEN_YAML, "the pasted text stays to be mended");
  await shot(page, "03-import-yaml");
  await assertAccessible(page, "a YAML import and an unreadable one");
  await assertClean(page, problems);
  await context.close();
});

test("a cluster and a service are built with the forms, with the service's own diagnostics inline", async () => {
  const { context, page, problems } = await openPlayground();
  const view = (kind, name) => page.getByRole("group", { name: `${kind} view` }).getByRole("button", { name, exact: true });

  await docs(page).getByRole("button", { name: "New cluster" }).click();
  await view("Cluster", "Form").click();
  const cluster = page.getByRole("form", { name: "Cluster form" });
  await cluster.getByLabel("Cluster name").fill("shop");
  const group = cluster.getByRole("group", { name: "Instance group 1" });
  await group.getByLabel("Instance type").selectOption("m5.xlarge");
  await group.getByLabel("Group name").fill("general");
  await group.getByLabel("Instances").fill("3");
  await group.getByLabel("Availability Zones (comma-separated)").fill("us-east-1a, us-east-1b, us-east-1c");
  await cluster.getByLabel("FARGATE", { exact: true }).check();
  await page.getByText("Valid: AWS would accept this cluster").waitFor();
  assert.equal(await page.locator(".instance").count(), 3, "the cluster panel shows the three instances");
  await shot(page, "04-cluster-form");
  await assertAccessible(page, "the cluster form");

  await docs(page).getByRole("button", { name: "New service" }).click();
  const service = page.getByRole("form", { name: "Service form" });
  await service.waitFor();
  await service.getByLabel("Service name").fill("checkout api");
  // The engine's CreateService diagnostic appears beside the field it concerns.
  const name = service.getByLabel("Service name");
  const nameError = service.locator(".field-error", { hasText: /checkout api/ });
  await nameError.waitFor();
  assert.ok((await name.getAttribute("aria-describedby")).split(" ").includes(await nameError.getAttribute("id")));
  await name.fill("checkout");
  await nameError.waitFor({ state: "detached" });
  await service.getByLabel("Desired tasks").fill("3");
  await service.getByLabel("Cluster", { exact: true }).fill("shop");
  await service.getByRole("combobox", { name: "Launch type" }).selectOption("EC2");
  await service.getByLabel("Placement template").selectOption("az-balanced-spread");
  await service.getByLabel("Use the Amazon ECS deployment circuit breaker").check();
  await service.getByLabel("Rollback on failure").check();
  await page.getByText("Valid: AWS would accept this service").waitFor();
  assert.match(await page.getByTestId("placement-summary").textContent(), /^Placed on i-[0-9a-f]+/);
  // The cluster panel shows the cluster the service names.
  const instances = await page.locator(".instance").allTextContents();
  assert.equal(instances.length, 3);
  assert.ok(instances.every((text) => text.includes("m5.xlarge")), "the shop cluster's instances");

  await view("Service", "JSON").click();
  const json = JSON.parse(await editor(page).inputValue());
  assert.deepEqual(json, {
    cluster: "shop",
    serviceName: "checkout",
    taskDefinition: "web-app",
    desiredCount: 3,
    launchType: "EC2",
    placementStrategy: [{ type: "spread", field: "attribute:ecs.availability-zone" }, { type: "spread", field: "instanceId" }],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
  });
  await view("Service", "Form").click();
  await shot(page, "05-service-form");
  await assertAccessible(page, "the service form");

  // A network configuration for a bridge-mode task: the service's own error, in its section.
  await service.getByLabel("Subnets (comma-separated)").fill("subnet-0a1b2c3d");
  const networking = service.getByRole("group", { name: "Networking (awsvpc network mode)" });
  await networking.locator(".field-error").first().waitFor();
  assert.match(await status(page).textContent(), /error.*AWS would reject this service/);
  await networking.scrollIntoViewIfNeeded();
  await shot(page, "06-service-form-error");
  await assertAccessible(page, "the service form with an error");
  await assertClean(page, problems);
  await context.close();
});
