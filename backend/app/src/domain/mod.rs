//! Pure rules of the domain: no diesel, no actix.

pub mod account;
