//! Shared test support: the fake Hub and a runner for the real `catalog` binary.

pub mod fake_hub;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A sandbox: a temp data dir and a temp HOME, so no test touches the user's directories.
pub struct Sandbox {
    pub root: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            root: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    pub fn catalog_db(&self) -> PathBuf {
        self.data_dir().join("catalog.sqlite3")
    }

    /// A `catalog` command with a clean environment pointing at the sandbox.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_catalog"));
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_DATA_HOME", self.home().join("share"))
            .env("XDG_CACHE_HOME", self.home().join("cache"))
            .env("HF_HOME", self.home().join("hf"))
            .env("CATALOG_RETRY_BASE_MS", "20")
            .env("NO_COLOR", "1")
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args);
        cmd
    }

    /// Runs `catalog` to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run catalog")
    }

    /// `show ID --output json`, parsed.
    pub fn show_json(&self, id: &str) -> serde_json::Value {
        let out = self.run(&["show", id, "--output", "json"]);
        assert_ok(&out);
        serde_json::from_str(&stdout(&out)).expect("show JSON")
    }

    /// `status --json`, parsed.
    pub fn status_json(&self) -> serde_json::Value {
        let out = self.run(&["status", "--json"]);
        assert_ok(&out);
        serde_json::from_str(&stdout(&out)).expect("status JSON")
    }

    /// `query ARGS --output jsonl`: the dataset names, best first.
    pub fn query_names(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["query"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--output", "jsonl"]);
        let out = self.run(&all);
        assert_ok(&out);
        jsonl_names(&stdout(&out))
    }

    /// Writes Hub listing items as JSONL into the sandbox and runs `catalog import` on them.
    pub fn import_items(&self, items: &[serde_json::Value]) {
        let file = self.root.path().join("items.jsonl");
        let lines: String = items.iter().map(|i| format!("{i}\n")).collect();
        std::fs::write(&file, lines).expect("write items.jsonl");
        assert_ok(&self.run(&["import", file.to_str().expect("UTF-8 temp path")]));
    }

    /// `sync` against a fake hub (both Hub and viewer on it).
    pub fn sync(&self, hub_url: &str, extra: &[&str]) -> Output {
        let mut args = vec!["sync", "--hub-url", hub_url, "--viewer-url", hub_url];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Asserts success, printing both streams otherwise.
pub fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// The `name` of every JSON line.
pub fn jsonl_names(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let record: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            record["name"].as_str().expect("name").to_string()
        })
        .collect()
}

/// Every file below `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A realistic therapy listing item for the fake hub.
pub fn therapy_item(id: &str, description: &str) -> serde_json::Value {
    fake_hub::FakeHub::dataset_item(
        id,
        description,
        &[
            "task_categories:text-generation",
            "language:en",
            "license:mit",
            "mental-health",
            "format:parquet",
        ],
    )
}

/// A `{role, content}` conversation row with `turns` messages alternating client/therapist
/// (plus a system prompt). Every call returns a different conversation.
pub fn chat_row(turns: usize) -> serde_json::Value {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let messages: Vec<serde_json::Value> = (0..turns)
        .map(|i| {
            let (role, text) = if i % 2 == 0 {
                (
                    "user",
                    format!("I have been feeling anxious lately (conversation {n}), message {i}."),
                )
            } else {
                (
                    "assistant",
                    format!("That sounds hard. What happens when you feel anxious? ({i})"),
                )
            };
            serde_json::json!({"role": role, "content": text})
        })
        .collect();
    let mut all =
        vec![serde_json::json!({"role": "system", "content": "You are a supportive counselor."})];
    all.extend(messages);
    serde_json::json!({ "messages": all })
}
