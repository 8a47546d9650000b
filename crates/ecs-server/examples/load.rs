//! The endpoint's load benchmark, side by side with moto's server doing the
//! same work: DescribeServices of a 100-task service and RunTask of one task,
//! at concurrency 1 and 16 over keep-alive connections, on loopback only.
//! Each run is bounded by a request count and a time limit.
//!
//! ```sh
//! cargo run --profile server -p ecs-server --example load
//! cargo run --profile server -p ecs-server --example load -- --requests 5000 --seconds 10 --no-moto
//! ```
//!
//! The endpoint runs in this process on its own runtime and threads (the
//! default wall clock at 20x); moto runs as `.venv/bin/moto_server`. Both get
//! the same calls: a Fargate service of 100 tasks (moto never starts a
//! service's tasks, so its service has desiredCount 100 and no tasks, and
//! its DescribeServices answer is smaller than ours), and RunTask of a small
//! EC2 task on ten instances registered with identity documents (moto
//! 5.2.5's awsvpc RunTask fails with an AttributeError).

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("the load benchmark needs sockets: run it natively");
}

#[cfg(not(target_family = "wasm"))]
fn main() -> Result<(), String> {
    native::main()
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::net::TcpStream as StdTcpStream;
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use hyper::client::conn::http1;
    use hyper::Request;
    use hyper_util::rt::TokioIo;
    use serde_json::Value;
    use tokio::net::TcpStream;

    /// The awsvpc configuration of `subnet,securityGroup`.
    fn network(place: &str) -> String {
        let (subnet, group) = place.split_once(',').unwrap_or((place, ""));
        format!(
            r#"{{"awsvpcConfiguration": {{"subnets": ["{subnet}"], "securityGroups": ["{group}"], "assignPublicIp": "DISABLED"}}}}"#
        )
    }

    /// A subnet and a security group in moto's EC2 (its RunTask and
    /// CreateService check that they exist), as `subnet,group`; the
    /// playground takes their ids as given.
    async fn moto_subnet(addr: &str) -> String {
        let mut c = Connection::open(addr).await;
        let vpc = c
            .ec2("Action=CreateVpc&CidrBlock=10.0.0.0%2F16&Version=2016-11-15")
            .await;
        let vpc = between(&vpc, "<vpcId>", "</vpcId>");
        let subnet = c
            .ec2(&format!(
                "Action=CreateSubnet&VpcId={vpc}&CidrBlock=10.0.1.0%2F24&Version=2016-11-15"
            ))
            .await;
        let subnet = between(&subnet, "<subnetId>", "</subnetId>");
        let group = c
            .ec2(&format!("Action=CreateSecurityGroup&GroupName=bench&GroupDescription=bench&VpcId={vpc}&Version=2016-11-15"))
            .await;
        format!("{subnet},{}", between(&group, "<groupId>", "</groupId>"))
    }

    fn between(text: &str, start: &str, end: &str) -> String {
        text.split_once(start)
            .and_then(|(_, rest)| rest.split_once(end))
            .map(|(value, _)| value.to_string())
            .unwrap_or_else(|| panic!("no {start} in {text}"))
    }

    struct Settings {
        requests: usize,
        seconds: f64,
        moto: Option<PathBuf>,
    }

    fn settings() -> Result<Settings, String> {
        let mut s = Settings {
            requests: 3000,
            seconds: 8.0,
            moto: Some(
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server"),
            ),
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match arg.as_str() {
                "--requests" => {
                    s.requests = rest
                        .next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--requests N")?
                }
                "--seconds" => {
                    s.seconds = rest
                        .next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--seconds S")?
                }
                "--moto" => s.moto = Some(PathBuf::from(rest.next().ok_or("--moto PATH")?)),
                "--no-moto" => s.moto = None,
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(s)
    }

    /// One keep-alive connection.
    struct Connection {
        addr: String,
        sender: http1::SendRequest<Full<Bytes>>,
        /// Connections opened again because the server closed them (moto's
        /// werkzeug server answers HTTP/1.0 and closes after each answer).
        reopened: usize,
    }

    impl Connection {
        async fn open(addr: &str) -> Connection {
            Connection {
                addr: addr.to_string(),
                sender: Connection::handshake(addr).await,
                reopened: 0,
            }
        }

        async fn handshake(addr: &str) -> http1::SendRequest<Full<Bytes>> {
            let stream = TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).unwrap();
            let (sender, connection) = http1::handshake(TokioIo::new(stream))
                .await
                .expect("handshake");
            tokio::spawn(connection);
            sender
        }

        async fn call(&mut self, target: &str, body: &str) -> (u16, Bytes) {
            let request = Request::post("/")
                .header("host", "127.0.0.1")
                .header("x-amz-target", target)
                .header("content-type", "application/x-amz-json-1.1")
                .header(
                    "authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261204/us-east-1/ecs/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0",
                )
                .header("x-amz-date", "20261204T120000Z")
                .body(Full::new(Bytes::from(body.to_string())))
                .unwrap();
            if self.sender.ready().await.is_err() {
                self.sender = Connection::handshake(&self.addr).await;
                self.reopened += 1;
            }
            let answer = self.sender.send_request(request).await.expect("answer");
            let status = answer.status().as_u16();
            let body = answer.into_body().collect().await.expect("body").to_bytes();
            (status, body)
        }

        /// An EC2 Query call (moto only).
        async fn ec2(&mut self, form: &str) -> String {
            let request = Request::post("/")
                .header("host", "127.0.0.1")
                .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261204/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0")
                .body(Full::new(Bytes::from(form.to_string())))
                .unwrap();
            if self.sender.ready().await.is_err() {
                self.sender = Connection::handshake(&self.addr).await;
            }
            let answer = self.sender.send_request(request).await.expect("answer");
            let bytes = answer.into_body().collect().await.expect("body").to_bytes();
            String::from_utf8_lossy(&bytes).to_string()
        }

        async fn ecs(&mut self, operation: &str, body: &str) -> Value {
            let (status, bytes) = self
                .call(
                    &format!("AmazonEC2ContainerServiceV20141113.{operation}"),
                    body,
                )
                .await;
            let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            assert_eq!(status, 200, "{operation}: {value}");
            value
        }
    }

    /// The same account on either server: a cluster, a Fargate task
    /// definition, a 100-task service.
    /// Ten instances in moto's EC2 (its RegisterContainerInstance checks
    /// that the identity document's instance exists).
    async fn moto_instances(addr: &str) -> Vec<String> {
        let mut c = Connection::open(addr).await;
        let answer = c
            .ec2("Action=RunInstances&ImageId=ami-12c6146b&MinCount=10&MaxCount=10&InstanceType=m5.large&Version=2016-11-15")
            .await;
        answer
            .split("<instanceId>")
            .skip(1)
            .filter_map(|rest| {
                rest.split_once("</instanceId>")
                    .map(|(id, _)| id.to_string())
            })
            .collect()
    }

    async fn prepare(addr: &str, ours: bool, subnet: &str, instances: &[String]) {
        let network = network(subnet);
        let mut c = Connection::open(addr).await;
        c.ecs("CreateCluster", r#"{"clusterName": "bench"}"#).await;
        c.ecs(
            "RegisterTaskDefinition",
            r#"{"family": "bench", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
                "containerDefinitions": [{"name": "app", "image": "nginx", "essential": true, "cpu": 256, "memory": 512}]}"#,
        )
        .await;
        c.ecs(
            "CreateService",
            &format!(r#"{{"cluster": "bench", "serviceName": "web", "taskDefinition": "bench", "desiredCount": 100, "launchType": "FARGATE", "networkConfiguration": {network}}}"#),
        )
        .await;
        // RunTask's work: a small EC2 task on ten instances registered as
        // the agent registers them (moto's awsvpc RunTask fails on a bug).
        for id in instances {
            let document = format!(
                r#"{{\"instanceId\": \"{id}\", \"instanceType\": \"m5.large\", \"availabilityZone\": \"us-east-1a\", \"region\": \"us-east-1\", \"accountId\": \"123456789012\"}}"#
            );
            c.ecs(
                "RegisterContainerInstance",
                &format!(r#"{{"cluster": "bench", "instanceIdentityDocument": "{document}"}}"#),
            )
            .await;
        }
        c.ecs(
            "RegisterTaskDefinition",
            r#"{"family": "tiny", "containerDefinitions": [{"name": "app", "image": "nginx", "essential": true, "cpu": 1, "memory": 6}]}"#,
        )
        .await;
        if ours {
            // Wait (wall time, at the clock's 20x) until the 100 tasks run.
            let started = Instant::now();
            loop {
                let described = c
                    .ecs(
                        "DescribeServices",
                        r#"{"cluster": "bench", "services": ["web"]}"#,
                    )
                    .await;
                if described["services"][0]["runningCount"] == 100 {
                    break;
                }
                assert!(
                    started.elapsed() < Duration::from_secs(120),
                    "the service did not reach 100 tasks: {}",
                    described["services"][0]
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    struct Figures {
        requests: usize,
        per_second: f64,
        p50_ms: f64,
        p99_ms: f64,
        reopened: usize,
    }

    async fn load(
        addr: &str,
        operation: &str,
        body: &str,
        concurrency: usize,
        limit: usize,
        seconds: f64,
    ) -> Figures {
        let issued = Arc::new(AtomicUsize::new(0));
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let started = Instant::now();
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let (addr, target, body, issued) = (
                    addr.to_string(),
                    format!("AmazonEC2ContainerServiceV20141113.{operation}"),
                    body.to_string(),
                    issued.clone(),
                );
                tokio::spawn(async move {
                    let mut connection = Connection::open(&addr).await;
                    let mut latencies = Vec::new();
                    while issued.fetch_add(1, Ordering::Relaxed) < limit
                        && Instant::now() < deadline
                    {
                        let t0 = Instant::now();
                        let (status, bytes) = connection.call(&target, &body).await;
                        latencies.push(t0.elapsed());
                        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
                    }
                    (latencies, connection.reopened)
                })
            })
            .collect();
        let mut latencies = Vec::new();
        let mut reopened = 0;
        for worker in workers {
            let (some, again) = worker.await.expect("worker");
            latencies.extend(some);
            reopened += again;
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        let at = |q: f64| {
            let index =
                ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len()) - 1;
            latencies[index].as_secs_f64() * 1000.0
        };
        Figures {
            requests: latencies.len(),
            per_second: latencies.len() as f64 / elapsed,
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            reopened,
        }
    }

    /// moto's server, stopped when dropped (also when a run fails).
    struct Moto(Child);

    impl Drop for Moto {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn start_moto(path: &PathBuf) -> Option<(Moto, String)> {
        if !path.exists() {
            eprintln!(
                "moto's server is not at {} (scripts/setup.sh installs it): its column is left out",
                path.display()
            );
            return None;
        }
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").ok()?;
            probe.local_addr().ok()?.port()
        };
        let child = Moto(
            Command::new(path)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .ok()?,
        );
        let addr = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while StdTcpStream::connect(&addr).is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                eprintln!("moto's server did not start listening");
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Some((child, addr))
    }

    pub fn main() -> Result<(), String> {
        let settings = settings()?;
        // The endpoint on its own runtime, as `ecs-playground serve` runs it.
        let server_runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        let running = server_runtime.block_on(ecs_server::start(
            ecs_server::ServeOptions {
                port: 0,
                ..Default::default()
            },
            ecs_server::Limits::default(),
        ))?;
        let ours = running.addr.to_string();
        let moto = settings.moto.as_ref().and_then(start_moto);

        let client = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        client.block_on(async {
            let ours_instances: Vec<String> = (0..10).map(|n| format!("i-0bench{n:011}")).collect();
            prepare(&ours, true, "subnet-0bench,sg-0bench", &ours_instances).await;
            if let Some((_, addr)) = &moto {
                let subnet = moto_subnet(addr).await;
                let instances = moto_instances(addr).await;
                assert_eq!(instances.len(), 10, "moto's RunInstances");
                prepare(addr, false, &subnet, &instances).await;
            }
            let describe = r#"{"cluster": "bench", "services": ["web"]}"#;
            let run = r#"{"cluster": "bench", "taskDefinition": "tiny", "count": 1, "launchType": "EC2"}"#;
            println!(
                "load: at most {} requests or {} s per run, loopback, keep-alive; build profile: {}",
                settings.requests,
                settings.seconds,
                if cfg!(debug_assertions) { "debug (use --profile server for figures)" } else { "optimised" }
            );
            println!("{:<18} {:>4} | {:>9} {:>8} {:>8} | {:>9} {:>8} {:>8} | {:>7}", "operation", "conc", "ours r/s", "p50 ms", "p99 ms", "moto r/s", "p50 ms", "p99 ms", "ratio");
            for (operation, ours_body, moto_body) in [
                ("DescribeServices", describe.to_string(), describe.to_string()),
                ("RunTask", run.to_string(), run.to_string()),
            ] {
                for concurrency in [1, 16] {
                    let a = load(&ours, operation, &ours_body, concurrency, settings.requests, settings.seconds).await;
                    let b = match &moto {
                        Some((_, addr)) => Some(load(addr, operation, &moto_body, concurrency, settings.requests, settings.seconds).await),
                        None => None,
                    };
                    let (moto_columns, ratio) = match &b {
                        Some(b) => (
                            format!("{:>9.0} {:>8.2} {:>8.2}", b.per_second, b.p50_ms, b.p99_ms),
                            format!("{:>6.1}x", a.per_second / b.per_second),
                        ),
                        None => (format!("{:>9} {:>8} {:>8}", "-", "-", "-"), "-".into()),
                    };
                    println!(
                        "{operation:<18} {concurrency:>4} | {:>9.0} {:>8.2} {:>8.2} | {moto_columns} | {ratio:>7}   ({} vs {} requests; connections reopened: {} vs {})",
                        a.per_second,
                        a.p50_ms,
                        a.p99_ms,
                        a.requests,
                        b.as_ref().map_or(0, |b| b.requests),
                        a.reopened,
                        b.as_ref().map_or(0, |b| b.reopened),
                    );
                }
            }
        });
        drop(moto);
        server_runtime.block_on(running.stop());
        Ok(())
    }
}
