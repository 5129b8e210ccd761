//! Compliance and grievance pages: the employer's payslip form and CSV upload, the worker's
//! fee report, the public complaint form and the public report against an unlicensed broker
//! with their status by reference, the regulator's case desk and the compliance view with its
//! charts.
//!
//! A signed-in page's form is taken as `Result<CheckedForm<_>, PageError>` after the role
//! extractor: actix polls the extractors together, so a plain `CheckedForm` could refuse a
//! bad token before the slower session look-up refuses the role. On these pages the role
//! has always been looked at first, and still is.

mod brokers;
mod complaints;
mod desk;
mod payslips;

pub use brokers::{broker_form, broker_report_lookup, broker_report_status, report_broker};

pub use complaints::{
    complaint_form, complaint_lookup, complaint_status, fee_form, file_complaint, report_fee,
};
pub use desk::{case_detail, cases, decide_party, pay, view, work_case};
pub use payslips::{import, import_form, report_payslip};

/// Where a reference typed into a look-up form leads: `base/<reference>`, with only the
/// letters, digits and dashes a reference holds; none when nothing was typed.
fn looked_up(base: &str, typed: Option<&str>) -> Option<String> {
    let typed = typed.map(str::trim).filter(|r| !r.is_empty())?;
    let clean: String = typed.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Some(format!("{base}/{clean}"))
}
