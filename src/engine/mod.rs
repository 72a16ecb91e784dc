//! The async engine: a project ([`project`]) and what it composes, each taking only the parts
//! it needs: the settings, level, secrets and log lines ([`context`]), the steps of an update
//! ([`update`], [`outcome`]) and their throttle ([`throttle`]), the director lookup
//! ([`director`]), redirects ([`redirect`]) and retries ([`retry`]), the throttle store a fleet
//! shares ([`store`]), a result several waiters share ([`shared`]), the sends a flush waits for
//! ([`inflight`]), what a failure does ([`failure`]) and how a job reports ([`job`]). It reaches the outside world only through
//! [`runtime::Runtime`], so it runs natively in the tests with a scripted runtime. It uses
//! [`crate::base`] and [`crate::protocol`].

pub mod context;
pub mod director;
pub mod failure;
pub mod inflight;
pub mod job;
pub mod outcome;
pub mod project;
pub mod redirect;
pub mod retry;
pub mod runtime;
pub mod shared;
pub mod store;
pub mod throttle;
pub mod update;
