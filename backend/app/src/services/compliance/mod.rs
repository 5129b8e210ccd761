//! Wage compliance and grievances: payslips checked against the contract and the floor,
//! pay that never comes, the hours guarantee at every ending, fee reports, complaints, reports
//! against unlicensed brokers, and the cases regulators work. Every finding opens a case; every
//! step of a case is audited.
//!
//! Each use case checks its actor itself and owns its transaction; a `_in` twin runs it
//! inside a transaction the caller already holds. The files share `model` (how a case is
//! opened) and never import each other; callers use `services::compliance::X`.

mod broker_reports;
mod cases;
mod complaints;
mod fee_reports;
mod model;
mod pay_watch;
mod payslips;
mod statistics;

pub use broker_reports::{
    BrokerReportInput, BrokerReportReceipt, BrokerReportStatus, broker_report_status, report_broker,
    report_broker_in,
};
pub use cases::{
    BrokerReportText, Case, CaseAction, CaseDesk, CaseNote, CaseQuery, CaseStep, ComplaintText, Party,
    case_counts, case_desk, decide_party, find_case, list_cases, work_case, work_case_in,
};
pub use complaints::{
    CATEGORIES, ComplaintInput, ComplaintReceipt, ComplaintStatus, ComplaintSubject, ComplaintSubjects,
    complaint_status, complaint_subjects, file_complaint, file_complaint_in,
};
pub use fee_reports::{FeeReportInput, Opened, own_agency, report_fee, report_fee_in};
pub use pay_watch::{
    EmployerPay, EmployerPayQuery, PayPeriod, employer_pay, employer_pay_csv, pay_periods, pay_periods_in,
    watch_pay,
};
pub use payslips::{
    PAYSLIP_COLUMNS, PayslipView, check_hours_guarantee, import_payslips, payslips, payslips_in,
    report_payslip, report_payslip_in,
};
pub use statistics::{
    Compliance, Count, NamedCompliance, RegionMonth, compliance, compliance_csv, compliance_named,
};
