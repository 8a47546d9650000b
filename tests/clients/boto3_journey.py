"""boto3 against the endpoint on the manual clock: the journey of the AWS CLI
test with modelled exception classes, waiters and paginators, the circuit
breaker's rollback found by stepping the clock, STS and the reset call."""

import json

import boto3
import botocore.exceptions

from common import ENDPOINT, REGION, expect, identity_document, post, simulator

ecs = boto3.client("ecs", endpoint_url=ENDPOINT, region_name=REGION)
FAST = {"Delay": 1, "MaxAttempts": 3}


def advance(seconds):
    return simulator("AdvanceClock", {"seconds": seconds})["now"]


def raises(exception, call, **kwargs):
    try:
        call(**kwargs)
    except exception as error:
        return error
    raise AssertionError(f"{call.__name__} did not raise {exception.__name__}")


def main():
    raises(ecs.exceptions.ClusterNotFoundException, ecs.describe_services, cluster="nowhere", services=["web"])
    expect(True, "ClusterNotFoundException is caught as its modelled class")

    ecs.create_cluster(clusterName="shop")
    for n, zone in enumerate("abc", start=1):
        ecs.register_container_instance(cluster="shop", instanceIdentityDocument=identity_document(n, zone))
    containers = lambda image: [{"name": "web", "image": image, "memory": 256}]
    ecs.register_task_definition(family="web", containerDefinitions=containers("nginx:1"))
    ecs.create_service(
        cluster="shop", serviceName="web", taskDefinition="web", desiredCount=3,
        placementStrategy=[{"type": "spread", "field": "attribute:ecs.availability-zone"}],
    )
    stable = ecs.get_waiter("services_stable")
    error = raises(botocore.exceptions.WaiterError, stable.wait, cluster="shop", services=["web"], WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    expect("Max attempts exceeded" in str(error), "on the manual clock the service is not stable until time moves")
    advance(120)
    stable.wait(cluster="shop", services=["web"], WaiterConfig=FAST)
    expect(True, "services_stable after AdvanceClock")

    error = raises(botocore.exceptions.WaiterError, stable.wait, cluster="shop", services=["ghost"], WaiterConfig=FAST)
    expect("failure state" in str(error), "services_stable fails at once on a MISSING service")

    ecs.register_task_definition(family="web", containerDefinitions=containers("nginx:2"))
    ecs.update_service(cluster="shop", service="web", taskDefinition="web:2")
    advance(600)
    stable.wait(cluster="shop", services=["web"], WaiterConfig=FAST)
    service = ecs.describe_services(cluster="shop", services=["web"])["services"][0]
    expect(service["taskDefinition"].endswith("web:2"), "revision 2 rolled out")

    simulator("SetImageBehavior", {"image": "broken:3", "startFailure": "CannotPullContainerError: manifest unknown"})
    ecs.register_task_definition(family="web", containerDefinitions=containers("broken:3"))
    ecs.update_service(
        cluster="shop", service="web", taskDefinition="web:3",
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}, "maximumPercent": 200, "minimumHealthyPercent": 100},
    )
    # Step the clock a second at a time until the circuit breaker acts.
    rolled_back = []
    for _ in range(600):
        advance(1)
        rolled_back = ecs.list_service_deployments(
            cluster="shop", service="web", status=["ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"]
        )["serviceDeployments"]
        if rolled_back:
            break
    expect(len(rolled_back) == 1, "the circuit breaker rolls revision 3's deployment back")
    failed = ecs.describe_service_deployments(serviceDeploymentArns=[rolled_back[0]["serviceDeploymentArn"]])["serviceDeployments"][0]
    expect(failed["deploymentCircuitBreaker"]["status"] == "TRIGGERED", f"its circuit breaker TRIGGERED: {failed['statusReason']}")
    events = [e["message"] for e in ecs.describe_services(cluster="shop", services=["web"])["services"][0]["events"]]
    expect(any("deployment failed" in m for m in events), "the service's events say the deployment failed")
    advance(600)
    stable.wait(cluster="shop", services=["web"], WaiterConfig=FAST)
    service = ecs.describe_services(cluster="shop", services=["web"])["services"][0]
    expect(service["taskDefinition"].endswith("web:2"), "and rolls back to revision 2")
    rolled = ecs.list_service_deployments(cluster="shop", service="web", status=["ROLLBACK_SUCCESSFUL"])["serviceDeployments"]
    expect(len(rolled) == 1, "ListServiceDeployments shows the rollback")

    # RunTask with the task waiters.
    run = ecs.run_task(cluster="shop", taskDefinition="web:2", count=1)
    task = run["tasks"][0]["taskArn"]
    advance(30)
    ecs.get_waiter("tasks_running").wait(cluster="shop", tasks=[task], WaiterConfig=FAST)
    ecs.stop_task(cluster="shop", task=task, reason="done")
    advance(60)
    ecs.get_waiter("tasks_stopped").wait(cluster="shop", tasks=[task], WaiterConfig=FAST)
    expect(True, "tasks_running and tasks_stopped waiters")

    # Paginators follow nextToken.
    for n in range(7):
        ecs.register_task_definition(family=f"page-{n}", containerDefinitions=containers("nginx:1"))
    pages = list(ecs.get_paginator("list_task_definition_families").paginate(familyPrefix="page-", PaginationConfig={"PageSize": 3}))
    families = [f for page in pages for f in page["families"]]
    expect(len(pages) == 3 and len(families) == 7, f"the paginator read {len(families)} families in {len(pages)} pages")
    tasks = [t for page in ecs.get_paginator("list_tasks").paginate(cluster="shop", serviceName="web", PaginationConfig={"PageSize": 1}) for t in page["taskArns"]]
    expect(len(tasks) == 3, "list_tasks paginated one a page")

    # Modelled errors as exception classes.
    for exception, call, kwargs in [
        (ecs.exceptions.ServiceNotFoundException, ecs.update_service, {"cluster": "shop", "service": "nothing", "desiredCount": 1}),
        (ecs.exceptions.ClientException, ecs.register_task_definition, {"family": "bad", "containerDefinitions": [{"name": "x", "image": "nginx"}]}),
        (ecs.exceptions.ClusterContainsContainerInstancesException, ecs.delete_cluster, {"cluster": "shop"}),
        (ecs.exceptions.InvalidParameterException, ecs.update_container_instances_state, {"cluster": "shop", "containerInstances": ["x"], "status": "REGISTERING"}),
    ]:
        error = raises(exception, call, **kwargs)
        expect(error.response["Error"]["Code"] == exception.__name__ and error.response["ResponseMetadata"]["RequestId"], f"{call.__name__} raises {exception.__name__}")

    identity = boto3.client("sts", endpoint_url=ENDPOINT, region_name=REGION).get_caller_identity()
    expect(identity["Account"] == "123456789012", "STS GetCallerIdentity answers the account")

    status, _ = post("/moto-api/reset")
    expect(status == 200 and ecs.list_clusters()["clusterArns"] == [], "moto's reset call empties the account")
    print("boto3 journey: all passed", flush=True)


if __name__ == "__main__":
    main()
