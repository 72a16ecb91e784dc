//! The okerr protocol's rules, as the real server applies them, in plain functions over plain
//! values: names ([`name`]), method lines ([`method`]), statuses ([`status`]), tags
//! ([`tags`]), an indicator's checked options ([`indicator`]), an update's form body
//! ([`payload`]), base URLs ([`http_url`]), the server's answers to updates ([`response`]), a
//! project's checked options ([`project_config`]) and configuration text and environment
//! ([`env`](mod@env)). They use only [`crate::base`].

pub mod env;
pub mod http_url;
pub mod indicator;
pub mod method;
pub mod name;
pub mod payload;
pub mod project_config;
pub mod response;
pub mod status;
pub mod tags;
