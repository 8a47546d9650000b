//! Starts the `ecs-server` binary on a free port, as a user would.
#![allow(dead_code)] // each test file uses a part of it

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

pub struct Served {
    pub child: Child,
    pub endpoint: Endpoint,
}

/// Where a started server listens.
#[derive(Clone)]
pub struct Endpoint {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub addr: String,
}

impl Served {
    pub fn start(args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-server"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the ecs-server binary starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("its standard output");
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line
            .trim()
            .rsplit(' ')
            .next()
            .filter(|u| u.starts_with("http://"))
            .unwrap_or_else(|| panic!("no listening line from the server: {line:?}"))
            .to_string();
        let addr = url.trim_start_matches("http://").to_string();
        Served {
            child,
            endpoint: Endpoint { url, addr },
        }
    }
}

impl Endpoint {
    /// One ECS call on its own connection: the status and the body.
    pub fn call(&self, operation: &str, body: &str) -> Result<(u16, String), std::io::Error> {
        let mut stream = TcpStream::connect(&self.addr)?;
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nX-Amz-Target: AmazonEC2ContainerServiceV20141113.{operation}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        stream.write_all(request.as_bytes())?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other("no HTTP status"))?;
        let body = answer
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        Ok((status, body))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
