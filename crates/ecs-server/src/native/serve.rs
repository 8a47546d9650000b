//! The server's life: open the state, bind, accept, stop. Native only (the
//! crate is part of the workspace's wasm32 clippy run, where it has no
//! sockets).

use std::net::SocketAddr;
use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};

use crate::accounts::Accounts;
use crate::http::{self, Limits, Server};
use crate::journal::{Header, Journal};
use crate::{ServeOptions, DEFAULT_ACCOUNT};

/// Serves until Ctrl-C or SIGTERM (`ecs-playground serve`). Prints the
/// address it listens on as its first line of standard output.
pub fn run(options: ServeOptions) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(async {
        let running = start(options, Limits::default()).await?;
        println!("ecs-playground serve: listening on http://{}", running.addr);
        let _ = std::io::Write::flush(&mut std::io::stdout());
        shutdown_signal().await;
        running.stop().await;
        Ok(())
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async {
            match terminate.as_mut() {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A server started by [`start`].
pub struct Running {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    done: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops accepting connections. Every acknowledged call is already in
    /// the state file, so nothing needs flushing.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.done.await;
    }
}

/// Opens the state (replaying the journal), binds and starts serving.
pub async fn start(options: ServeOptions, limits: Limits) -> Result<Running, String> {
    if cfg!(panic = "abort") {
        eprintln!(
            "ecs-playground serve: warning: this build aborts on a panic, so an internal bug would end the server; \
             build with `--profile server` (panic = unwind) to have it answered as a 500 instead"
        );
    }
    let fresh = Header {
        epoch_seconds: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        account: DEFAULT_ACCOUNT.to_string(),
    };
    let accounts = match &options.state {
        None => Accounts::restore(fresh, options.clock, None, &[]).0,
        Some(path) => {
            let opened = Journal::open(path, fresh)?;
            if opened.dropped_tail {
                eprintln!(
                    "ecs-playground serve: dropped an unfinished last entry of {} (a call that was never acknowledged)",
                    path.display()
                );
            }
            let count = opened.entries.len();
            let (accounts, warnings) = Accounts::restore(
                opened.header,
                options.clock,
                Some(opened.journal),
                &opened.entries,
            );
            for warning in warnings {
                eprintln!("ecs-playground serve: warning: {warning}");
            }
            eprintln!(
                "ecs-playground serve: {}: {count} journaled entries replayed",
                path.display()
            );
            accounts
        }
    };
    let listener = TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.host, options.port))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let server = Arc::new(Server {
        accounts,
        default_region: options.region,
        limits,
    });
    let (stop, stopped) = oneshot::channel();
    let done = tokio::spawn(accept_loop(listener, server, stopped));
    Ok(Running { addr, stop, done })
}

async fn accept_loop(
    listener: TcpListener,
    server: Arc<Server>,
    mut stopped: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(server.limits.max_connections));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let accepted = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: wait, keep serving.
                eprintln!("ecs-playground serve: accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let server = server.clone();
        tokio::spawn(async move {
            let limits = server.limits;
            let service = service_fn(move |request| http::handle(server.clone(), request));
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            // A client that vanishes or misbehaves ends only its connection.
            let _ = connection.await;
            drop(slot);
        });
    }
}
