//! One test binary for the whole suite: each module is one area of the system. One binary links
//! the application once instead of once per file, which keeps builds fast and the target small.

mod access;
mod accounts;
mod agencies;
mod agency_pages;
mod authorities;
mod browser;
mod compliance;
mod compliance_pages;
mod credentials;
mod credentials_pages;
mod demo;
mod errors;
mod event_pages;
mod events;
mod fee_reports;
mod instances;
mod jurisdictions;
mod limits;
mod matching;
mod matching_pages;
mod migrations;
mod operations;
mod outlook;
mod pages;
mod paging;
mod placement_pages;
mod placements;
mod season;
mod statistics;
mod statistics_pages;
mod vacancies;
mod vacancy_pages;
mod wage_floors;
mod words;
mod workers;
