"""The AWS CLI against the endpoint at the default clock speed: a service
rolled out, updated, failed and rolled back, with the CLI's own waiter,
pagination and error codes."""

import json
import subprocess
import sys
import time

from common import ENDPOINT, REGION, expect, identity_document, simulator

AWS = [sys.executable, "-m", "awscli"]


def aws(*args, check=True):
    run = subprocess.run(
        AWS + ["ecs", *args, "--endpoint-url", ENDPOINT, "--output", "json"],
        capture_output=True,
        text=True,
    )
    if check and run.returncode != 0:
        raise AssertionError(f"aws ecs {' '.join(args)} failed: {run.stderr}")
    if not check:
        return run
    return json.loads(run.stdout) if run.stdout.strip() else None


def main():
    aws("create-cluster", "--cluster-name", "shop")
    for n, zone in enumerate("abc", start=1):
        registered = aws(
            "register-container-instance",
            "--cluster", "shop",
            "--instance-identity-document", identity_document(n, zone),
            "--version-info", "agentVersion=1.90.0,dockerVersion=DockerVersion: 26.1.0",
        )["containerInstance"]
        expect(registered["ec2InstanceId"] == f"i-0{n:016x}", f"instance {n} registered from its identity document")
    listed = aws("list-container-instances", "--cluster", "shop")["containerInstanceArns"]
    expect(len(listed) == 3, "three container instances")

    containers = lambda image: json.dumps([{"name": "web", "image": image, "memory": 256, "essential": True}])
    aws("register-task-definition", "--family", "web", "--container-definitions", containers("nginx:1"))
    aws(
        "create-service", "--cluster", "shop", "--service-name", "web",
        "--task-definition", "web", "--desired-count", "3",
        "--placement-strategy", "type=spread,field=attribute:ecs.availability-zone",
    )
    started = time.monotonic()
    aws("wait", "services-stable", "--cluster", "shop", "--services", "web")
    waited = time.monotonic() - started
    expect(waited < 25, f"services-stable returned in {waited:.1f} s at the default speed")

    tasks = aws("list-tasks", "--cluster", "shop", "--service-name", "web")["taskArns"]
    described = aws("describe-tasks", "--cluster", "shop", "--tasks", *tasks)["tasks"]
    zones = sorted(t["availabilityZone"] for t in described)
    expect(zones == [f"{REGION}a", f"{REGION}b", f"{REGION}c"], f"spread one task per zone: {zones}")

    aws("register-task-definition", "--family", "web", "--container-definitions", containers("nginx:2"))
    aws("update-service", "--cluster", "shop", "--service", "web", "--task-definition", "web:2")
    aws("wait", "services-stable", "--cluster", "shop", "--services", "web")
    service = aws("describe-services", "--cluster", "shop", "--services", "web")["services"][0]
    expect(len(service["deployments"]) == 1 and service["taskDefinition"].endswith("web:2"), "the update rolled out revision 2")

    deployments = aws("list-service-deployments", "--cluster", "shop", "--service", "web")["serviceDeployments"]
    expect(len(deployments) == 2 and all(d["status"] == "SUCCESSFUL" for d in deployments), "two successful service deployments")
    details = aws("describe-service-deployments", "--service-deployment-arns", *[d["serviceDeploymentArn"] for d in deployments])
    expect(len(details["serviceDeployments"]) == 2 and details["failures"] == [], "both deployments described")
    revisions = aws("describe-service-revisions", "--service-revision-arns", *[d["targetServiceRevisionArn"] for d in deployments])
    images = sorted(r["containerImages"][0]["image"] for r in revisions["serviceRevisions"])
    expect(images == ["nginx:1", "nginx:2"], f"the revisions carry their images: {images}")

    # A revision whose image cannot start, with the circuit breaker on.
    simulator("SetImageBehavior", {"image": "broken:3", "startFailure": "CannotPullContainerError: pull image manifest has been retried 5 time(s): manifest unknown"})
    aws("register-task-definition", "--family", "web", "--container-definitions", containers("broken:3"))
    aws(
        "update-service", "--cluster", "shop", "--service", "web", "--task-definition", "web:3",
        "--deployment-configuration", "deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100",
    )
    aws("wait", "services-stable", "--cluster", "shop", "--services", "web")
    service = aws("describe-services", "--cluster", "shop", "--services", "web")["services"][0]
    expect(service["taskDefinition"].endswith("web:2"), "rolled back to revision 2")
    messages = [e["message"] for e in service["events"]]
    expect(any("deployment failed" in m for m in messages), "the service events say the deployment failed")
    failed = aws("list-service-deployments", "--cluster", "shop", "--service", "web", "--status", "ROLLBACK_SUCCESSFUL")["serviceDeployments"]
    expect(len(failed) == 1, "one deployment rolled back")
    failed = aws("describe-service-deployments", "--service-deployment-arns", failed[0]["serviceDeploymentArn"])["serviceDeployments"][0]
    expect(failed["deploymentCircuitBreaker"]["status"] == "TRIGGERED" and "rollback" in failed, f"circuit breaker TRIGGERED, rollback: {failed.get('statusReason')}")

    # Pagination: the CLI follows nextToken by itself.
    for n in range(5):
        aws("create-cluster", "--cluster-name", f"page-{n}")
    everything = aws("list-clusters", "--page-size", "2")["clusterArns"]
    expect(len(everything) == 6, f"--page-size 2 still lists all 6 clusters ({len(everything)})")
    first = aws("list-clusters", "--max-items", "4")
    expect(len(first["clusterArns"]) == 4 and "NextToken" in first, "--max-items 4 stops with a NextToken")
    rest = aws("list-clusters", "--starting-token", first["NextToken"])
    expect(len(rest["clusterArns"]) == 2 and set(rest["clusterArns"]).isdisjoint(first["clusterArns"]), "--starting-token lists the rest")

    # Modelled errors arrive as their codes.
    for args, code in [
        (("describe-services", "--cluster", "nowhere", "--services", "web"), "ClusterNotFoundException"),
        (("update-service", "--cluster", "shop", "--service", "nothing", "--desired-count", "1"), "ServiceNotFoundException"),
        (("register-task-definition", "--family", "bad", "--container-definitions", json.dumps([{"name": "x", "image": "nginx"}])), "ClientException"),
        (("create-service", "--cluster", "shop", "--service-name", "x", "--task-definition", "missing:9", "--desired-count", "1"), "ClientException"),
        (("delete-cluster", "--cluster", "shop"), "ClusterContainsContainerInstancesException"),
    ]:
        run = aws(*args, check=False)
        expect(run.returncode != 0 and f"({code})" in run.stderr, f"aws ecs {args[0]} answers {code}")
    print("aws cli journey: all passed", flush=True)


if __name__ == "__main__":
    main()
