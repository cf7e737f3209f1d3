//! `catalog`: a local, offline, indexed catalog of therapy and counseling conversation datasets
//! from the Hugging Face Hub.
//!
//! Data flows Hub → [`hub`] → [`sync`] → [`store`] (SQLite, the source of truth) → [`search`]
//! (a tantivy index derived from SQLite) → `query`/`show`/`export`/`report` via [`output`].
//! [`turns`] and [`score`] are pure: no I/O.

pub mod api;
pub mod config;
pub mod family;
#[cfg(feature = "sync")]
pub mod hub;
pub mod model;
pub mod output;
pub mod progress;
pub mod sanitize;
pub mod score;
pub mod search;
pub mod store;
#[cfg(feature = "sync")]
pub mod sync;
pub mod turns;

#[cfg(test)]
pub(crate) mod test_support;
