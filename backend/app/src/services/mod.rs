//! Use cases: a domain check and one transaction each; the only code that both `api` and
//! `pages` call.

pub mod accounts;
