// The SDK example: loads the SDK on demand, walks through a small service
// rollout and lets the reader make calls of their own. Everything shown is
// what the SDK returned; this file only formats it.
import init, { Ecs } from "./ecs-playground.js";

const TASK_DEFINITION = {
  family: "web",
  containerDefinitions: [
    { name: "app", image: "public.ecr.aws/nginx/nginx:1.27", cpu: 256, memory: 512, portMappings: [{ containerPort: 80 }] },
  ],
};

// Each step: a title, the operation and its request. AdvanceClock moves virtual time.
const WALKTHROUGH = [
  ["Create a cluster", "CreateCluster", { clusterName: "demo" }],
  ["Launch three container instances", "Simulator.LaunchInstances", { cluster: "demo", instanceType: "m5.large", count: 3 }],
  ["Register a task definition", "RegisterTaskDefinition", TASK_DEFINITION],
  ["Create a service of three tasks", "CreateService", { cluster: "demo", serviceName: "web", taskDefinition: "web:1", desiredCount: 3 }],
  ["Let five virtual minutes pass", "Simulator.AdvanceClock", { seconds: 300 }],
  ["Describe the service", "DescribeServices", { cluster: "demo", services: ["web"] }],
  ["Describe a service in a cluster that does not exist", "DescribeServices", { cluster: "missing", services: ["web"] }],
];

const $ = (id) => document.getElementById(id);

/** The one line a step shows above its response. */
function headline(operation, response) {
  if (response.__type) return `${response.__type}: ${response.message}`;
  switch (operation) {
    case "CreateCluster":
      return `clusterArn: ${response.cluster.clusterArn}`;
    case "Simulator.LaunchInstances":
      return `containerInstanceArns: ${response.containerInstanceArns.length}`;
    case "RegisterTaskDefinition":
      return `taskDefinitionArn: ${response.taskDefinition.taskDefinitionArn}`;
    case "CreateService":
      return `serviceArn: ${response.service.serviceArn}`;
    case "Simulator.AdvanceClock":
      return `now: ${response.now} s`;
    case "DescribeServices": {
      const [service] = response.services;
      return service
        ? `runningCount: ${service.runningCount}, rolloutState: ${service.deployments[0]?.rolloutState}`
        : `failures: ${response.failures.map((f) => f.reason).join(", ")}`;
    }
    default:
      return "ok";
  }
}

function show(list, title, operation, request, response) {
  const item = document.createElement("li");
  const heading = document.createElement("h3");
  heading.textContent = `${title}: ${operation}`;
  const summary = document.createElement("p");
  summary.textContent = headline(operation, response);
  if (response.__type) summary.className = "error";
  const details = document.createElement("details");
  const label = document.createElement("summary");
  label.textContent = "Request and response";
  const body = document.createElement("pre");
  body.textContent = `${JSON.stringify(request, null, 2)}\n→\n${JSON.stringify(response, null, 2)}`;
  details.append(label, body);
  item.append(heading, summary, details);
  list.append(item);
}

async function main() {
  await init();
  const ecs = new Ecs(JSON.stringify({ seed: 7 }));
  const call = (operation, request) => JSON.parse(ecs.call(operation, JSON.stringify(request)));
  for (const [title, operation, request] of WALKTHROUGH) {
    show($("steps"), title, operation, request, call(operation, request));
  }
  $("try").addEventListener("submit", (event) => {
    event.preventDefault();
    // The SDK answers text that is not JSON with a SerializationException.
    const response = ecs.call($("operation").value.trim(), $("request").value);
    $("response").textContent = JSON.stringify(JSON.parse(response), null, 2);
  });
  $("status").textContent = `Ready: virtual time ${ecs.now() / 1000} s.`;
  $("status").dataset.ready = "true";
}

main().catch((error) => {
  $("status").textContent = `The SDK failed to load: ${error}`;
  $("status").className = "error";
});
