//! The state file (`--state FILE`): a journal of the calls that change the
//! account, each with the virtual time it ran at. The simulation is
//! deterministic, so replaying the journal rebuilds the account exactly.
//!
//! The file is JSON lines: a header, then one entry a line.
//!
//! ```text
//! {"journal":"ecs-playground","version":1,"epochSeconds":1796000000,"account":"123456789012"}
//! {"at":0,"region":"us-east-1","operation":"CreateCluster","request":{"clusterName":"a"},"ok":true}
//! {"at":91234,"reset":true}
//! {"at":95000,"horizon":155000}
//! ```
//!
//! A horizon entry bounds the virtual time answers may have shown: reads are
//! not journaled, but the state they showed was at their virtual time, so
//! before an answer later than every entry is sent, a horizon a little
//! beyond it is written, and a restart resumes the clock there. Time a
//! client saw never goes backwards, at one `fsync` per slack of virtual time.
//!
//! An entry is written and `fsync`ed before its response is sent, so a call
//! the client saw acknowledged survives `kill -9`. A crash while writing
//! leaves at most one unfinished last line (no newline): that call was never
//! acknowledged, and opening the file drops it. Anything else that does not
//! read (a bad header, a bad line in the middle, a newer version) is refused
//! with a message, and the file is left as it is.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

pub const FORMAT: &str = "ecs-playground";
pub const VERSION: u64 = 1;

/// What the account starts from: the same for every replay of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Wall-clock second that virtual time 0 stands for.
    pub epoch_seconds: u64,
    pub account: String,
}

/// One journaled event.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Call {
        at: u64,
        region: String,
        operation: String,
        request: Value,
        /// Whether it succeeded: replay checks it gets the same outcome.
        ok: bool,
    },
    /// Every region's account was discarded (the reset calls).
    Reset { at: u64 },
    /// Answers up to `until` may have been sent: resume the clock there.
    Horizon { at: u64, until: u64 },
}

impl Entry {
    pub fn at(&self) -> u64 {
        match self {
            Entry::Call { at, .. } | Entry::Reset { at } | Entry::Horizon { at, .. } => *at,
        }
    }

    /// The latest virtual time the entry stands for.
    pub fn reaches(&self) -> u64 {
        match self {
            Entry::Horizon { until, at } => (*until).max(*at),
            other => other.at(),
        }
    }

    fn to_line(&self) -> String {
        let value = match self {
            Entry::Call {
                at,
                region,
                operation,
                request,
                ok,
            } => {
                json!({"at": at, "region": region, "operation": operation, "request": request, "ok": ok})
            }
            Entry::Reset { at } => json!({"at": at, "reset": true}),
            Entry::Horizon { at, until } => json!({"at": at, "horizon": until}),
        };
        let mut line = value.to_string();
        line.push('\n');
        line
    }

    fn from_value(value: &Value) -> Option<Entry> {
        let at = value.get("at")?.as_u64()?;
        if value.get("reset").and_then(Value::as_bool) == Some(true) {
            return Some(Entry::Reset { at });
        }
        if let Some(until) = value.get("horizon") {
            return Some(Entry::Horizon {
                at,
                until: until.as_u64()?,
            });
        }
        let request = value.get("request")?;
        if !request.is_object() {
            return None;
        }
        Some(Entry::Call {
            at,
            region: value.get("region")?.as_str()?.to_string(),
            operation: value.get("operation")?.as_str()?.to_string(),
            request: request.clone(),
            ok: value.get("ok")?.as_bool()?,
        })
    }
}

/// The open journal, appended to under the server's lock.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Bytes known to be whole entries: a failed append is cut back to it.
    length: u64,
    /// A failed append could not be undone: refuse further writes.
    broken: bool,
    /// The latest virtual time any entry reaches.
    horizon: u64,
}

/// What opening a state file found.
#[derive(Debug)]
pub struct Opened {
    pub journal: Journal,
    pub header: Header,
    pub entries: Vec<Entry>,
    /// An unfinished last line (a call that was never acknowledged) was dropped.
    pub dropped_tail: bool,
}

impl Journal {
    /// Opens `path`, creating it with a header for `fresh` if it does not exist.
    pub fn open(path: &Path, fresh: Header) -> Result<Opened, String> {
        let shown = path.display();
        if !path.exists() {
            return Journal::create(path, fresh);
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot open the state file {shown}: {e}"))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the state file {shown}: {e}"))?;
        let whole = bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let (header, entries) = parse(&bytes[..whole])
            .map_err(|problem| format!("refusing the state file {shown}: {problem}. It was left unchanged; move it away or pass another --state file."))?;
        let horizon = entries.iter().map(Entry::reaches).max().unwrap_or(0);
        let dropped_tail = whole < bytes.len();
        if dropped_tail {
            file.set_len(whole as u64)
                .and_then(|()| file.sync_data())
                .map_err(|e| format!("cannot cut the unfinished last entry of {shown}: {e}"))?;
        }
        Ok(Opened {
            journal: Journal {
                path: path.to_path_buf(),
                file,
                length: whole as u64,
                broken: false,
                horizon,
            },
            header,
            entries,
            dropped_tail,
        })
    }

    fn create(path: &Path, header: Header) -> Result<Opened, String> {
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .open(path)
            .map_err(|e| format!("cannot create the state file {shown}: {e}"))?;
        let mut line = json!({
            "journal": FORMAT,
            "version": VERSION,
            "epochSeconds": header.epoch_seconds,
            "account": header.account,
        })
        .to_string();
        line.push('\n');
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write the state file {shown}: {e}"))?;
        // The new name must survive a crash too.
        if let Some(dir) = path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(dir) = File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(Opened {
            journal: Journal {
                path: path.to_path_buf(),
                file,
                length: line.len() as u64,
                broken: false,
                horizon: 0,
            },
            header,
            entries: Vec::new(),
            dropped_tail: false,
        })
    }

    /// The latest virtual time the journal's entries reach.
    pub fn horizon(&self) -> u64 {
        self.horizon
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `entry` and makes it durable; on failure the file is cut back
    /// to its last whole entry (or, if even that fails, no further entry is
    /// accepted, so the file never holds a torn line in the middle).
    pub fn append(&mut self, entry: &Entry) -> Result<(), String> {
        if self.broken {
            return Err(format!(
                "the state file {} could not be repaired after a failed write; restart the server",
                self.path.display()
            ));
        }
        let line = entry.to_line();
        let written = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.length += line.len() as u64;
                self.horizon = self.horizon.max(entry.reaches());
                Ok(())
            }
            Err(e) => {
                if self
                    .file
                    .set_len(self.length)
                    .and_then(|()| self.file.sync_data())
                    .is_err()
                {
                    self.broken = true;
                }
                Err(format!(
                    "cannot write the state file {}: {e}",
                    self.path.display()
                ))
            }
        }
    }
}

/// Reads a journal's whole lines.
fn parse(bytes: &[u8]) -> Result<(Header, Vec<Entry>), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    let mut lines = text.lines();
    let first = lines
        .next()
        .ok_or_else(|| "it is empty (no journal header)".to_string())?;
    let header: Value = serde_json::from_str(first)
        .map_err(|_| "its first line is not an ecs-playground journal header".to_string())?;
    if header.get("journal").and_then(Value::as_str) != Some(FORMAT) {
        return Err("its first line is not an ecs-playground journal header".into());
    }
    let version = header.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version > VERSION {
        return Err(format!(
            "it was written by a newer ecs-playground (journal version {version}; this build reads version {VERSION})"
        ));
    }
    if version != VERSION {
        return Err(format!(
            "journal version {version} is not one this build reads"
        ));
    }
    let header = Header {
        epoch_seconds: header
            .get("epochSeconds")
            .and_then(Value::as_u64)
            .ok_or_else(|| "its header has no epochSeconds".to_string())?,
        account: header
            .get("account")
            .and_then(Value::as_str)
            .ok_or_else(|| "its header has no account".to_string())?
            .to_string(),
    };
    let mut entries = Vec::new();
    // Calls of one region run one at a time, in the order of their times;
    // calls of different regions may be journaled a little out of order.
    let mut last_at: std::collections::BTreeMap<String, u64> = Default::default();
    for (index, line) in lines.enumerate() {
        let number = index + 2;
        let entry = serde_json::from_str::<Value>(line)
            .ok()
            .as_ref()
            .and_then(Entry::from_value)
            .ok_or_else(|| format!("line {number} is not a journal entry"))?;
        if let Entry::Call { at, region, .. } = &entry {
            let last = last_at.entry(region.clone()).or_insert(0);
            if at < last {
                return Err(format!("line {number} goes back in time"));
            }
            *last = *at;
        }
        entries.push(entry);
    }
    Ok((header, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ecs-server-journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        dir
    }

    fn header() -> Header {
        Header {
            epoch_seconds: 1_800_000_000,
            account: "123456789012".into(),
        }
    }

    fn call(at: u64, operation: &str) -> Entry {
        Entry::Call {
            at,
            region: "eu-west-1".into(),
            operation: operation.into(),
            request: json!({"clusterName": "a"}),
            ok: true,
        }
    }

    #[test]
    fn entries_survive_reopening() {
        let path = temp("roundtrip");
        let mut opened = Journal::open(&path, header()).unwrap();
        assert!(opened.entries.is_empty());
        opened.journal.append(&call(0, "CreateCluster")).unwrap();
        opened.journal.append(&Entry::Reset { at: 5 }).unwrap();
        opened.journal.append(&call(7, "DeleteCluster")).unwrap();
        opened
            .journal
            .append(&Entry::Horizon {
                at: 7,
                until: 60_007,
            })
            .unwrap();
        assert_eq!(opened.journal.horizon(), 60_007);
        drop(opened);
        let other_header = Header {
            epoch_seconds: 1,
            account: "x".into(),
        };
        let again = Journal::open(&path, other_header).unwrap();
        assert_eq!(again.header, header(), "the file's header wins");
        assert_eq!(
            again.entries,
            vec![
                call(0, "CreateCluster"),
                Entry::Reset { at: 5 },
                call(7, "DeleteCluster"),
                Entry::Horizon {
                    at: 7,
                    until: 60_007
                }
            ]
        );
        assert_eq!(again.journal.horizon(), 60_007);
        assert!(!again.dropped_tail);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn an_unfinished_last_line_is_dropped() {
        let path = temp("torn");
        let mut opened = Journal::open(&path, header()).unwrap();
        opened.journal.append(&call(0, "CreateCluster")).unwrap();
        drop(opened);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"at\":9,\"region\":\"eu-we").unwrap();
        drop(file);
        let mut again = Journal::open(&path, header()).unwrap();
        assert!(again.dropped_tail);
        assert_eq!(again.entries.len(), 1);
        again.journal.append(&call(10, "DeleteCluster")).unwrap();
        drop(again);
        assert_eq!(Journal::open(&path, header()).unwrap().entries.len(), 2);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn corrupt_and_newer_files_are_refused_and_left_alone() {
        let good_header =
            "{\"journal\":\"ecs-playground\",\"version\":1,\"epochSeconds\":1,\"account\":\"1\"}\n";
        for (name, text, expected) in [
            ("garbage", "hello\n".to_string(), "not an ecs-playground journal"),
            ("empty", String::new(), "empty"),
            (
                "newer",
                "{\"journal\":\"ecs-playground\",\"version\":2,\"epochSeconds\":1,\"account\":\"1\"}\n".to_string(),
                "newer ecs-playground",
            ),
            ("bad-line", format!("{good_header}{{\"at\":1}}\n{{\"at\":2,\"reset\":true}}\n"), "line 2"),
            (
                "backwards",
                format!("{good_header}{{\"at\":9,\"region\":\"r\",\"operation\":\"A\",\"request\":{{}},\"ok\":true}}\n{{\"at\":2,\"region\":\"r\",\"operation\":\"B\",\"request\":{{}},\"ok\":true}}\n"),
                "line 3 goes back in time",
            ),
            ("binary", "\u{0}\u{1}\n".to_string(), "not an ecs-playground"),
        ] {
            let path = temp(name);
            std::fs::write(&path, &text).unwrap();
            let error = Journal::open(&path, header()).unwrap_err();
            assert!(error.contains(expected), "{name}: {error}");
            assert!(error.contains("left unchanged"), "{name}: {error}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "{name} untouched");
            let _ = std::fs::remove_file(&path);
        }
    }
}
