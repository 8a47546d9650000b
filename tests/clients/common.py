"""What the real-client journeys share: the endpoint under test, its
simulator calls, and small checks that say what they expected."""

import json
import os
import urllib.request

ENDPOINT = os.environ["ECS_ENDPOINT"]
REGION = os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")


def simulator(call, body, region=REGION):
    """A simulator call over the endpoint (target EcsPlayground.Simulator.<Call>)."""
    request = urllib.request.Request(
        ENDPOINT + "/",
        data=json.dumps(body).encode(),
        headers={
            "X-Amz-Target": "EcsPlayground.Simulator." + call,
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": f"AWS4-HMAC-SHA256 Credential=test/20261204/{region}/ecs/aws4_request, SignedHeaders=host, Signature=0",
        },
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def post(path):
    request = urllib.request.Request(ENDPOINT + path, data=b"", method="POST")
    with urllib.request.urlopen(request) as answer:
        return answer.status, json.load(answer)


def identity_document(n, zone):
    """An EC2 instance identity document as the container agent sends it."""
    return json.dumps({
        "instanceId": f"i-0{n:016x}",
        "instanceType": "m5.large",
        "availabilityZone": f"{REGION}{zone}",
        "region": REGION,
        "accountId": "123456789012",
        "imageId": "ami-0123456789abcdef0",
        "architecture": "x86_64",
        "privateIp": f"10.0.1.{n}",
    })


def expect(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok - {what}", flush=True)
