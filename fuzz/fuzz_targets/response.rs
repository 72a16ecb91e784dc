#![no_main]
//! Fuzz target `response`: the invariants are in `okerrupdate_fuzz::response`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::response(data));
