#![no_main]
//! Fuzz target `api_answer`: the invariants are in `okerrupdate_fuzz::api_answer`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::api_answer(data));
