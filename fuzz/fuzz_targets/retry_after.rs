#![no_main]
//! Fuzz target `retry_after`: the invariants are in `okerrupdate_fuzz::retry_after`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::retry_after(data));
