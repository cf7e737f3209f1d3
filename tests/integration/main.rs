//! The integration tests: one binary (one link of the fake hub and the helpers instead of one
//! per file). Each module is one area; `cargo test --test integration sync_full` runs one.
//!
//! They drive the real `catalog` binary (and, in `paused_clock`, the library's HTTP client)
//! against the fake hub in `common/fake_hub` over loopback, with real SQLite files and tantivy
//! indexes in temporary directories. Nothing touches the internet or the user's directories.

mod common;

mod cli_snapshots;
mod demo_session;
mod families;
mod html_render;
mod import;
mod index_rebuild;
mod kinds;
mod paused_clock;
mod query_offline;
mod ranking_prune;
mod sync_crawl;
mod sync_full;
mod sync_resume;
mod sync_sampling;
mod turns_bounds;
mod turns_sources;
