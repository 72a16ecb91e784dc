#![no_main]
//! Fuzz target `config`: the invariants are in `okerrupdate_fuzz::config`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::config(data));
