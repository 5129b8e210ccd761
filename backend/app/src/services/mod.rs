//! Use cases: a domain check and one transaction each; the only code that both `api` and
//! `pages` call.

pub mod access_log;
pub mod accounts;
pub mod agencies;
pub mod audit;
pub mod authorities;
pub mod compliance;
pub mod credentials;
pub mod employers;
pub mod events;
pub mod health;
pub mod limits;
pub mod matching;
pub mod outlook;
pub mod placements;
pub mod ratings;
pub mod reference;
pub mod statistics;
pub mod vacancies;
pub mod wage_floors;
pub mod work_history;
pub mod worker_import;
pub mod workers;
