#![no_main]
//! Fuzz target `http_url`: the invariants are in `okerrupdate_fuzz::http_url`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::http_url(data));
