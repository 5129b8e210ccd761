//! Payslips and their findings, fee reports, complaints, broker reports, and the cases
//! regulators work.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    border_events, broker_reports, case_notes, cases, complaints, fee_reports, findings, pay_gaps,
    payslip_deductions, payslips, placement_events, placements, vacancies, workers,
};
use super::workers::IDS_PER_QUERY;
use super::{Backend, DbConnection};
use crate::actor::Jurisdiction;
use crate::domain::money::Fen;
use crate::domain::page::Seek;
use crate::ids::{
    AgencyId, BrokerReportId, CaseId, ComplaintId, EmployerId, FeeReportId, PayslipId, PlacementId, UserId,
    WorkerId,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cases, treat_none_as_default_value = false)]
pub struct CaseRow {
    pub id: CaseId,
    pub kind: String,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub region_code: Option<String>,
    pub placement_id: Option<PlacementId>,
    pub status: String,
    pub assigned_to: Option<UserId>,
    pub amount_owed_fen: Fen,
    pub outcome: Option<String>,
    pub amount_recovered_fen: Option<Fen>,
    pub opened_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    /// Whether the regulator upheld what the case reports; set when it is resolved.
    pub upheld: Option<bool>,
    /// The side the case is routed to, "CN" or "VN": the one that works it.
    pub routed_to: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_notes)]
pub struct NoteRow {
    pub id: String,
    pub case_id: CaseId,
    pub by_user_id: UserId,
    pub note: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payslips, treat_none_as_default_value = false)]
pub struct PayslipRow {
    pub id: PayslipId,
    pub placement_id: PlacementId,
    pub employer_id: EmployerId,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub minutes_worked: i64,
    pub gross_fen: Fen,
    pub deductions_fen: Fen,
    pub net_fen: Fen,
    pub paid_on: NaiveDate,
    pub floor_hourly_fen: Fen,
    pub compliant: bool,
    pub case_id: Option<CaseId>,
    pub created_by: UserId,
    pub created_at: NaiveDateTime,
}

/// A pay period still unreported a grace period after it ended, and the case it is on.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pay_gaps, treat_none_as_default_value = false)]
pub struct PayGapRow {
    pub placement_id: PlacementId,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub employer_id: EmployerId,
    pub case_id: CaseId,
    pub found_at: NaiveDateTime,
    pub settled_at: Option<NaiveDateTime>,
}

/// What the pay watch reads of a placement whose worker crossed to work: who pays, where,
/// the season's last day, when the worker crossed and when the work ended (completed or
/// terminated), if it has.
#[derive(Debug, Clone, Queryable)]
pub struct WorkSpanRow {
    pub placement_id: PlacementId,
    pub worker_id: WorkerId,
    pub employer_id: EmployerId,
    pub region_code: String,
    pub home_province_code: String,
    pub season_end: NaiveDate,
    pub departed_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = payslip_deductions, treat_none_as_default_value = false)]
pub struct PayslipDeductionRow {
    pub payslip_id: PayslipId,
    pub position: i32,
    pub kind: String,
    pub fen: Fen,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = findings, treat_none_as_default_value = false)]
pub struct FindingRow {
    pub id: String,
    pub case_id: CaseId,
    pub payslip_id: Option<PayslipId>,
    pub placement_id: Option<PlacementId>,
    pub code: String,
    pub required: i64,
    pub actual: i64,
    pub owed_fen: Fen,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fee_reports, treat_none_as_default_value = false)]
pub struct FeeReportRow {
    pub id: FeeReportId,
    pub worker_id: WorkerId,
    pub agency_id: AgencyId,
    pub amount_fen: Fen,
    pub paid_on: NaiveDate,
    pub paid_to: String,
    pub description: String,
    pub case_id: CaseId,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaints, treat_none_as_default_value = false)]
pub struct ComplaintRow {
    pub id: ComplaintId,
    pub reference: String,
    pub category: String,
    pub agency_id: Option<AgencyId>,
    pub employer_id: Option<EmployerId>,
    pub text: String,
    pub language: String,
    pub contact: Option<String>,
    pub filed_by: Option<UserId>,
    pub case_id: CaseId,
    pub created_at: NaiveDateTime,
}

/// A report against an unlicensed broker: the broker as given, where, when, what it asked.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = broker_reports, treat_none_as_default_value = false)]
pub struct BrokerReportRow {
    pub id: BrokerReportId,
    pub reference: String,
    /// The kinds of conduct reported, comma-separated (`domain::broker::BrokerConduct`).
    pub kinds: String,
    pub broker_name: Option<String>,
    pub broker_phone: Option<String>,
    pub place: Option<String>,
    pub region_code: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    pub amount_asked_fen: Option<Fen>,
    pub amount_asked_vnd: Option<i64>,
    pub description: Option<String>,
    pub language: String,
    pub contact: Option<String>,
    pub filed_by: Option<UserId>,
    pub case_id: CaseId,
    pub created_at: NaiveDateTime,
}

pub fn insert_case(conn: &mut DbConnection, row: &CaseRow) -> QueryResult<()> {
    diesel::insert_into(cases::table).values(row).execute(conn).map(drop)
}

pub fn find_case(conn: &mut DbConnection, id: &CaseId) -> QueryResult<Option<CaseRow>> {
    cases::table.find(id).select(CaseRow::as_select()).first(conn).optional()
}

/// Filters of the case list; `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub region_codes: Option<Vec<String>>,
    pub subject_id: Option<String>,
    /// "CN" or "VN": the side the cases are routed to.
    pub routed_to: Option<String>,
}

/// The cases `within` oversees, as a query: all for a national authority; for a Chinese
/// provincial one, those whose region (the worksite, or the employer's) lies in its region;
/// for a Vietnamese provincial one, those concerning a worker from its province (the worker
/// of the case's placement, or the one who reported the fee) and those whose region lies in
/// its province (a broker reported there).
fn overseen_by(within: &Jurisdiction) -> cases::BoxedQuery<'static, Backend> {
    let mut query = cases::table.into_boxed();
    if let Some(regions) = within.worksites() {
        query = query.filter(cases::region_code.eq_any(regions.to_vec()));
    }
    if let Some(provinces) = within.home_provinces() {
        let from_there = || {
            workers::table.filter(workers::home_province_code.eq_any(provinces.to_vec())).select(workers::id)
        };
        let placed = placements::table
            .filter(placements::worker_id.eq_any(from_there()))
            .select(placements::id.nullable());
        let reported = fee_reports::table
            .filter(fee_reports::worker_id.eq_any(from_there()))
            .select(fee_reports::case_id);
        query = query.filter(
            cases::placement_id
                .eq_any(placed)
                .or(cases::id.eq_any(reported))
                .or(cases::region_code.eq_any(provinces.to_vec())),
        );
    }
    query
}

/// Whether `within` oversees the case ([`overseen_by`]).
pub fn case_overseen(conn: &mut DbConnection, id: &CaseId, within: &Jurisdiction) -> QueryResult<bool> {
    let found = overseen_by(within).filter(cases::id.eq(id.clone())).select(cases::id).first::<CaseId>(conn);
    Ok(found.optional()?.is_some())
}

/// The cases `within` oversees, newest first (then by id, descending), filtered: all, or a
/// page.
pub fn list_cases(
    conn: &mut DbConnection,
    within: &Jurisdiction,
    filter: &CaseFilter,
    seek: Option<&Seek<NaiveDateTime>>,
) -> QueryResult<Vec<CaseRow>> {
    let mut query = overseen_by(within).select(CaseRow::as_select());
    if let Some(status) = &filter.status {
        query = query.filter(cases::status.eq(status.clone()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(cases::kind.eq(kind.clone()));
    }
    if let Some(regions) = &filter.region_codes {
        query = query.filter(cases::region_code.eq_any(regions.clone()));
    }
    if let Some(subject) = &filter.subject_id {
        query = query.filter(cases::subject_id.eq(subject.clone()));
    }
    if let Some(side) = &filter.routed_to {
        query = query.filter(cases::routed_to.eq(side.clone()));
    }
    if let Some(seek) = seek {
        if let Some((at, id)) = &seek.after {
            let id = CaseId::from(id.clone());
            query = query.filter(cases::opened_at.lt(*at).or(cases::opened_at.eq(*at).and(cases::id.lt(id))));
        }
        query = query.limit(seek.fetch);
    }
    query.order((cases::opened_at.desc(), cases::id.desc())).load(conn)
}

pub fn assign(conn: &mut DbConnection, id: &CaseId, to: &UserId) -> QueryResult<usize> {
    diesel::update(cases::table.find(id).filter(cases::status.ne("resolved")))
        .set((cases::assigned_to.eq(to), cases::status.eq("assigned")))
        .execute(conn)
}

pub fn resolve(
    conn: &mut DbConnection,
    id: &CaseId,
    outcome: &str,
    recovered: Fen,
    upheld: bool,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(cases::table.find(id).filter(cases::status.ne("resolved")))
        .set((
            cases::status.eq("resolved"),
            cases::outcome.eq(outcome),
            cases::amount_recovered_fen.eq(recovered),
            cases::upheld.eq(upheld),
            cases::resolved_at.eq(at),
        ))
        .execute(conn)
}

pub fn insert_note(conn: &mut DbConnection, row: &NoteRow) -> QueryResult<()> {
    diesel::insert_into(case_notes::table).values(row).execute(conn).map(drop)
}

pub fn notes(conn: &mut DbConnection, case_id: &CaseId) -> QueryResult<Vec<NoteRow>> {
    case_notes::table
        .filter(case_notes::case_id.eq(case_id))
        .order((case_notes::at, case_notes::id))
        .select(NoteRow::as_select())
        .load(conn)
}

pub fn insert_payslip(
    conn: &mut DbConnection,
    row: &PayslipRow,
    deductions: &[PayslipDeductionRow],
) -> QueryResult<()> {
    diesel::insert_into(payslips::table).values(row).execute(conn)?;
    super::statistics::tally_payslip(conn, row)?;
    // One row at a time: MultiConnection has no batch insert, and these lists are short.
    for deduction in deductions {
        diesel::insert_into(payslip_deductions::table).values(deduction).execute(conn)?;
    }
    Ok(())
}

pub fn payslips_of(conn: &mut DbConnection, placement_id: &PlacementId) -> QueryResult<Vec<PayslipRow>> {
    payslips::table
        .filter(payslips::placement_id.eq(placement_id))
        .order((payslips::period_start, payslips::id))
        .select(PayslipRow::as_select())
        .load(conn)
}

pub fn deductions_of(
    conn: &mut DbConnection,
    payslip_ids: &[PayslipId],
) -> QueryResult<Vec<PayslipDeductionRow>> {
    payslip_deductions::table
        .filter(payslip_deductions::payslip_id.eq_any(payslip_ids))
        .order((payslip_deductions::payslip_id, payslip_deductions::position))
        .select(PayslipDeductionRow::as_select())
        .load(conn)
}

pub fn insert_finding(conn: &mut DbConnection, row: &FindingRow) -> QueryResult<()> {
    diesel::insert_into(findings::table).values(row).execute(conn).map(drop)
}

pub fn findings_of_payslips(
    conn: &mut DbConnection,
    payslip_ids: &[PayslipId],
) -> QueryResult<Vec<FindingRow>> {
    findings::table
        .filter(findings::payslip_id.eq_any(payslip_ids))
        .order(findings::id)
        .select(FindingRow::as_select())
        .load(conn)
}

pub fn findings_of_case(conn: &mut DbConnection, case_id: &CaseId) -> QueryResult<Vec<FindingRow>> {
    findings::table
        .filter(findings::case_id.eq(case_id))
        .order(findings::id)
        .select(FindingRow::as_select())
        .load(conn)
}

pub fn insert_fee_report(conn: &mut DbConnection, row: &FeeReportRow) -> QueryResult<()> {
    diesel::insert_into(fee_reports::table).values(row).execute(conn).map(drop)
}

/// How many fee reports an agency received, and how many of them a regulator upheld.
pub fn fee_reports_against(conn: &mut DbConnection, agency_id: &AgencyId) -> QueryResult<(i64, i64)> {
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    // One statement: the public licence check asks it at every call.
    fee_reports::table
        .inner_join(cases::table)
        .filter(fee_reports::agency_id.eq(agency_id))
        .select((
            sql::<BigInt>("COUNT(*)"),
            sql::<BigInt>("CAST(COALESCE(SUM(CASE WHEN cases.upheld THEN 1 ELSE 0 END), 0) AS BIGINT)"),
        ))
        .first(conn)
}

/// Whether the worker has a fee report against the agency whose case is not resolved yet.
pub fn open_fee_report(
    conn: &mut DbConnection,
    worker_id: &WorkerId,
    agency_id: &AgencyId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        fee_reports::table
            .inner_join(cases::table)
            .filter(fee_reports::worker_id.eq(worker_id))
            .filter(fee_reports::agency_id.eq(agency_id))
            .filter(cases::status.ne("resolved")),
    ))
    .get_result(conn)
}

/// Whether the worker has or had dealings with the agency: registered by it, or placed
/// through it.
pub fn dealt_with(conn: &mut DbConnection, worker_id: &WorkerId, agency_id: &AgencyId) -> QueryResult<bool> {
    let registered = diesel::select(diesel::dsl::exists(
        workers::table.filter(workers::id.eq(worker_id)).filter(workers::agency_id.eq(agency_id)),
    ))
    .get_result(conn)?;
    if registered {
        return Ok(true);
    }
    diesel::select(diesel::dsl::exists(
        placements::table
            .filter(placements::worker_id.eq(worker_id))
            .filter(placements::agency_id.eq(agency_id)),
    ))
    .get_result(conn)
}

pub fn insert_complaint(conn: &mut DbConnection, row: &ComplaintRow) -> QueryResult<()> {
    diesel::insert_into(complaints::table).values(row).execute(conn).map(drop)
}

pub fn complaint_by_reference(conn: &mut DbConnection, reference: &str) -> QueryResult<Option<ComplaintRow>> {
    complaints::table
        .filter(complaints::reference.eq(reference))
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()
}

pub fn complaint_of_case(conn: &mut DbConnection, case_id: &CaseId) -> QueryResult<Option<ComplaintRow>> {
    complaints::table
        .filter(complaints::case_id.eq(case_id))
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_broker_report(conn: &mut DbConnection, row: &BrokerReportRow) -> QueryResult<()> {
    diesel::insert_into(broker_reports::table).values(row).execute(conn).map(drop)
}

pub fn broker_report_by_reference(
    conn: &mut DbConnection,
    reference: &str,
) -> QueryResult<Option<BrokerReportRow>> {
    broker_reports::table
        .filter(broker_reports::reference.eq(reference))
        .select(BrokerReportRow::as_select())
        .first(conn)
        .optional()
}

pub fn broker_report_of_case(
    conn: &mut DbConnection,
    case_id: &CaseId,
) -> QueryResult<Option<BrokerReportRow>> {
    broker_reports::table
        .filter(broker_reports::case_id.eq(case_id))
        .select(BrokerReportRow::as_select())
        .first(conn)
        .optional()
}

/// How many payslips of the placements `within` oversees there are, and how many comply.
pub fn payslip_counts(conn: &mut DbConnection, within: &Jurisdiction) -> QueryResult<(i64, i64)> {
    use super::schema::payslip_tallies as pt;
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    // From the payslips' monthly tallies, which carry the worksite and the home province.
    let mut query = pt::table
        .filter(pt::span.eq("month"))
        .select((
            sql::<BigInt>("CAST(COALESCE(SUM(payslips), 0) AS BIGINT)"),
            sql::<BigInt>("CAST(COALESCE(SUM(compliant), 0) AS BIGINT)"),
        ))
        .into_boxed();
    if let Some(regions) = within.worksites() {
        query = query.filter(pt::region_code.eq_any(regions.to_vec()));
    }
    if let Some(provinces) = within.home_provinces() {
        query = query.filter(pt::home_province_code.eq_any(provinces.to_vec()));
    }
    query.first(conn)
}

/// What the findings of the cases `within` oversees say workers are owed, summed by the
/// database (an overflow is an error there, not a wrapped total); `None` when the parts of
/// a provincial total do not add up within range.
pub fn owed_total(conn: &mut DbConnection, within: &Jurisdiction) -> QueryResult<Option<Fen>> {
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    // Cast: SUM over BIGINT is NUMERIC on PostgreSQL, which the one code path does not read.
    let sum = || findings::table.select(sql::<BigInt>("CAST(COALESCE(SUM(owed_fen), 0) AS BIGINT)"));
    if *within == Jurisdiction::National {
        return sum().first::<i64>(conn).map(|total| Some(Fen::new(total)));
    }
    let overseen: Vec<CaseId> = overseen_by(within).select(cases::id).load(conn)?;
    let mut parts = Vec::new();
    for chunk in overseen.chunks(IDS_PER_QUERY) {
        parts.push(Fen::new(sum().filter(findings::case_id.eq_any(chunk)).first(conn)?));
    }
    Ok(Fen::checked_sum(parts))
}

/// What the compliance view counts of a case.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct CaseFact {
    pub kind: String,
    pub status: String,
    pub region_code: Option<String>,
    pub subject_kind: String,
    pub subject_id: Option<String>,
    pub opened_at: NaiveDateTime,
}

/// [`CaseFact`]s of every case `within` oversees: a few narrow columns, whatever the cases hold.
pub fn case_facts(conn: &mut DbConnection, within: &Jurisdiction) -> QueryResult<Vec<CaseFact>> {
    overseen_by(within).select(CaseFact::as_select()).load(conn)
}

/// The work spans of the placements whose season ends on or after `since` (when given): of
/// `ids` only, when given. Each with the instant its work ended, if it has.
pub fn work_spans(
    conn: &mut DbConnection,
    ids: Option<&[PlacementId]>,
    since: Option<NaiveDate>,
) -> QueryResult<Vec<(WorkSpanRow, Option<NaiveDateTime>)>> {
    let mut spans = placements::table
        .inner_join(vacancies::table)
        .inner_join(workers::table)
        .inner_join(border_events::table)
        .filter(border_events::kind.eq("departure"))
        .select((
            placements::id,
            placements::worker_id,
            placements::employer_id,
            vacancies::region_code,
            workers::home_province_code,
            vacancies::season_end,
            border_events::at,
        ))
        .into_boxed();
    let mut ended = placement_events::table
        .inner_join(placements::table.inner_join(vacancies::table))
        .filter(placement_events::to_status.eq_any(["completed", "terminated"]))
        .select((placement_events::placement_id, placement_events::at))
        .into_boxed();
    if let Some(since) = since {
        spans = spans.filter(vacancies::season_end.ge(since));
        ended = ended.filter(vacancies::season_end.ge(since));
    }
    if let Some(ids) = ids {
        spans = spans.filter(placements::id.eq_any(ids.to_vec()));
        ended = ended.filter(placement_events::placement_id.eq_any(ids.to_vec()));
    }
    let spans: Vec<WorkSpanRow> = spans.load(conn)?;
    let mut ended: std::collections::HashMap<PlacementId, NaiveDateTime> =
        ended.load(conn)?.into_iter().collect();
    Ok(spans
        .into_iter()
        .map(|span| {
            let end = ended.remove(&span.placement_id);
            (span, end)
        })
        .collect())
}

/// The reported periods (and pay days) of the placements whose season ends on or after
/// `since` (when given; of `ids` only, when given).
pub fn paid_periods(
    conn: &mut DbConnection,
    ids: Option<&[PlacementId]>,
    since: Option<NaiveDate>,
) -> QueryResult<Vec<(PlacementId, NaiveDate, NaiveDate, NaiveDate)>> {
    let mut query = payslips::table
        .inner_join(placements::table.inner_join(vacancies::table))
        .select((payslips::placement_id, payslips::period_start, payslips::period_end, payslips::paid_on))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(vacancies::season_end.ge(since));
    }
    if let Some(ids) = ids {
        query = query.filter(payslips::placement_id.eq_any(ids.to_vec()));
    }
    query.load(conn)
}

/// The pay gaps of the placements whose season ends on or after `since` (when given; of `ids`
/// only, when given), settled or not.
pub fn pay_gaps_of(
    conn: &mut DbConnection,
    ids: Option<&[PlacementId]>,
    since: Option<NaiveDate>,
) -> QueryResult<Vec<PayGapRow>> {
    let mut query = pay_gaps::table
        .inner_join(placements::table.inner_join(vacancies::table))
        .select(PayGapRow::as_select())
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(vacancies::season_end.ge(since));
    }
    if let Some(ids) = ids {
        query = query.filter(pay_gaps::placement_id.eq_any(ids.to_vec()));
    }
    query.order((pay_gaps::placement_id, pay_gaps::period_start)).load(conn)
}

/// The unsettled pay gaps of the placements `ids`, oldest period first.
pub fn open_pay_gaps_of(conn: &mut DbConnection, ids: &[PlacementId]) -> QueryResult<Vec<PayGapRow>> {
    pay_gaps::table
        .filter(pay_gaps::placement_id.eq_any(ids))
        .filter(pay_gaps::settled_at.is_null())
        .order((pay_gaps::placement_id, pay_gaps::period_start))
        .select(PayGapRow::as_select())
        .load(conn)
}

pub fn insert_pay_gap(conn: &mut DbConnection, row: &PayGapRow) -> QueryResult<()> {
    diesel::insert_into(pay_gaps::table).values(row).execute(conn).map(drop)
}

/// Marks the gap settled: a payslip now covers its days.
pub fn settle_pay_gap(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    period_start: NaiveDate,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(pay_gaps::table.find((placement_id, period_start)).filter(pay_gaps::settled_at.is_null()))
        .set(pay_gaps::settled_at.eq(at))
        .execute(conn)
}

/// How many of the case's pay gaps are not settled.
pub fn open_pay_gaps_of_case(conn: &mut DbConnection, case_id: &CaseId) -> QueryResult<i64> {
    pay_gaps::table
        .filter(pay_gaps::case_id.eq(case_id))
        .filter(pay_gaps::settled_at.is_null())
        .count()
        .get_result(conn)
}

/// How many `paid_late` findings each placement's payslips raised, of the placements whose
/// season ends on or after `since`.
pub fn paid_late_counts(conn: &mut DbConnection, since: NaiveDate) -> QueryResult<Vec<(PlacementId, i64)>> {
    use diesel::dsl::count_star;
    findings::table
        .inner_join(placements::table.on(findings::placement_id.eq(placements::id.nullable())))
        .inner_join(vacancies::table.on(placements::vacancy_id.eq(vacancies::id)))
        .filter(findings::code.eq("paid_late"))
        .filter(vacancies::season_end.ge(since))
        .group_by(placements::id)
        .select((placements::id, count_star()))
        .load(conn)
}
