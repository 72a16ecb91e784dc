#![no_main]
//! Fuzz target `cli_args`: the invariants are in `okerrupdate_fuzz::cli_args`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| okerrupdate_fuzz::cli_args(data));
