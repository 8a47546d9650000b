//! `.ecs-playground.toml`: a repository's settings for `check`.
//!
//! ```toml
//! # Codes never reported in this repository.
//! ignore = ["image-latest-tag"]
//! # Paths never checked when walking directories, as .gitignore patterns
//! # relative to this file's directory.
//! exclude = ["vendor/", "legacy/**/*.json"]
//! ```
//!
//! The nearest file from the working directory upward applies.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

pub const FILE_NAME: &str = ".ecs-playground.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

/// The settings in force: codes to leave out, paths not to walk into.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the settings came from, if from a file.
    pub source: Option<PathBuf>,
    pub ignored_codes: Vec<String>,
    excluded: Gitignore,
}

impl Config {
    pub fn empty() -> Config {
        Config {
            source: None,
            ignored_codes: Vec::new(),
            excluded: Gitignore::empty(),
        }
    }

    /// The nearest config file from `start` upward, or none.
    pub fn discover(start: &Path) -> Result<Config, String> {
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::empty())
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let parsed: ConfigFile =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let mut builder = GitignoreBuilder::new(&root);
        for pattern in &parsed.exclude {
            builder
                .add_line(None, pattern)
                .map_err(|e| format!("{}: exclude {pattern:?}: {e}", path.display()))?;
        }
        let excluded = builder
            .build()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Config {
            source: Some(path.to_path_buf()),
            ignored_codes: parsed.ignore,
            excluded,
        })
    }

    /// Whether a path met while walking (absolute) is excluded.
    pub fn excludes(&self, absolute: &Path, is_dir: bool) -> bool {
        // The matcher only answers for paths under its root.
        absolute.starts_with(self.excluded.path())
            && self
                .excluded
                .matched_path_or_any_parents(absolute, is_dir)
                .is_ignore()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_paths_are_read_relative_to_the_file() {
        let dir = std::env::temp_dir().join(format!("ecs-cli-config-{}", std::process::id()));
        let nested = dir.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(
            dir.join(FILE_NAME),
            "ignore = [\"image-latest-tag\"]\nexclude = [\"vendor/\", \"legacy/**/*.json\"]\n",
        )
        .unwrap();
        let config = Config::discover(&nested).unwrap();
        assert_eq!(
            config.source.as_deref(),
            Some(dir.join(FILE_NAME).as_path())
        );
        assert_eq!(config.ignored_codes, ["image-latest-tag"]);
        assert!(config.excludes(&dir.join("vendor"), true));
        assert!(config.excludes(&dir.join("vendor/x/td.json"), false));
        assert!(config.excludes(&dir.join("legacy/old/td.json"), false));
        assert!(!config.excludes(&dir.join("legacy/old/td.yaml"), false));
        assert!(!config.excludes(Path::new("/elsewhere/vendor/td.json"), false));

        std::fs::write(dir.join(FILE_NAME), "ignore = \"one\"\n").unwrap();
        assert!(Config::discover(&nested).is_err());
        std::fs::write(dir.join(FILE_NAME), "colour = true\n").unwrap();
        let error = Config::discover(&nested).unwrap_err();
        assert!(error.contains("colour"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
