//! Pure rules of the domain: no diesel, no actix.

pub mod account;
pub mod contract;
pub mod licence;
pub mod money;
pub mod pay;
pub mod payslip;
pub mod placement;
pub mod scoring;
pub mod wage_floor;
pub mod worker;
