//! The fuzz targets' invariants (`fuzz/src/lib.rs`) over the committed seeds and the inputs of
//! past findings (`fuzz/seeds/<target>/`), on stable Rust: `cargo test` keeps every fixed
//! finding fixed without a nightly toolchain. The fuzzing itself is `make fuzz`.

// clippy.toml's size rules are for the library's path; a test formats and searches as it likes.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[test]
fn every_seed_keeps_its_target_invariants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut failed = Vec::new();
    for (target, check) in checks::TARGETS {
        let mut files: Vec<_> = std::fs::read_dir(root.join(target))
            .unwrap_or_else(|e| panic!("fuzz/seeds/{target}: {e}"))
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds for {target}");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failed.push(file.display().to_string());
            }
        }
    }
    assert!(failed.is_empty(), "invariants broken by: {failed:?}");
}
