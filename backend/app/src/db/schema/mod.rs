//! The tables, in portable column types only (written by hand: one schema, two backends).
//! One file per area; this one joins them: which tables join which, and which may appear in
//! one query.

mod accounts;
mod compliance;
mod journeys;
mod market;
mod outbox;
mod reference;
mod registry;
mod statistics;

pub use accounts::*;
pub use compliance::*;
pub use journeys::*;
pub use market::*;
pub use outbox::*;
pub use reference::*;
pub use registry::*;
pub use statistics::*;

diesel::joinable!(vacancies -> employers (employer_id));
diesel::joinable!(case_notes -> cases (case_id));
diesel::joinable!(payslips -> placements (placement_id));
diesel::joinable!(payslip_deductions -> payslips (payslip_id));
diesel::joinable!(findings -> cases (case_id));
diesel::joinable!(fee_reports -> cases (case_id));
diesel::joinable!(broker_reports -> cases (case_id));
diesel::joinable!(placements -> vacancies (vacancy_id));
diesel::joinable!(placements -> workers (worker_id));
diesel::joinable!(placements -> agencies (agency_id));
diesel::joinable!(placements -> employers (employer_id));
diesel::joinable!(placement_events -> placements (placement_id));
diesel::joinable!(contracts -> placements (placement_id));
diesel::joinable!(insurance_checks -> placements (placement_id));
diesel::joinable!(orientations -> placements (placement_id));
diesel::joinable!(ratings -> placements (placement_id));
diesel::joinable!(permits -> placements (placement_id));
diesel::joinable!(border_events -> placements (placement_id));
diesel::joinable!(alerts -> placements (placement_id));
diesel::joinable!(vacancy_deductions -> vacancies (vacancy_id));
diesel::joinable!(vacancy_skills -> vacancies (vacancy_id));
diesel::joinable!(local_hires -> vacancies (vacancy_id));
diesel::joinable!(vacancy_insurance -> vacancies (vacancy_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(licence_events -> agencies (agency_id));
diesel::joinable!(workers -> agencies (agency_id));
diesel::joinable!(worker_skills -> workers (worker_id));
diesel::joinable!(worker_languages -> workers (worker_id));
diesel::joinable!(work_history_shares -> workers (worker_id));
diesel::joinable!(worker_returns -> workers (worker_id));
diesel::joinable!(worker_returns -> employers (employer_id));
diesel::joinable!(deliveries -> partners (partner_id));
diesel::joinable!(deliveries -> events (event_seq));
diesel::joinable!(notices -> events (event_seq));
diesel::joinable!(pay_gaps -> placements (placement_id));
diesel::joinable!(pay_gaps -> cases (case_id));
diesel::joinable!(access_log -> workers (worker_id));
diesel::joinable!(access_log -> users (user_id));
diesel::joinable!(access_log -> agencies (agency_id));

diesel::joinable!(authorities -> regions (region_code));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    authorities,
    sessions,
    account_codes,
    rate_limits,
    regions,
    occupations,
    skills,
    crossings,
    employers,
    wage_floor_rules,
    wage_floor_guard,
    vacancies,
    vacancy_deductions,
    vacancy_skills,
    local_hires,
    vacancy_insurance,
    agencies,
    licence_events,
    workers,
    worker_skills,
    worker_languages,
    worker_returns,
    work_history_shares,
    placements,
    placement_events,
    contracts,
    contract_acceptances,
    insurance_checks,
    orientations,
    ratings,
    permits,
    border_events,
    named_requests,
    alerts,
    audit_log,
    audit_head,
    cases,
    case_notes,
    payslips,
    payslip_deductions,
    pay_gaps,
    findings,
    fee_reports,
    complaints,
    broker_reports,
    event_head,
    events,
    event_marks,
    partners,
    deliveries,
    notices,
    access_log,
    statistics_releases,
    payslip_tallies,
    placement_facts,
    job_runs,
);
