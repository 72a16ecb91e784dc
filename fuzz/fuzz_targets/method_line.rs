#![no_main]
//! Fuzz target `method_line`: the invariants are in `okerrupdate_fuzz::method_line`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::method_line(data));
