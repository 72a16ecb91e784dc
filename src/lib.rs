//! okerrupdate: report to the okerr monitoring service from any JavaScript runtime.
//!
//! The crate is a pure Rust core that knows the okerr protocol (payloads, names, method lines,
//! throttling, retries, the director, configuration, answers), plus a thin wasm-bindgen face
//! (`wasm`, built only for `wasm32`) that converts JS values and calls the core. The core never
//! touches a JS type: it reaches the outside world only through the
//! [`engine::runtime::Runtime`] trait, so every rule here is unit-tested natively with a
//! scripted runtime.
//!
//! Its layers, each a folder, lowest first; each uses only the ones before it (tests/layers.rs
//! holds it to that, and to no import cycle between files):
//! [`base`] plain helpers, [`protocol`] the okerr protocol's rules, [`engine`] the async engine,
//! [`api`] the project API, [`cli`] the command-line tools, then the wasm face.
#![deny(missing_docs)]
// The size rules of clippy.toml hold for the library's path; tests format and search as they like.
#![cfg_attr(test, allow(clippy::disallowed_methods, clippy::disallowed_macros))]

pub mod api;
pub mod base;
pub mod engine;
pub mod protocol;
// The command-line tools' logic: it reaches only the tools' own .wasm (built with the `cli`
// feature), which may format and search with std.
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)]
pub mod cli;

#[cfg(test)]
mod test_runtime;

#[cfg(target_arch = "wasm32")]
mod wasm;

// Talc instead of Rust's default dlmalloc: 7 KB smaller in the .wasm, and faster. The build is
// single-threaded (no atomics), which this allocator assumes.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
