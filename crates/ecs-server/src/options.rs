//! `ecs-playground serve`'s options, parsed by hand: the CLI has no argument
//! library yet, and these few flags keep the `serve` subcommand one call
//! (`ServeOptions::from_args`, then `ecs_server::run`) that a clap-based CLI
//! can replace with a derive over the same struct.

use std::path::PathBuf;

/// The port `serve` listens on unless `--port` says otherwise (moto uses
/// 5000 and LocalStack 4566; this one is free of both).
pub const DEFAULT_PORT: u16 = 4466;

/// Virtual seconds per wall-clock second by default. The ServicesStable
/// waiter polls DescribeServices at once and then every 15 s; a small new
/// service needs about a virtual minute to be RUNNING and a rolling update a
/// few minutes (stop timeouts, minimum healthy percent), so 20× makes
/// the second poll (15 wall seconds = 5 virtual minutes) find it stable.
pub const DEFAULT_SPEED: f64 = 20.0;

/// How the virtual clock moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClockMode {
    /// With wall time, `speed` virtual seconds per second.
    Wall { speed: f64 },
    /// Only on `Simulator.AdvanceClock`.
    Manual,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    pub clock: ClockMode,
    /// The journal that keeps the account across restarts.
    pub state: Option<PathBuf>,
    /// The region of unsigned requests.
    pub region: String,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            host: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            clock: ClockMode::Wall {
                speed: DEFAULT_SPEED,
            },
            state: None,
            region: "us-east-1".into(),
        }
    }
}

pub const USAGE: &str = "\
  ecs-playground serve [--host HOST] [--port PORT] [--speed N | --clock manual]
                       [--state FILE] [--region REGION]
      Serve the simulated ECS as a local AWS endpoint (AWS JSON 1.1) for the
      AWS CLI, the SDKs and Terraform. HOST defaults to 127.0.0.1, PORT to
      4466 (0 picks a free port), N to 20 virtual seconds per second;
      --clock manual moves time only on Simulator.AdvanceClock. --state keeps
      the account in FILE across restarts. REGION (us-east-1) is used for
      requests without a SigV4 credential scope. See docs/endpoint.md.
";

impl ServeOptions {
    /// Parses `serve`'s arguments (`--flag value` or `--flag=value`).
    pub fn from_args(args: &[String]) -> Result<ServeOptions, String> {
        let mut options = ServeOptions::default();
        let mut speed: Option<f64> = None;
        let mut manual = false;
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
                _ => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| rest.next().cloned())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag {
                "--host" => options.host = value()?,
                "--port" => {
                    let text = value()?;
                    options.port = text
                        .parse()
                        .map_err(|_| format!("--port {text}: not a port number (0-65535)"))?;
                }
                "--speed" => {
                    let text = value()?;
                    let parsed: f64 = text
                        .parse()
                        .map_err(|_| format!("--speed {text}: not a number"))?;
                    if !(parsed.is_finite() && parsed > 0.0 && parsed <= 100_000.0) {
                        return Err(format!(
                            "--speed {text}: must be above 0 and at most 100000"
                        ));
                    }
                    speed = Some(parsed);
                }
                "--clock" => match value()?.as_str() {
                    "manual" => manual = true,
                    "wall" => manual = false,
                    other => {
                        return Err(format!("--clock {other}: use `manual` or `wall`"));
                    }
                },
                "--state" => options.state = Some(PathBuf::from(value()?)),
                "--region" => {
                    let region = value()?;
                    if !valid_region(&region) {
                        return Err(format!("--region {region}: not a region name"));
                    }
                    options.region = region;
                }
                other => return Err(format!("serve: unknown option `{other}`")),
            }
        }
        options.clock = match (manual, speed) {
            (true, Some(_)) => {
                return Err("--speed and --clock manual exclude each other".into());
            }
            (true, None) => ClockMode::Manual,
            (false, speed) => ClockMode::Wall {
                speed: speed.unwrap_or(DEFAULT_SPEED),
            },
        };
        Ok(options)
    }
}

/// A region name as it may appear in a credential scope: lowercase letters,
/// digits and dashes (`eu-west-1`, `us-gov-west-1`).
pub fn valid_region(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<ServeOptions, String> {
        ServeOptions::from_args(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn flags_and_defaults() {
        let o = parse(&[]).unwrap();
        assert_eq!(o.port, DEFAULT_PORT);
        assert_eq!(o.clock, ClockMode::Wall { speed: 20.0 });
        let o = parse(&["--port=0", "--clock", "manual", "--state", "s.journal"]).unwrap();
        assert_eq!((o.port, o.clock), (0, ClockMode::Manual));
        assert_eq!(o.state.unwrap().to_str(), Some("s.journal"));
        let o = parse(&[
            "--speed",
            "2.5",
            "--region",
            "eu-west-1",
            "--host",
            "0.0.0.0",
        ])
        .unwrap();
        assert_eq!(o.clock, ClockMode::Wall { speed: 2.5 });
        assert_eq!(
            (o.region.as_str(), o.host.as_str()),
            ("eu-west-1", "0.0.0.0")
        );
    }

    #[test]
    fn bad_flags_are_explained() {
        for (args, expected) in [
            (&["--port", "x"][..], "not a port"),
            (&["--speed", "0"], "above 0"),
            (&["--speed", "2", "--clock", "manual"], "exclude"),
            (&["--clock", "fast"], "use `manual`"),
            (&["--port"], "needs a value"),
            (&["--region", "EU"], "not a region"),
            (&["--verbose"], "unknown option"),
        ] {
            let error = parse(args).unwrap_err();
            assert!(error.contains(expected), "{args:?}: {error}");
        }
    }
}
