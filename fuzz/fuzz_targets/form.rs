#![no_main]
//! Fuzz target `form`: the invariants are in `okerrupdate_fuzz::form`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::form(data));
