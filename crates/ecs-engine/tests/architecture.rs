//! ARCHITECTURE.md's code map names real files: every backticked path in the
//! table's first column exists, and so does every file or folder the second
//! column names (a path from the repository root, or a name found under the
//! row's own folder). Build outputs (`dist/…`) are not checked.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn backticked(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// Whether `name` (a file or `folder/`) exists under `folder`, at any depth.
fn found_under(folder: &Path, name: &str, depth: u32) -> bool {
    if folder.join(name).exists() {
        return true;
    }
    depth > 0
        && std::fs::read_dir(folder).is_ok_and(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .filter(|e| {
                    !["target", "node_modules", "dist"].contains(&&*e.file_name().to_string_lossy())
                })
                .any(|e| found_under(&e.path(), name, depth - 1))
        })
}

fn looks_like_path(token: &str) -> bool {
    !token.starts_with("dist/")
        && !token.contains(' ')
        && !token.contains("::")
        && !token.contains('(')
        && !token.contains('#')
        && (token.contains('/')
            || [
                ".rs", ".md", ".toml", ".html", ".tsv", ".json", ".sh", ".mjs", ".css",
            ]
            .iter()
            .any(|ext| token.ends_with(ext)))
}

#[test]
fn every_path_the_code_map_names_exists() {
    let root = root();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let map = text
        .split("## Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a Code map section");
    let mut missing = Vec::new();
    let mut checked = 0;
    for row in map.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('|').collect();
        let (Some(first), Some(second)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let mut folders: Vec<PathBuf> = Vec::new();
        for p in backticked(first).into_iter().filter(|p| looks_like_path(p)) {
            checked += 1;
            // A later entry of the cell may be relative to the first's folder.
            let path = [root.join(p)]
                .into_iter()
                .chain(folders.first().map(|f| f.join(p)))
                .find(|path| path.exists());
            match path {
                Some(path) if p.ends_with('/') => folders.push(path),
                Some(path) => {
                    folders.push(path.parent().map(Path::to_path_buf).unwrap_or_default())
                }
                None => missing.push(p.to_string()),
            }
        }
        for token in backticked(second)
            .into_iter()
            .filter(|t| looks_like_path(t))
        {
            checked += 1;
            let found = root.join(token).exists()
                || folders.iter().any(|folder| found_under(folder, token, 3));
            if !found {
                missing.push(format!("{token} (named in the row of {})", first.trim()));
            }
        }
    }
    assert!(
        checked > 40,
        "only {checked} paths found: has the table's form changed?"
    );
    assert!(
        missing.is_empty(),
        "the code map names paths that do not exist: {missing:#?}"
    );
}
