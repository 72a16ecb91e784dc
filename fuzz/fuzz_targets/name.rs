#![no_main]
//! Fuzz target `name`: the invariants are in `okerrupdate_fuzz::name`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::name(data));
