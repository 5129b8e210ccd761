//! Compliance and grievance pages: the employer's payslip form and CSV upload, the worker's
//! fee report, the public complaint form and its status by reference, the regulator's case
//! desk and the compliance view with its charts.
//!
//! A signed-in page's form is taken as `Result<CheckedForm<_>, PageError>` after the role
//! extractor: actix polls the extractors together, so a plain `CheckedForm` could refuse a
//! bad token before the slower session look-up refuses the role. On these pages the role
//! has always been looked at first, and still is.

mod complaints;
mod desk;
mod payslips;

pub use complaints::{
    complaint_form, complaint_lookup, complaint_status, fee_form, file_complaint, report_fee,
};
pub use desk::{case_detail, cases, pay, view, work_case};
pub use payslips::{import, import_form, report_payslip};
