//! `--state`: a server killed with SIGKILL while calls are in flight loses
//! none that it acknowledged.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use support::Served;

#[test]
fn a_killed_server_loses_no_acknowledged_call() {
    let path = std::env::temp_dir().join(format!("ecs-server-kill-{}.journal", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let state = path.to_str().unwrap();
    let mut server = Served::start(&["--state", state, "--clock", "manual"]);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let client = server.endpoint.clone();
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let name = format!("w{writer}-{n}");
                    match client.call("CreateCluster", &format!("{{\"clusterName\": \"{name}\"}}"))
                    {
                        Ok((200, _)) => acknowledged.lock().unwrap().push(name),
                        Ok((status, body)) => panic!("{status}: {body}"),
                        // The server was killed mid-call: never acknowledged.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "only {} calls before the kill",
        acknowledged.len()
    );

    let restarted = Served::start(&["--state", state, "--clock", "manual"]);
    let mut names = std::collections::BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let body = match &token {
            Some(t) => format!("{{\"maxResults\": 100, \"nextToken\": \"{t}\"}}"),
            None => "{\"maxResults\": 100}".to_string(),
        };
        let (status, body) = restarted.endpoint.call("ListClusters", &body).unwrap();
        assert_eq!(status, 200, "{body}");
        let page: Value = serde_json::from_str(&body).unwrap();
        for arn in page["clusterArns"].as_array().unwrap() {
            names.insert(
                arn.as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
            );
        }
        token = page["nextToken"].as_str().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|n| !names.contains(*n))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged but lost after kill -9: {lost:?}"
    );
    println!(
        "{} acknowledged calls before SIGKILL, all restored",
        acknowledged.len()
    );
    drop(restarted);
    let _ = std::fs::remove_file(&path);
}
