//! The wasm-bindgen face: converts JS values, calls the core, converts results. No protocol
//! rule lives here.

mod api;
#[cfg(feature = "cli")]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // the tools' own .wasm
mod cli;
mod convert;
mod deadline;
mod errors;
mod exchange;
mod flush;
mod handoff;
mod indicator;
mod job;
mod js_runtime;
mod outcome;
mod project;
mod store;
mod sync;
mod sys;
mod types;
mod views;
mod words;
