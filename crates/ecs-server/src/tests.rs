//! The endpoint over real sockets, in process: AWS's wire forms, bad input,
//! slow and vanishing clients, panics, regions, resets and the state file.
//! (The real clients, the AWS CLI and boto3, are driven by tests/clients/.)

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use crate::{start, ClockMode, Limits, Running, ServeOptions};

struct TestServer {
    runtime: tokio::runtime::Runtime,
    running: Option<Running>,
    addr: SocketAddr,
}

impl TestServer {
    fn start(options: ServeOptions, limits: Limits) -> Result<TestServer, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let running = runtime.block_on(start(ServeOptions { port: 0, ..options }, limits))?;
        let addr = running.addr;
        Ok(TestServer {
            runtime,
            running: Some(running),
            addr,
        })
    }

    fn manual() -> TestServer {
        TestServer::start(
            ServeOptions {
                clock: ClockMode::Manual,
                ..ServeOptions::default()
            },
            Limits::default(),
        )
        .unwrap()
    }

    /// Sends raw bytes on a new connection and reads the whole answer.
    fn raw(&self, bytes: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(bytes).unwrap();
        read_answer(&mut stream)
    }

    fn post(&self, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.raw(request.as_bytes())
    }

    fn ecs_in(&self, region: &str, operation: &str, body: Value) -> Answer {
        let target = if operation.starts_with("Simulator.") {
            format!("EcsPlayground.{operation}")
        } else {
            format!("AmazonEC2ContainerServiceV20141113.{operation}")
        };
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/{region}/ecs/aws4_request, SignedHeaders=host, Signature=0"
        );
        self.post(
            &[
                ("X-Amz-Target", &target),
                ("Content-Type", "application/x-amz-json-1.1"),
                ("Authorization", &authorization),
            ],
            &body.to_string(),
        )
    }

    fn ecs(&self, operation: &str, body: Value) -> Answer {
        self.ecs_in("us-east-1", operation, body)
    }

    fn ok(&self, operation: &str, body: Value) -> Value {
        let answer = self.ecs(operation, body);
        assert_eq!(answer.status, 200, "{operation}: {}", answer.body);
        answer.json()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            self.runtime.block_on(running.stop());
        }
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    /// The status and `__type` of an AWS error.
    fn error(&self) -> (u16, String) {
        let body = self.json();
        (
            self.status,
            body["__type"].as_str().unwrap_or("").to_string(),
        )
    }
}

fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

#[test]
fn answers_as_aws_json_1_1_with_request_ids_and_epoch_seconds() {
    let server = TestServer::manual();
    let created = server.ecs("CreateCluster", json!({"clusterName": "web"}));
    assert_eq!(created.status, 200);
    assert_eq!(
        created.header("content-type").as_deref(),
        Some("application/x-amz-json-1.1")
    );
    let id = created.header("x-amzn-requestid").unwrap();
    assert_eq!(id.len(), 36, "{id}");
    let cluster = &created.json()["cluster"];
    assert_eq!(cluster["clusterName"], "web");
    let described = server.ok("DescribeClusters", json!({"clusters": ["web", "nope"]}));
    assert_eq!(described["failures"][0]["reason"], "MISSING");
    assert_eq!(
        described["clusters"][0]["clusterArn"],
        cluster["clusterArn"]
    );
    server.ok(
        "Simulator.LaunchInstances",
        json!({"cluster": "web", "count": 1}),
    );
    let td = server.ok(
        "RegisterTaskDefinition",
        json!({"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}),
    );
    let registered_at = &td["taskDefinition"]["registeredAt"];
    assert!(
        registered_at.as_f64().unwrap() > 1.7e9,
        "epoch seconds: {registered_at}"
    );
}

#[test]
fn bad_input_gets_aws_errors_and_the_server_keeps_serving() {
    let server = TestServer::start(
        ServeOptions {
            clock: ClockMode::Manual,
            ..ServeOptions::default()
        },
        Limits {
            max_body: 4096,
            ..Limits::default()
        },
    )
    .unwrap();
    let target = |op: &str| format!("AmazonEC2ContainerServiceV20141113.{op}");
    let cases: Vec<(&str, Answer, u16, &str)> = vec![
        (
            "unknown target",
            server.post(
                &[(
                    "X-Amz-Target",
                    "AmazonEC2ContainerServiceV20141113.LaunchRockets",
                )],
                "{}",
            ),
            400,
            "UnknownOperationException",
        ),
        (
            "other service",
            server.post(&[("X-Amz-Target", "DynamoDB_20120810.ListTables")], "{}"),
            400,
            "UnknownOperationException",
        ),
        (
            "missing header",
            server.post(&[("Content-Type", "application/x-amz-json-1.1")], "{}"),
            400,
            "UnknownOperationException",
        ),
        (
            "malformed JSON",
            server.post(
                &[("X-Amz-Target", &target("CreateCluster"))],
                "{\"clusterName\": ",
            ),
            400,
            "SerializationException",
        ),
        (
            "not an object",
            server.post(&[("X-Amz-Target", &target("ListClusters"))], "[1, 2]"),
            400,
            "SerializationException",
        ),
        (
            "wrong type",
            server.post(
                &[("X-Amz-Target", &target("CreateCluster"))],
                "{\"clusterName\": 5}",
            ),
            400,
            "SerializationException",
        ),
        (
            "missing member",
            server.post(&[("X-Amz-Target", &target("DescribeServices"))], "{}"),
            400,
            "InvalidParameterException",
        ),
        (
            "modelled error",
            server.post(
                &[("X-Amz-Target", &target("DescribeServices"))],
                "{\"cluster\": \"none\", \"services\": [\"a\"]}",
            ),
            400,
            "ClusterNotFoundException",
        ),
        (
            "over the body limit",
            server.post(
                &[("X-Amz-Target", &target("CreateCluster"))],
                &format!("{{\"clusterName\": \"{}\"}}", "a".repeat(5000)),
            ),
            413,
            "RequestEntityTooLargeException",
        ),
    ];
    for (name, answer, status, error_type) in cases {
        assert_eq!(
            answer.error(),
            (status, error_type.to_string()),
            "{name}: {}",
            answer.body
        );
        assert!(answer.header("x-amzn-requestid").is_some(), "{name}");
    }
    // Chunked past the limit, with no Content-Length to refuse early.
    let chunk = "a".repeat(3000);
    let chunked = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Target: {}\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        target("CreateCluster"),
        chunk.len(),
        chunk.len()
    );
    assert_eq!(
        server.raw(chunked.as_bytes()).error(),
        (413, "RequestEntityTooLargeException".into())
    );
    let lost = server.raw(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(lost.error(), (404, "NotFoundException".into()));
    let garbage = server.raw(b"\x00\x01 not http at all\r\n\r\n");
    assert_eq!(garbage.status, 400, "{garbage:?}");
    server.ok("CreateCluster", json!({"clusterName": "still-serving"}));
}

#[test]
fn slow_half_closed_and_many_clients_do_not_stop_the_server() {
    let server = TestServer::start(
        ServeOptions {
            clock: ClockMode::Manual,
            ..ServeOptions::default()
        },
        Limits {
            header_timeout: Duration::from_millis(300),
            body_timeout: Duration::from_millis(300),
            ..Limits::default()
        },
    )
    .unwrap();
    // A body that never finishes: 408 after the body timeout.
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\nContent-Length: 100\r\n\r\n{\"a\"").unwrap();
    assert_eq!(
        read_answer(&mut slow).error(),
        (408, "RequestTimeoutException".into())
    );
    // Headers that never finish: the connection is closed.
    let mut stalled = TcpStream::connect(server.addr).unwrap();
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stalled
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut rest = Vec::new();
    let _ = stalled.read_to_end(&mut rest);
    // A client that half-closes mid-request.
    let mut half = TcpStream::connect(server.addr).unwrap();
    half.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
        .unwrap();
    half.shutdown(Shutdown::Write).unwrap();
    drop(half);
    // Many clients at once, each served.
    let addr = server.addr;
    let clients: Vec<_> = (0..48)
        .map(|n| {
            std::thread::spawn(move || {
                let body = format!("{{\"clusterName\": \"c{n}\"}}");
                let request = format!("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.CreateCluster\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                let mut stream = TcpStream::connect(addr).unwrap();
                stream.write_all(request.as_bytes()).unwrap();
                read_answer(&mut stream).status
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), 200);
    }
    let listed = server.ok("ListClusters", json!({"maxResults": 100}));
    assert_eq!(listed["clusterArns"].as_array().unwrap().len(), 48);
}

#[test]
fn a_panic_becomes_a_500_and_the_account_is_kept() {
    let server = TestServer::manual();
    server.ok("CreateCluster", json!({"clusterName": "kept"}));
    let failed = server.ecs("Simulator.TestPanic", json!({}));
    assert_eq!(failed.error(), (500, "ServerException".into()));
    let id = failed.header("x-amzn-requestid").unwrap();
    assert!(failed.json()["message"].as_str().unwrap().contains(&id));
    let described = server.ok("DescribeClusters", json!({"clusters": ["kept"]}));
    assert_eq!(described["clusters"][0]["status"], "ACTIVE");
}

#[test]
fn regions_come_from_the_credential_scope() {
    let server = TestServer::manual();
    let created = server.ecs_in(
        "eu-west-1",
        "CreateCluster",
        json!({"clusterName": "dublin"}),
    );
    let arn = created.json()["cluster"]["clusterArn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        arn.starts_with("arn:aws:ecs:eu-west-1:123456789012:cluster/"),
        "{arn}"
    );
    let elsewhere = server.ok("ListClusters", json!({}));
    assert_eq!(elsewhere["clusterArns"], json!([]));
    let unsigned = server.post(
        &[(
            "X-Amz-Target",
            "AmazonEC2ContainerServiceV20141113.ListClusters",
        )],
        "",
    );
    assert_eq!(
        unsigned.json()["clusterArns"],
        json!([]),
        "unsigned requests use --region"
    );
    let there = server.ecs_in("eu-west-1", "ListClusters", json!({}));
    assert_eq!(there.json()["clusterArns"], json!([arn]));
}

#[test]
fn reset_and_health_calls_of_moto_localstack_and_our_own() {
    let server = TestServer::manual();
    for path in [
        "/moto-api/reset",
        "/_localstack/state/reset",
        "/_playground/reset",
    ] {
        server.ok("CreateCluster", json!({"clusterName": "gone"}));
        let reset = server.raw(
            format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(reset.status, 200, "{path}");
        let listed = server.ok("ListClusters", json!({}));
        assert_eq!(listed["clusterArns"], json!([]), "{path}");
    }
    for path in ["/_localstack/health", "/_playground/health"] {
        let health = server
            .raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(health.status, 200, "{path}");
        assert!(health.header("x-amzn-requestid").is_some());
    }
    let ours = server
        .raw(b"GET /_playground/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .json();
    assert_eq!(ours["clock"]["mode"], "manual");
}

#[test]
fn manual_time_moves_only_on_advance_clock_and_never_backwards() {
    let server = TestServer::manual();
    server.ok("CreateCluster", json!({"clusterName": "c"}));
    server.ok(
        "Simulator.LaunchInstances",
        json!({"cluster": "c", "count": 1}),
    );
    server.ok("RegisterTaskDefinition", json!({"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}));
    let run = server.ok("RunTask", json!({"cluster": "c", "taskDefinition": "app"}));
    let created = run["tasks"][0]["createdAt"].as_f64().unwrap();
    let task = run["tasks"][0]["taskArn"].as_str().unwrap().to_string();
    std::thread::sleep(Duration::from_millis(50));
    let still = server.ok("DescribeTasks", json!({"cluster": "c", "tasks": [task]}));
    assert_eq!(
        still["tasks"][0]["lastStatus"], "PROVISIONING",
        "no time passed"
    );
    let moved = server.ok("Simulator.AdvanceClock", json!({"seconds": 60}));
    assert_eq!(moved["now"], 60.0);
    let running = server.ok("DescribeTasks", json!({"cluster": "c", "tasks": [task]}));
    assert_eq!(running["tasks"][0]["lastStatus"], "RUNNING");
    // A region created later starts at the clock's time, not at 0.
    let late = server.ecs_in("eu-west-1", "RegisterTaskDefinition", json!({"family": "x", "containerDefinitions": [{"name": "x", "image": "nginx", "memory": 128}]}));
    let late_at = late.json()["taskDefinition"]["registeredAt"]
        .as_f64()
        .unwrap();
    assert!(late_at >= created + 60.0, "{late_at} vs {created}");
}

#[test]
fn wall_time_moves_the_simulation() {
    let server = TestServer::start(
        ServeOptions {
            clock: ClockMode::Wall { speed: 600.0 },
            ..ServeOptions::default()
        },
        Limits::default(),
    )
    .unwrap();
    server.ok("CreateCluster", json!({"clusterName": "c"}));
    server.ok(
        "Simulator.LaunchInstances",
        json!({"cluster": "c", "count": 1}),
    );
    server.ok("RegisterTaskDefinition", json!({"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}));
    let run = server.ok("RunTask", json!({"cluster": "c", "taskDefinition": "app"}));
    let task = run["tasks"][0]["taskArn"].as_str().unwrap().to_string();
    // 200 ms at 600x is two virtual minutes: long enough to start.
    std::thread::sleep(Duration::from_millis(200));
    let running = server.ok("DescribeTasks", json!({"cluster": "c", "tasks": [task]}));
    assert_eq!(running["tasks"][0]["lastStatus"], "RUNNING");
}

#[test]
fn sts_get_caller_identity_answers_in_xml() {
    let server = TestServer::manual();
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let answer = server.post(
        &[(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )],
        body,
    );
    assert_eq!(answer.status, 200);
    assert!(
        answer.body.contains("<Account>123456789012</Account>"),
        "{}",
        answer.body
    );
    assert!(
        answer
            .body
            .contains("<Arn>arn:aws:iam::123456789012:user/playground</Arn>"),
        "{}",
        answer.body
    );
    // The caller's ARN is in the partition of the region the request is signed for.
    let china = server.post(
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20240101/cn-north-1/sts/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        body,
    );
    assert!(
        china
            .body
            .contains("<Arn>arn:aws-cn:iam::123456789012:user/playground</Arn>"),
        "{}",
        china.body
    );
    let other = server.post(
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "Action=AssumeRole",
    );
    assert_eq!(other.status, 400);
    assert!(other.body.contains("<Code>InvalidAction</Code>"));
}

fn state_file(name: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("ecs-server-{}-{name}.journal", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn the_state_file_restores_the_account_after_a_restart() {
    let path = state_file("restart");
    let options = ServeOptions {
        clock: ClockMode::Manual,
        state: Some(path.clone()),
        ..ServeOptions::default()
    };
    let before = {
        let server = TestServer::start(options.clone(), Limits::default()).unwrap();
        server.ok("CreateCluster", json!({"clusterName": "kept"}));
        server.ok(
            "Simulator.LaunchInstances",
            json!({"cluster": "kept", "count": 2}),
        );
        server.ok("RegisterTaskDefinition", json!({"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}));
        server.ok("CreateService", json!({"cluster": "kept", "serviceName": "web", "taskDefinition": "app", "desiredCount": 2}));
        server.ok("Simulator.AdvanceClock", json!({"seconds": 120}));
        server.ecs_in(
            "eu-west-1",
            "CreateCluster",
            json!({"clusterName": "dublin"}),
        );
        server.ok("CreateCluster", json!({"clusterName": "dropped"}));
        let reset = server.raw(b"POST /moto-api/reset HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(reset.status, 200);
        server.ok("CreateCluster", json!({"clusterName": "kept"}));
        server.ok(
            "Simulator.LaunchInstances",
            json!({"cluster": "kept", "count": 2}),
        );
        server.ok("RegisterTaskDefinition", json!({"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}));
        server.ok("CreateService", json!({"cluster": "kept", "serviceName": "web", "taskDefinition": "app", "desiredCount": 2}));
        server.ok("Simulator.AdvanceClock", json!({"seconds": 120}));
        server.ok(
            "DescribeServices",
            json!({"cluster": "kept", "services": ["web"]}),
        )
    };
    let server = TestServer::start(options, Limits::default()).unwrap();
    let after = server.ok(
        "DescribeServices",
        json!({"cluster": "kept", "services": ["web"]}),
    );
    assert_eq!(after, before, "the same account, to the timestamp");
    assert_eq!(after["services"][0]["runningCount"], 2);
    let listed = server.ok("ListClusters", json!({}));
    assert_eq!(
        listed["clusterArns"].as_array().unwrap().len(),
        1,
        "the reset was replayed"
    );
    let dublin = server.ecs_in("eu-west-1", "ListClusters", json!({}));
    assert_eq!(dublin.json()["clusterArns"], json!([]));
    drop(server);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_refused_state_file_stops_the_start_and_is_left_alone() {
    let path = state_file("refused");
    std::fs::write(
        &path,
        "{\"journal\":\"ecs-playground\",\"version\":9,\"epochSeconds\":1,\"account\":\"1\"}\n",
    )
    .unwrap();
    let options = ServeOptions {
        state: Some(path.clone()),
        ..ServeOptions::default()
    };
    let error = TestServer::start(options, Limits::default()).err().unwrap();
    assert!(error.contains("newer ecs-playground"), "{error}");
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("\"version\":9"));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_restart_never_shows_an_earlier_time_than_reads_showed() {
    let path = state_file("horizon");
    let options = ServeOptions {
        clock: ClockMode::Wall { speed: 50.0 },
        state: Some(path.clone()),
        ..ServeOptions::default()
    };
    let (task, seen) = {
        let server = TestServer::start(options.clone(), Limits::default()).unwrap();
        server.ok("CreateCluster", json!({"clusterName": "c"}));
        server.ok(
            "Simulator.LaunchInstances",
            json!({"cluster": "c", "count": 1}),
        );
        server.ok("RegisterTaskDefinition", json!({"family": "app", "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]}));
        let run = server.ok("RunTask", json!({"cluster": "c", "taskDefinition": "app"}));
        let task = run["tasks"][0]["taskArn"].as_str().unwrap().to_string();
        // Only reads from here on: 1 s at 50x is 50 virtual seconds.
        std::thread::sleep(Duration::from_millis(1000));
        let seen = server.ok("DescribeTasks", json!({"cluster": "c", "tasks": [task]}));
        assert_eq!(seen["tasks"][0]["lastStatus"], "RUNNING");
        (task, seen)
    };
    let server = TestServer::start(options, Limits::default()).unwrap();
    let after = server.ok("DescribeTasks", json!({"cluster": "c", "tasks": [task]}));
    assert_eq!(
        after["tasks"][0]["lastStatus"], "RUNNING",
        "the clock resumed before what a read showed"
    );
    assert_eq!(
        after["tasks"][0]["startedAt"], seen["tasks"][0]["startedAt"],
        "the same timeline"
    );
    drop(server);
    let _ = std::fs::remove_file(&path);
}

/// The endpoint and a page answer through the engine's one wire form: the
/// same request gets the same status and body, word for word, and the error
/// code in `x-amzn-ErrorType` is the body's.
#[test]
fn the_endpoint_answers_as_the_engines_wire_form() {
    let server = TestServer::manual();
    let mut page = ecs_engine::sim::Ecs::new(ecs_engine::sim::SimConfig::default());
    let ecs = |op: &str| format!("AmazonEC2ContainerServiceV20141113.{op}");
    let cases: Vec<(Option<String>, &str)> = vec![
        (None, "{}"),
        (Some(ecs("LaunchRockets")), "{not json"),
        (Some("DynamoDB_20120810.ListTables".into()), "{}"),
        (Some("EcsPlayground.Simulator.Frobnicate".into()), "{}"),
        (Some(ecs("Simulator.AdvanceClock")), "{}"),
        (Some(ecs("ListClusters")), "[1]"),
        (Some(ecs("ListClusters")), "null"),
        (Some(ecs("ListClusters")), ""),
        (Some(ecs("CreateCluster")), "{\"clusterName\": 5}"),
        (Some(ecs("DescribeServices")), "{}"),
        (
            Some(ecs("DescribeServices")),
            "{\"cluster\": \"none\", \"services\": [\"a\"]}",
        ),
        (Some(ecs("CreateDaemon")), "{}"),
    ];
    for (target, body) in cases {
        let headers: Vec<(&str, &str)> = target
            .as_deref()
            .map(|t| vec![("X-Amz-Target", t)])
            .unwrap_or_default();
        let answer = server.post(&headers, body);
        let (status, expected) = page.call_target(target.as_deref().unwrap_or(""), body.as_bytes());
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (status, expected.as_str()),
            "{target:?} {body}"
        );
        let code = answer.json()["__type"].as_str().map(str::to_string);
        assert_eq!(answer.header("x-amzn-errortype"), code, "{target:?} {body}");
    }
}
