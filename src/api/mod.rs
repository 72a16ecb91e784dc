//! The project API (protocol section 5) and public status pages (section 6). Each call is
//! checked and built as a plain [`Call`] before anything is sent ([`call`]); [`send`](mod@send)
//! delivers it to the project's server through the same director, timeout and retry path as
//! updates, and [`answer`] reads what came back. [`sync`] applies indicator settings to
//! indicators that exist, through `getIndicator` and `setArgs`.

pub mod answer;
pub mod call;
pub mod send;
pub mod sync;

pub use answer::Answer;
pub use call::*;
pub use send::send;
