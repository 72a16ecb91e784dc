#![no_main]
//! Fuzz target `pynum`: the invariants are in `okerrupdate_fuzz::pynum`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::pynum(data));
