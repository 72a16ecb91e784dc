//! okerrupdate: report to the okerr monitoring service from any JavaScript runtime.
//!
//! The crate is a pure Rust core that knows the okerr protocol (payloads, names, method lines,
//! throttling, retries, the director, configuration, answers), plus a thin wasm-bindgen face
//! (`wasm`, built only for `wasm32`) that converts JS values and calls the core. The core never
//! touches a JS type: it reaches the outside world only through the [`runtime::Runtime`] trait,
//! so every rule here is unit-tested natively with a scripted runtime.
#![deny(missing_docs)]

pub mod api;
pub mod cli;
pub mod director;
pub mod env;
pub mod error;
pub mod failure;
pub mod form;
pub mod http_url;
pub mod indicator;
pub mod inflight;
pub mod job;
pub mod log;
pub mod method;
pub mod name;
pub mod payload;
pub mod project;
pub mod project_config;
pub mod pynum;
pub mod redact;
pub mod redirect;
pub mod response;
pub mod retry;
pub mod runtime;
pub mod shared;
pub mod status;
pub mod store;
pub mod tags;
pub mod text;
pub mod throttle;
pub mod update;
pub mod value;

#[cfg(test)]
mod test_runtime;

#[cfg(target_arch = "wasm32")]
mod wasm;

// Talc instead of Rust's default dlmalloc: 7 KB smaller in the .wasm, and faster. The build is
// single-threaded (no atomics), which this allocator assumes.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
