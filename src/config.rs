//! Resolved settings: where the catalog lives, which endpoints to call, which token to send.
//!
//! Resolved once from flags and environment (DESIGN.md §4); every value remembers where it came
//! from so `catalog status` can say it. The token itself is never printed, logged or stored.

use secrecy::SecretString;
use std::path::{Path, PathBuf};

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A command-line flag.
    Flag,
    /// An environment variable (named in the value's `origin`).
    Env,
    /// A file (the token file).
    File,
    /// The built-in default.
    Default,
}

/// A resolved value and its origin.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resolved<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
    /// The flag, variable or file name behind it.
    pub origin: String,
}

/// Default Hub endpoint.
pub const DEFAULT_HUB_URL: &str = "https://huggingface.co";
/// Default dataset-viewer endpoint.
pub const DEFAULT_VIEWER_URL: &str = "https://datasets-server.huggingface.co";

/// Settings shared by every command. `Debug` shows the token as `[REDACTED]` ([`SecretString`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    /// Data directory (catalog database and index).
    pub data_dir: Resolved<PathBuf>,
    /// Hub base URL.
    pub hub_url: Resolved<String>,
    /// Viewer base URL.
    pub viewer_url: Resolved<String>,
    /// Where the token came from, if any (the token itself is in `token`, never serialised).
    pub token_origin: Option<Resolved<()>>,
    #[serde(skip)]
    token: Option<SecretString>,
    /// First retry backoff of a sync: 1 s; `CATALOG_RETRY_BASE_MS` shortens it (the test
    /// suite's hook, so retried faults do not cost real seconds).
    #[serde(skip)]
    pub retry_backoff_base: std::time::Duration,
}

/// First retry backoff unless `CATALOG_RETRY_BASE_MS` says otherwise.
pub const DEFAULT_RETRY_BACKOFF_BASE: std::time::Duration = std::time::Duration::from_secs(1);

/// Reads an environment variable; an empty value counts as unset.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Config {
    /// Resolves settings from flags (highest priority), then `env`, then defaults.
    pub fn resolve(
        data_dir_flag: Option<&Path>,
        hub_url_flag: Option<&str>,
        viewer_url_flag: Option<&str>,
        env: EnvLookup<'_>,
    ) -> Config {
        let env = |k: &str| env(k).filter(|v| !v.trim().is_empty());
        let data_dir = match (data_dir_flag, env("CATALOG_DIR")) {
            (Some(p), _) => resolved(p.to_path_buf(), Source::Flag, "--data-dir"),
            (None, Some(p)) => resolved(PathBuf::from(p), Source::Env, "CATALOG_DIR"),
            (None, None) => resolved(default_data_dir(&env), Source::Default, "OS data dir"),
        };
        let url = |flag: Option<&str>, flag_name: &str, var: &str, default: &str| match (
            flag,
            env(var),
        ) {
            (Some(u), _) => resolved(clean_url(u), Source::Flag, flag_name),
            (None, Some(u)) => resolved(clean_url(&u), Source::Env, var),
            (None, None) => resolved(default.to_string(), Source::Default, "built-in"),
        };
        let hub_url = url(hub_url_flag, "--hub-url", "HF_ENDPOINT", DEFAULT_HUB_URL);
        let viewer_url = url(
            viewer_url_flag,
            "--viewer-url",
            "CATALOG_VIEWER_URL",
            DEFAULT_VIEWER_URL,
        );
        let (token, token_origin) = resolve_token(&env);
        let retry_backoff_base = env("CATALOG_RETRY_BASE_MS")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(DEFAULT_RETRY_BACKOFF_BASE, std::time::Duration::from_millis);
        Config {
            data_dir,
            hub_url,
            viewer_url,
            token_origin,
            token,
            retry_backoff_base,
        }
    }

    /// Resolves from the process environment.
    pub fn from_process_env(
        data_dir_flag: Option<&Path>,
        hub_url_flag: Option<&str>,
        viewer_url_flag: Option<&str>,
    ) -> Config {
        Config::resolve(data_dir_flag, hub_url_flag, viewer_url_flag, &|k| {
            std::env::var(k).ok()
        })
    }

    /// The token to send as `Authorization: Bearer`, if any (exposed only where the header is
    /// built, see `hub::HttpClient`).
    pub fn token(&self) -> Option<&SecretString> {
        self.token.as_ref()
    }

    /// The SQLite catalog file.
    pub fn catalog_path(&self) -> PathBuf {
        self.data_dir.value.join("catalog.sqlite3")
    }

    /// The directory holding index generations.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.value.join("index")
    }

    /// The lock file that keeps two syncs from running at once.
    pub fn lock_path(&self) -> PathBuf {
        self.data_dir.value.join("sync.lock")
    }
}

fn resolved<T>(value: T, source: Source, origin: &str) -> Resolved<T> {
    Resolved {
        value,
        source,
        origin: origin.to_string(),
    }
}

fn clean_url(u: &str) -> String {
    u.trim().trim_end_matches('/').to_string()
}

fn default_data_dir(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    if let Some(xdg) = env("XDG_DATA_HOME") {
        return PathBuf::from(xdg).join("catalog");
    }
    dirs::data_dir()
        .map(|d| d.join("catalog"))
        .unwrap_or_else(|| PathBuf::from(".catalog"))
}

/// `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, else `HUGGINGFACE_TOKEN`, else `$HF_TOKEN_PATH` or
/// `$HF_HOME/token` (`HF_HOME` defaults to `$XDG_CACHE_HOME/huggingface` or `~/.cache/huggingface`).
fn resolve_token(
    env: &dyn Fn(&str) -> Option<String>,
) -> (Option<SecretString>, Option<Resolved<()>>) {
    for var in ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGINGFACE_TOKEN"] {
        if let Some(token) = env(var) {
            return (
                Some(SecretString::from(token.trim())),
                Some(resolved((), Source::Env, var)),
            );
        }
    }
    let token_file = env("HF_TOKEN_PATH").map(PathBuf::from).or_else(|| {
        let home = env("HF_HOME").map(PathBuf::from).or_else(|| {
            env("XDG_CACHE_HOME")
                .map(|c| PathBuf::from(c).join("huggingface"))
                .or_else(|| dirs::home_dir().map(|h| h.join(".cache").join("huggingface")))
        })?;
        Some(home.join("token"))
    });
    if let Some(path) = token_file {
        if let Ok(contents) = std::fs::read_to_string(&path) {
            let token = contents.trim();
            if !token.is_empty() {
                return (
                    Some(SecretString::from(token)),
                    Some(resolved((), Source::File, &path.display().to_string())),
                );
            }
        }
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn flags_beat_env_beat_defaults() {
        let env = env_of(&[
            ("CATALOG_DIR", "/env/dir"),
            ("HF_ENDPOINT", "https://mirror.example/"),
            ("HF_HOME", "/nonexistent-hf-home"),
        ]);
        let c = Config::resolve(Some(Path::new("/flag/dir")), None, None, &env);
        assert_eq!(c.data_dir.value, PathBuf::from("/flag/dir"));
        assert_eq!(c.hub_url.value, "https://mirror.example");
        assert_eq!(c.hub_url.source, Source::Env);
        assert_eq!(c.viewer_url.value, DEFAULT_VIEWER_URL);
        let c = Config::resolve(None, Some("http://127.0.0.1:1"), None, &env);
        assert_eq!(c.data_dir.value, PathBuf::from("/env/dir"));
        assert_eq!(c.hub_url.value, "http://127.0.0.1:1");
    }

    fn exposed(c: &Config) -> Option<&str> {
        use secrecy::ExposeSecret;
        c.token().map(ExposeSecret::expose_secret)
    }

    #[test]
    fn the_retry_backoff_hook_is_read_once_into_the_config() {
        let none = Config::resolve(None, None, None, &env_of(&[]));
        assert_eq!(none.retry_backoff_base, DEFAULT_RETRY_BACKOFF_BASE);
        let set = Config::resolve(
            None,
            None,
            None,
            &env_of(&[("CATALOG_RETRY_BASE_MS", "20")]),
        );
        assert_eq!(set.retry_backoff_base, std::time::Duration::from_millis(20));
        let junk = Config::resolve(None, None, None, &env_of(&[("CATALOG_RETRY_BASE_MS", "x")]));
        assert_eq!(junk.retry_backoff_base, DEFAULT_RETRY_BACKOFF_BASE);
    }

    #[test]
    fn token_order_and_file_and_redaction() {
        let env = env_of(&[
            ("HUGGING_FACE_HUB_TOKEN", "hf_legacy"),
            ("HF_TOKEN", " hf_first "),
        ]);
        let c = Config::resolve(None, None, None, &env);
        assert_eq!(exposed(&c), Some("hf_first"));
        let debug = format!("{c:?}");
        assert!(!debug.contains("hf_first"), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
        assert!(!format!("{c:#?}").contains("hf_first"));
        assert!(!serde_json::to_string(&c).unwrap().contains("hf_first"));

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("token"), "hf_from_file\n").unwrap();
        let home = dir.path().to_string_lossy().to_string();
        let env = env_of(&[("HF_HOME", &home)]);
        let c = Config::resolve(None, None, None, &env);
        assert_eq!(exposed(&c), Some("hf_from_file"));
        assert!(!format!("{c:?}").contains("hf_from_file"));
        assert_eq!(c.token_origin.unwrap().source, Source::File);
    }
}
