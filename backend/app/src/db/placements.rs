//! Placements, their timeline, contract versions and acceptances, permits, border
//! crossings, named requests and regulators' alerts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{
    agencies, alerts, border_events, contract_acceptances, contracts, employers, insurance_checks,
    named_requests, orientations, permits, placement_events, placements, vacancies, worker_returns, workers,
};
use super::statistics::{Fact, record_fact};
use crate::actor::{Jurisdiction, Scope};
use crate::domain::calendar::china_day;
use crate::domain::money::Fen;
use crate::domain::page::Seek;
use crate::domain::placement::Status;
use crate::ids::{AgencyId, EmployerId, PlacementId, UserId, VacancyId, WorkerId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = placements, treat_none_as_default_value = false)]
pub struct PlacementRow {
    pub id: PlacementId,
    pub vacancy_id: VacancyId,
    pub worker_id: WorkerId,
    pub agency_id: AgencyId,
    pub employer_id: EmployerId,
    pub status: String,
    pub contract_version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The first acceptance of its contract, the version accepted and that version's hourly
    /// wage and floor (the statistics count by them); set by [`insert_acceptance`].
    pub first_accepted_at: Option<NaiveDateTime>,
    pub first_accepted_version: Option<i32>,
    pub agreed_hourly_fen: Option<Fen>,
    pub agreed_floor_hourly_fen: Option<Fen>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = placement_events, treat_none_as_default_value = false)]
pub struct EventRow {
    pub id: String,
    pub placement_id: PlacementId,
    pub from_status: Option<String>,
    pub to_status: String,
    pub by_user_id: Option<UserId>,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contracts, treat_none_as_default_value = false)]
pub struct ContractRow {
    pub placement_id: PlacementId,
    pub version: i32,
    pub terms: String,
    pub sha256: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contract_acceptances, treat_none_as_default_value = false)]
pub struct AcceptanceRow {
    pub id: String,
    pub placement_id: PlacementId,
    pub version: i32,
    pub sha256: String,
    pub language: String,
    pub by_user_id: UserId,
    pub accepted_at: NaiveDateTime,
    /// How the worker proved it was itself: its session's method (password, activation,
    /// reset) and the session's start. Absent on acceptances recorded before they were kept.
    pub auth_method: Option<String>,
    pub authenticated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = permits, treat_none_as_default_value = false)]
pub struct PermitRow {
    pub number: String,
    pub placement_id: PlacementId,
    pub check_code: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: String,
    pub issued_by: UserId,
    pub issued_at: NaiveDateTime,
    pub revoked_by: Option<UserId>,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
    /// The holder as at issue: what the public check shows, whatever the record says later.
    pub holder_name: Option<String>,
    pub holder_date_of_birth: Option<NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = border_events, treat_none_as_default_value = false)]
pub struct BorderEventRow {
    pub id: String,
    pub placement_id: PlacementId,
    pub kind: String,
    pub crossing_code: String,
    pub at: NaiveDateTime,
    pub recorded_by: UserId,
    pub recorded_at: NaiveDateTime,
}

/// A placement with the names its parties read.
#[derive(Debug, Clone)]
pub struct FullPlacement {
    pub row: PlacementRow,
    pub vacancy_title: String,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub employer_name: String,
    pub agency_name: String,
    pub worker_name: String,
    /// Where the work is: the vacancy's region.
    pub region_code: String,
    /// The worker's home province.
    pub home_province_code: String,
}

impl FullPlacement {
    /// Whether `scope` may read it: a regulator what its authority oversees, a party its own.
    pub fn visible_to(&self, scope: &Scope) -> bool {
        match scope {
            Scope::Authority(j) => j.covers(Some(self.region_code.as_str()), Some(&self.home_province_code)),
            Scope::Agency(id) => &self.row.agency_id == id,
            Scope::Employer(id) => &self.row.employer_id == id,
            Scope::Worker(id) => &self.row.worker_id == id,
            Scope::Public => false,
        }
    }
}

fn active_statuses() -> Vec<&'static str> {
    Status::active().map(Status::as_str).collect()
}

/// Records an offer: the placement, and its fact for the statistics.
pub fn insert(conn: &mut DbConnection, row: &PlacementRow) -> QueryResult<()> {
    diesel::insert_into(placements::table).values(row).execute(conn)?;
    record_fact(conn, &row.id, Fact::Offered, china_day(row.created_at.and_utc()), None)
}

type Joined = (PlacementRow, String, NaiveDate, NaiveDate, String, String, String, String, String);

fn full(
    (
        row,
        vacancy_title,
        season_start,
        season_end,
        employer_name,
        agency_name,
        worker_name,
        region_code,
        home_province_code,
    ): Joined,
) -> FullPlacement {
    FullPlacement {
        row,
        vacancy_title,
        season_start,
        season_end,
        employer_name,
        agency_name,
        worker_name,
        region_code,
        home_province_code,
    }
}

macro_rules! joined {
    () => {
        placements::table
            .inner_join(vacancies::table)
            .inner_join(employers::table)
            .inner_join(agencies::table)
            .inner_join(workers::table)
            .select((
                PlacementRow::as_select(),
                vacancies::title,
                vacancies::season_start,
                vacancies::season_end,
                employers::name,
                agencies::name,
                workers::full_name,
                vacancies::region_code,
                workers::home_province_code,
            ))
    };
}

pub fn find(conn: &mut DbConnection, id: &PlacementId) -> QueryResult<Option<FullPlacement>> {
    Ok(joined!().filter(placements::id.eq(id)).first::<Joined>(conn).optional()?.map(full))
}

/// A page of the placements `scope` may read, newest first (then by id, descending): what a
/// regulator's authority oversees ([`FullPlacement::visible_to`]), or a party's own (none for
/// the public); `status` narrows the list.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    status: Option<&str>,
    seek: &Seek<NaiveDateTime>,
) -> QueryResult<Vec<FullPlacement>> {
    let mut query = joined!().into_boxed();
    query = match scope {
        Scope::Authority(Jurisdiction::National) => query,
        Scope::Authority(Jurisdiction::Worksites(regions)) => {
            query.filter(vacancies::region_code.eq_any(regions.clone()))
        }
        Scope::Authority(Jurisdiction::HomeProvinces(regions)) => {
            query.filter(workers::home_province_code.eq_any(regions.clone()))
        }
        Scope::Agency(id) => query.filter(placements::agency_id.eq(id.clone())),
        Scope::Employer(id) => query.filter(placements::employer_id.eq(id.clone())),
        Scope::Worker(id) => query.filter(placements::worker_id.eq(id.clone())),
        Scope::Public => return Ok(Vec::new()),
    };
    if let Some(status) = status {
        query = query.filter(placements::status.eq(status.to_owned()));
    }
    if let Some((at, id)) = &seek.after {
        let id = PlacementId::from(id.clone());
        query = query.filter(
            placements::created_at.lt(*at).or(placements::created_at.eq(*at).and(placements::id.lt(id))),
        );
    }
    Ok(query
        .order((placements::created_at.desc(), placements::id.desc()))
        .limit(seek.fetch)
        .load::<Joined>(conn)?
        .into_iter()
        .map(full)
        .collect())
}

/// Moves the placement from `from` to `to`; 0 when another request moved it first.
pub fn set_status(
    conn: &mut DbConnection,
    id: &PlacementId,
    from: Status,
    to: Status,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(placements::table.find(id).filter(placements::status.eq(from.as_str())))
        .set((placements::status.eq(to.as_str()), placements::updated_at.eq(at)))
        .execute(conn)
}

pub fn set_contract_version(conn: &mut DbConnection, id: &PlacementId, version: i32) -> QueryResult<usize> {
    diesel::update(placements::table.find(id)).set(placements::contract_version.eq(version)).execute(conn)
}

pub fn has_active(conn: &mut DbConnection, worker_id: &WorkerId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        placements::table
            .filter(placements::worker_id.eq(worker_id))
            .filter(placements::status.eq_any(active_statuses())),
    ))
    .get_result(conn)
}

/// The workers among `worker_ids`' agency that hold an active placement.
pub fn active_workers_of_agency(conn: &mut DbConnection, agency_id: &AgencyId) -> QueryResult<Vec<WorkerId>> {
    placements::table
        .filter(placements::agency_id.eq(agency_id))
        .filter(placements::status.eq_any(active_statuses()))
        .select(placements::worker_id)
        .load(conn)
}

/// Locks the placement's row until the transaction ends, so that writes that check what is
/// already stored for it (payslips' periods) are taken one at a time.
pub fn lock(conn: &mut DbConnection, id: &PlacementId) -> QueryResult<usize> {
    diesel::update(placements::table.find(id))
        .set(placements::updated_at.eq(placements::updated_at))
        .execute(conn)
}

/// Takes a seat of an open vacancy; 0 when none is free (or the vacancy is not open).
/// The CHECK `seats_taken <= headcount` refuses an overbooking even without this filter.
pub fn take_seat(conn: &mut DbConnection, vacancy_id: &VacancyId) -> QueryResult<usize> {
    diesel::update(
        vacancies::table
            .find(vacancy_id)
            .filter(vacancies::status.eq("open"))
            .filter(vacancies::seats_taken.lt(vacancies::headcount)),
    )
    .set(vacancies::seats_taken.eq(vacancies::seats_taken + 1))
    .execute(conn)
}

pub fn seats_taken(conn: &mut DbConnection, vacancy_id: &VacancyId) -> QueryResult<i32> {
    vacancies::table.find(vacancy_id).select(vacancies::seats_taken).first(conn)
}

/// The seats taken of each of the vacancies, in one query.
pub fn seats_taken_of(
    conn: &mut DbConnection,
    vacancy_ids: &[VacancyId],
) -> QueryResult<Vec<(VacancyId, i32)>> {
    vacancies::table
        .filter(vacancies::id.eq_any(vacancy_ids))
        .select((vacancies::id, vacancies::seats_taken))
        .load(conn)
}

pub fn free_seat(conn: &mut DbConnection, vacancy_id: &VacancyId) -> QueryResult<usize> {
    diesel::update(vacancies::table.find(vacancy_id))
        .set(vacancies::seats_taken.eq(vacancies::seats_taken - 1))
        .execute(conn)
}

/// Records a step of a placement's timeline; a decline is a fact for the statistics.
pub fn insert_event(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(placement_events::table).values(row).execute(conn)?;
    if row.to_status == Status::Declined.as_str() {
        record_fact(conn, &row.placement_id, Fact::Declined, china_day(row.at.and_utc()), None)?;
    }
    Ok(())
}

pub fn events(conn: &mut DbConnection, placement_id: &PlacementId) -> QueryResult<Vec<EventRow>> {
    placement_events::table
        .filter(placement_events::placement_id.eq(placement_id))
        .order((placement_events::at, placement_events::id))
        .select(EventRow::as_select())
        .load(conn)
}

pub fn insert_contract(conn: &mut DbConnection, row: &ContractRow) -> QueryResult<()> {
    diesel::insert_into(contracts::table).values(row).execute(conn).map(drop)
}

pub fn contract(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    version: i32,
) -> QueryResult<ContractRow> {
    contracts::table.find((placement_id, version)).select(ContractRow::as_select()).first(conn)
}

/// Records an acceptance of a version whose hourly wage and floor are `agreed`; the
/// placement's first is kept on the placement, and is the fact the statistics count.
pub fn insert_acceptance(
    conn: &mut DbConnection,
    row: &AcceptanceRow,
    agreed: (Fen, Fen),
) -> QueryResult<()> {
    diesel::insert_into(contract_acceptances::table).values(row).execute(conn)?;
    let first = diesel::update(
        placements::table.find(&row.placement_id).filter(placements::first_accepted_at.is_null()),
    )
    .set((
        placements::first_accepted_at.eq(row.accepted_at),
        placements::first_accepted_version.eq(row.version),
        placements::agreed_hourly_fen.eq(agreed.0),
        placements::agreed_floor_hourly_fen.eq(agreed.1),
    ))
    .execute(conn)?;
    if first == 1 {
        let day = china_day(row.accepted_at.and_utc());
        record_fact(conn, &row.placement_id, Fact::Accepted, day, Some(agreed))?;
    }
    Ok(())
}

pub fn acceptance(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    version: i32,
) -> QueryResult<Option<AcceptanceRow>> {
    contract_acceptances::table
        .filter(contract_acceptances::placement_id.eq(placement_id))
        .filter(contract_acceptances::version.eq(version))
        .select(AcceptanceRow::as_select())
        .first(conn)
        .optional()
}

/// The contract versions' hashes of the placements: (placement, version, sha256).
pub fn contract_hashes_of(
    conn: &mut DbConnection,
    ids: &[PlacementId],
) -> QueryResult<Vec<(PlacementId, i32, String)>> {
    contracts::table
        .filter(contracts::placement_id.eq_any(ids))
        .select((contracts::placement_id, contracts::version, contracts::sha256))
        .load(conn)
}

/// The acceptances of the placements' contracts, every version.
pub fn acceptances_of(conn: &mut DbConnection, ids: &[PlacementId]) -> QueryResult<Vec<AcceptanceRow>> {
    contract_acceptances::table
        .filter(contract_acceptances::placement_id.eq_any(ids))
        .order((contract_acceptances::placement_id, contract_acceptances::accepted_at))
        .select(AcceptanceRow::as_select())
        .load(conn)
}

/// The permits of the placements, each placement's newest issue first.
pub fn permits_of(conn: &mut DbConnection, ids: &[PlacementId]) -> QueryResult<Vec<PermitRow>> {
    permits::table
        .filter(permits::placement_id.eq_any(ids))
        .order((permits::placement_id, permits::issued_at.desc()))
        .select(PermitRow::as_select())
        .load(conn)
}

/// The border crossings of the placements, each placement's in time order.
pub fn border_events_of(conn: &mut DbConnection, ids: &[PlacementId]) -> QueryResult<Vec<BorderEventRow>> {
    border_events::table
        .filter(border_events::placement_id.eq_any(ids))
        .order((border_events::placement_id, border_events::at))
        .select(BorderEventRow::as_select())
        .load(conn)
}

pub fn insert_permit(conn: &mut DbConnection, row: &PermitRow) -> QueryResult<()> {
    diesel::insert_into(permits::table).values(row).execute(conn).map(drop)
}

/// The placement's most recently issued permit, valid or revoked.
pub fn latest_permit(conn: &mut DbConnection, placement_id: &PlacementId) -> QueryResult<Option<PermitRow>> {
    permits::table
        .filter(permits::placement_id.eq(placement_id))
        .order(permits::issued_at.desc())
        .select(PermitRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the worker holds a permit that is valid on `today` or later (not revoked).
pub fn has_valid_permit(
    conn: &mut DbConnection,
    worker_id: &WorkerId,
    today: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        permits::table
            .inner_join(placements::table)
            .filter(placements::worker_id.eq(worker_id))
            .filter(permits::status.eq("valid"))
            .filter(permits::valid_until.ge(today)),
    ))
    .get_result(conn)
}

/// The worker's permits that are not revoked and still valid on `today` or later.
pub fn valid_permits_of_worker(
    conn: &mut DbConnection,
    worker_id: &WorkerId,
    today: NaiveDate,
) -> QueryResult<Vec<PermitRow>> {
    permits::table
        .inner_join(placements::table)
        .filter(placements::worker_id.eq(worker_id))
        .filter(permits::status.eq("valid"))
        .filter(permits::valid_until.ge(today))
        .select(PermitRow::as_select())
        .load(conn)
}

pub fn permit(conn: &mut DbConnection, number: &str) -> QueryResult<Option<PermitRow>> {
    permits::table.find(number).select(PermitRow::as_select()).first(conn).optional()
}

pub fn revoke_permit(
    conn: &mut DbConnection,
    number: &str,
    by: &UserId,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(permits::table.find(number).filter(permits::status.eq("valid")))
        .set((
            permits::status.eq("revoked"),
            permits::revoked_by.eq(by),
            permits::revoked_reason.eq(reason),
            permits::revoked_at.eq(at),
        ))
        .execute(conn)
}

/// Placements with a permit whose validity ended before `today`, still abroad with no
/// return: each with its latest permit's last day.
pub fn overdue(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<(PlacementRow, NaiveDate)>> {
    let abroad = [Status::Departed, Status::Completed, Status::Terminated].map(Status::as_str);
    let rows: Vec<(PlacementRow, NaiveDate, NaiveDateTime)> = placements::table
        .inner_join(permits::table)
        .filter(placements::status.eq_any(abroad))
        .order((placements::id, permits::issued_at.desc()))
        .select((PlacementRow::as_select(), permits::valid_until, permits::issued_at))
        .load(conn)?;
    let mut latest: Vec<(PlacementRow, NaiveDate)> = Vec::new();
    for (row, valid_until, _) in rows {
        if latest.last().is_none_or(|(last, _)| last.id != row.id) {
            latest.push((row, valid_until));
        }
    }
    latest.retain(|(_, valid_until)| *valid_until < today);
    Ok(latest)
}

/// Placements abroad and still working whose season ends from `today` to `until`.
pub fn ending_between(
    conn: &mut DbConnection,
    today: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<PlacementRow>> {
    placements::table
        .inner_join(vacancies::table)
        .filter(placements::status.eq(Status::Departed.as_str()))
        .filter(vacancies::season_end.ge(today).and(vacancies::season_end.le(until)))
        .order(placements::id)
        .select(PlacementRow::as_select())
        .load(conn)
}

/// Records a crossing; a departure is a fact for the statistics (a return is one once the
/// return service has decided whether it was on time: [`record_return`]).
pub fn insert_border_event(conn: &mut DbConnection, row: &BorderEventRow) -> QueryResult<()> {
    diesel::insert_into(border_events::table).values(row).execute(conn)?;
    if row.kind == "departure" {
        record_fact(conn, &row.placement_id, Fact::Departed, china_day(row.at.and_utc()), None)?;
    }
    Ok(())
}

pub fn border_events(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
) -> QueryResult<Vec<BorderEventRow>> {
    border_events::table
        .filter(border_events::placement_id.eq(placement_id))
        .order(border_events::at)
        .select(BorderEventRow::as_select())
        .load(conn)
}

/// Records the end of a placement in the worker's history (the database's trigger counts it
/// among the worker's recorded seasons), and the return's fact for the statistics.
pub fn record_return(
    conn: &mut DbConnection,
    placement: &PlacementRow,
    season: (NaiveDate, NaiveDate),
    returned_on: NaiveDate,
    on_time: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(worker_returns::table)
        .values((
            worker_returns::id.eq(uuid::Uuid::now_v7().to_string()),
            worker_returns::worker_id.eq(&placement.worker_id),
            worker_returns::placement_id.eq(&placement.id),
            worker_returns::employer_id.eq(&placement.employer_id),
            worker_returns::season_start.eq(season.0),
            worker_returns::season_end.eq(season.1),
            worker_returns::returned_on.eq(returned_on),
            worker_returns::returned_on_time.eq(on_time),
            worker_returns::recorded_at.eq(at),
        ))
        .execute(conn)?;
    diesel::update(workers::table.find(&placement.worker_id))
        .set(workers::updated_at.eq(at))
        .execute(conn)?;
    let fact = if on_time { Fact::ReturnedOnTime } else { Fact::ReturnedLate };
    record_fact(conn, &placement.id, fact, returned_on, None)
}

/// Whether the worker came home on time from a placement with this employer.
pub fn returned_on_time_from(
    conn: &mut DbConnection,
    worker_id: &WorkerId,
    employer_id: &EmployerId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        worker_returns::table
            .filter(worker_returns::worker_id.eq(worker_id))
            .filter(worker_returns::employer_id.eq(employer_id))
            .filter(worker_returns::returned_on_time.eq(true)),
    ))
    .get_result(conn)
}

pub fn insert_named_request(
    conn: &mut DbConnection,
    vacancy_id: &VacancyId,
    worker_id: &WorkerId,
    by: &UserId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let exists = diesel::select(diesel::dsl::exists(named_requests::table.find((vacancy_id, worker_id))))
        .get_result::<bool>(conn)?;
    if exists {
        return Ok(0);
    }
    diesel::insert_into(named_requests::table)
        .values((
            named_requests::vacancy_id.eq(vacancy_id),
            named_requests::worker_id.eq(worker_id),
            named_requests::by_user_id.eq(by),
            named_requests::created_at.eq(at),
        ))
        .execute(conn)
}

/// (vacancy, worker) pairs named for the given vacancies.
pub fn named_for(
    conn: &mut DbConnection,
    vacancy_ids: &[VacancyId],
) -> QueryResult<Vec<(VacancyId, WorkerId)>> {
    named_requests::table
        .filter(named_requests::vacancy_id.eq_any(vacancy_ids))
        .select((named_requests::vacancy_id, named_requests::worker_id))
        .load(conn)
}

pub fn insert_alert(
    conn: &mut DbConnection,
    kind: &str,
    placement_id: &PlacementId,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(alerts::table)
        .values((
            alerts::id.eq(uuid::Uuid::now_v7().to_string()),
            alerts::kind.eq(kind),
            alerts::placement_id.eq(placement_id),
            alerts::raised_at.eq(at),
        ))
        .execute(conn)
}

/// A page of the alerts of the placements `within` oversees, newest first (then by id,
/// descending): (alert id, kind, placement id, raised at).
pub fn alerts(
    conn: &mut DbConnection,
    within: &Jurisdiction,
    seek: &Seek<NaiveDateTime>,
) -> QueryResult<Vec<(String, String, PlacementId, NaiveDateTime)>> {
    let mut query = alerts::table
        .inner_join(placements::table.inner_join(vacancies::table).inner_join(workers::table))
        .select((alerts::id, alerts::kind, alerts::placement_id, alerts::raised_at))
        .into_boxed();
    if let Some((at, id)) = &seek.after {
        query = query
            .filter(alerts::raised_at.lt(*at).or(alerts::raised_at.eq(*at).and(alerts::id.lt(id.clone()))));
    }
    if let Some(regions) = within.worksites() {
        query = query.filter(vacancies::region_code.eq_any(regions.to_vec()));
    }
    if let Some(regions) = within.home_provinces() {
        query = query.filter(workers::home_province_code.eq_any(regions.to_vec()));
    }
    query.order((alerts::raised_at.desc(), alerts::id.desc())).limit(seek.fetch).load(conn)
}

/// Whether the permit desk verified this insurance (by its SHA-256) for the placement.
pub fn insurance_verified(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    sha256: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        insurance_checks::table
            .filter(insurance_checks::placement_id.eq(placement_id))
            .filter(insurance_checks::insurance_sha256.eq(sha256)),
    ))
    .get_result(conn)
}

/// The permit desk's verification of one insurance of a placement.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = insurance_checks, treat_none_as_default_value = false)]
pub struct InsuranceCheckRow {
    pub placement_id: PlacementId,
    pub insurance_sha256: String,
    pub verified_by: UserId,
    pub verified_at: NaiveDateTime,
}

/// Records the permit desk's verification.
pub fn verify_insurance(conn: &mut DbConnection, check: &InsuranceCheckRow) -> QueryResult<usize> {
    diesel::insert_into(insurance_checks::table).values(check).execute(conn)
}

/// A placement's pre-departure orientation, as recorded.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = orientations, treat_none_as_default_value = false)]
pub struct OrientationRow {
    pub placement_id: PlacementId,
    pub attended_on: NaiveDate,
    pub place: String,
    pub recorded_by: UserId,
    pub recorded_at: NaiveDateTime,
}

pub fn orientation(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
) -> QueryResult<Option<OrientationRow>> {
    orientations::table.find(placement_id).select(OrientationRow::as_select()).first(conn).optional()
}

pub fn insert_orientation(conn: &mut DbConnection, row: &OrientationRow) -> QueryResult<usize> {
    diesel::insert_into(orientations::table).values(row).execute(conn)
}
