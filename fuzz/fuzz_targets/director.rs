#![no_main]
//! Fuzz target `director`: the invariants are in `okerrupdate_fuzz::director`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::director(data));
