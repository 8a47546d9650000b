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
//! Fargate work, the one kind moto can run without EC2 instances: moto never
//! starts a service's tasks, so its "100-task service" has desiredCount 100
//! and no tasks, and its DescribeServices answer is smaller than ours.

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

    const SUBNETS: &str =
        r#"{"awsvpcConfiguration": {"subnets": ["subnet-0bench"], "assignPublicIp": "DISABLED"}}"#;

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
        sender: http1::SendRequest<Full<Bytes>>,
    }

    impl Connection {
        async fn open(addr: &str) -> Connection {
            let stream = TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).unwrap();
            let (sender, connection) = http1::handshake(TokioIo::new(stream))
                .await
                .expect("handshake");
            tokio::spawn(connection);
            Connection { sender }
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
            self.sender.ready().await.expect("connection ready");
            let answer = self.sender.send_request(request).await.expect("answer");
            let status = answer.status().as_u16();
            let body = answer.into_body().collect().await.expect("body").to_bytes();
            (status, body)
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
    async fn prepare(addr: &str, ours: bool) {
        let mut c = Connection::open(addr).await;
        c.ecs("CreateCluster", r#"{"clusterName": "bench"}"#).await;
        c.ecs(
            "RegisterTaskDefinition",
            r#"{"family": "bench", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
                "containerDefinitions": [{"name": "app", "image": "nginx", "essential": true}]}"#,
        )
        .await;
        c.ecs(
            "CreateService",
            &format!(r#"{{"cluster": "bench", "serviceName": "web", "taskDefinition": "bench", "desiredCount": 100, "launchType": "FARGATE", "networkConfiguration": {SUBNETS}}}"#),
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
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for worker in workers {
            latencies.extend(worker.await.expect("worker"));
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
        }
    }

    fn start_moto(path: &PathBuf) -> Option<(Child, String)> {
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
        let child = Command::new(path)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
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
        let mut moto = settings.moto.as_ref().and_then(start_moto);

        let client = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        client.block_on(async {
            prepare(&ours, true).await;
            if let Some((_, addr)) = &moto {
                prepare(addr, false).await;
            }
            let describe = r#"{"cluster": "bench", "services": ["web"]}"#;
            let run = format!(r#"{{"cluster": "bench", "taskDefinition": "bench", "count": 1, "launchType": "FARGATE", "networkConfiguration": {SUBNETS}}}"#);
            println!(
                "load: at most {} requests or {} s per run, loopback, keep-alive; build profile: {}",
                settings.requests,
                settings.seconds,
                if cfg!(debug_assertions) { "debug (use --profile server for figures)" } else { "optimised" }
            );
            println!("{:<18} {:>4} | {:>9} {:>8} {:>8} | {:>9} {:>8} {:>8} | {:>7}", "operation", "conc", "ours r/s", "p50 ms", "p99 ms", "moto r/s", "p50 ms", "p99 ms", "ratio");
            for (operation, body) in [("DescribeServices", describe.to_string()), ("RunTask", run)] {
                for concurrency in [1, 16] {
                    let a = load(&ours, operation, &body, concurrency, settings.requests, settings.seconds).await;
                    let b = match &moto {
                        Some((_, addr)) => Some(load(addr, operation, &body, concurrency, settings.requests, settings.seconds).await),
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
                        "{operation:<18} {concurrency:>4} | {:>9.0} {:>8.2} {:>8.2} | {moto_columns} | {ratio:>7}   ({} vs {} requests)",
                        a.per_second,
                        a.p50_ms,
                        a.p99_ms,
                        a.requests,
                        b.as_ref().map_or(0, |b| b.requests),
                    );
                }
            }
        });
        if let Some((child, _)) = moto.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
        server_runtime.block_on(running.stop());
        Ok(())
    }
}
