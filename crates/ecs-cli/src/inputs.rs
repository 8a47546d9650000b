//! From `check`'s arguments to the files to read: files as named, directories
//! walked recursively as git sees them (.gitignore, .ignore, hidden files
//! left out), globs matched under their literal prefix, `-` for standard input.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use ignore::WalkBuilder;

use crate::config::Config;

/// Extensions of files that can hold a task definition or a service in a
/// form the playground reads, or a template of one. Files found while
/// walking with any other extension are not read (counted as skipped).
const CANDIDATE_EXTENSIONS: &[&str] = &[
    "json", "yaml", "yml", "tf", // the forms themselves
    "tpl", "tmpl", "template", "j2", "jinja", "gotmpl", // templates of them
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// One document to check.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name findings are reported under: the path as walked, or `-`.
    pub name: String,
    pub source: Source,
    /// Named on the command line: checked whatever it holds. Files found by
    /// walking or by a glob are checked only if they hold an ECS document.
    pub explicit: bool,
}

/// The files the arguments name.
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Vec<Input>,
    /// Files met while walking whose names rule them out (not JSON, YAML or a template).
    pub skipped_by_name: usize,
    /// Arguments that name nothing, and directories that could not be read.
    pub problems: Vec<String>,
}

/// Expands `arguments` relative to `cwd`, leaving out what `config` excludes.
pub fn expand(arguments: &[String], cwd: &Path, config: &Config) -> Expanded {
    let mut expanded = Expanded::default();
    let mut seen = HashSet::new();
    let mut push = |expanded: &mut Expanded, input: Input| {
        if seen.insert(input.source.clone()) {
            expanded.inputs.push(input);
        }
    };
    for argument in arguments {
        let path = Path::new(argument);
        if argument == "-" {
            push(
                &mut expanded,
                Input {
                    name: "-".into(),
                    source: Source::Stdin,
                    explicit: true,
                },
            );
        } else if path.is_dir() {
            walk(path, None, cwd, config, &mut expanded, &mut push);
        } else if !path.exists() && is_glob(argument) {
            // `*` stays within a directory, as in a shell; `**` crosses them.
            let glob = GlobBuilder::new(argument).literal_separator(true).build();
            let matcher = match glob {
                Ok(glob) => glob.compile_matcher(),
                Err(e) => {
                    expanded.problems.push(format!("bad glob {argument}: {e}"));
                    continue;
                }
            };
            let before = expanded.inputs.len();
            let base = literal_prefix(argument);
            walk(&base, Some(&matcher), cwd, config, &mut expanded, &mut push);
            if expanded.inputs.len() == before {
                expanded
                    .problems
                    .push(format!("no file matches {argument}"));
            }
        } else {
            // A named file, or one that does not exist: reading it says which.
            push(
                &mut expanded,
                Input {
                    name: argument.clone(),
                    source: Source::File(path.to_path_buf()),
                    explicit: true,
                },
            );
        }
    }
    expanded
}

fn walk(
    root: &Path,
    glob: Option<&GlobMatcher>,
    cwd: &Path,
    config: &Config,
    expanded: &mut Expanded,
    push: &mut impl FnMut(&mut Expanded, Input),
) {
    let walker = WalkBuilder::new(root)
        // A checkout without .git (a CI cache, an unpacked archive) still has its .gitignore.
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry({
            let (cwd, config) = (cwd.to_path_buf(), config.clone());
            move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !config.excludes(&cwd.join(entry.path()), is_dir)
            }
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                expanded.problems.push(e.to_string());
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let shown = path.strip_prefix(".").unwrap_or(path);
        if glob.is_some_and(|g| !g.is_match(shown)) {
            continue;
        }
        if !has_candidate_extension(path) {
            expanded.skipped_by_name += 1;
            continue;
        }
        push(
            expanded,
            Input {
                name: shown.to_string_lossy().replace('\\', "/"),
                source: Source::File(path.to_path_buf()),
                explicit: false,
            },
        );
    }
}

fn has_candidate_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CANDIDATE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn is_glob(argument: &str) -> bool {
    argument.contains(['*', '?', '[', '{'])
}

/// The directory a glob's matches are under: its components before the
/// first that holds a wildcard.
fn literal_prefix(glob: &str) -> PathBuf {
    let mut base = PathBuf::new();
    for component in Path::new(glob).components() {
        if is_glob(&component.as_os_str().to_string_lossy()) {
            break;
        }
        base.push(component);
    }
    if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    }
}

/// Reads a file argument, or standard input for `-`.
pub fn read_argument(name: &str) -> std::io::Result<Vec<u8>> {
    if name == "-" {
        read(&Source::Stdin)
    } else {
        read(&Source::File(PathBuf::from(name)))
    }
}

pub fn read(source: &Source) -> std::io::Result<Vec<u8>> {
    match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        }
        Source::File(path) => std::fs::read(path),
    }
}

/// A file named from inside a document (Terraform's `file("x.json")`),
/// relative to that document's directory; `None` if it cannot be read.
pub fn read_beside(document: &Source, name: &str) -> Option<String> {
    let path = Path::new(name);
    let path = match document {
        Source::File(file) if path.is_relative() => file
            .parent()
            .map_or_else(|| path.to_path_buf(), |dir| dir.join(path)),
        _ => path.to_path_buf(),
    };
    std::fs::read_to_string(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_globs_literal_prefix_is_where_its_walk_starts() {
        for (glob, base) in [
            ("infra/**/*.json", "infra"),
            ("infra/ecs/td-*.json", "infra/ecs"),
            ("*.json", "."),
            ("a/{b,c}/x.json", "a"),
        ] {
            assert_eq!(literal_prefix(glob), PathBuf::from(base), "{glob}");
        }
    }
}
