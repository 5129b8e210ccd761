//! Bulk writes, for loading data at scale (the season-sized demo, `demo::season`): one
//! `COPY … FROM STDIN` (binary) per call on PostgreSQL, multi-row INSERTs of up to
//! [`SQLITE_ROWS`] rows on SQLite. The rows are the tables' own row structs (whose optional
//! fields are written as NULL, never as a column's DEFAULT, so that both forms can carry
//! them), plus the few rows below that no single-row query writes.
//!
//! These writes check nothing beyond the database's own constraints, append nothing to the
//! audit log and record no events: the caller answers for what it loads, and says so once.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::DbConnection;
use super::agencies::{AgencyRow, LicenceEventRow};
use super::compliance::{CaseRow, ComplaintRow, FeeReportRow, FindingRow, PayslipDeductionRow, PayslipRow};
use super::employers::EmployerRow;
use super::placements::{
    AcceptanceRow, BorderEventRow, ContractRow, EventRow, InsuranceCheckRow, OrientationRow, PermitRow,
    PlacementRow,
};
use super::schema::{
    agencies, alerts, border_events, cases, complaints, contract_acceptances, contracts, employers,
    fee_reports, findings, insurance_checks, licence_events, orientations, payslip_deductions, payslips,
    permits, placement_events, placements, users, vacancies, vacancy_deductions, vacancy_insurance,
    vacancy_skills, worker_languages, worker_returns, worker_skills, workers,
};
use super::users::UserRow;
use super::vacancies::{DeductionRow, InsuranceRow};
use super::workers::{LanguageRow, ReturnRow, SkillRow};
use crate::domain::money::Fen;
use crate::ids::{AgencyId, EmployerId, PlacementId, RuleId, VacancyId, WorkerId};

/// Rows per INSERT on SQLite: every row type here has at most 32 columns, so a statement
/// stays under SQLite's 32,766 parameters.
pub const SQLITE_ROWS: usize = 1_000;

/// A worker's row with the copies of its skills and languages that matching reads (see
/// `db::workers`); `returned_on_time_count` is kept by the database's trigger.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = workers, treat_none_as_default_value = false)]
pub struct WorkerRecord {
    pub id: WorkerId,
    pub agency_id: AgencyId,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub gender: String,
    pub id_document_number: String,
    pub home_province_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub seasons_worked: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub skill_codes: String,
    pub language_codes: String,
}

/// A vacancy's row with the seats its active placements take and when it opened (both
/// written by their own queries in the normal flow).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = vacancies, treat_none_as_default_value = false)]
pub struct VacancyRecord {
    pub id: VacancyId,
    pub employer_id: EmployerId,
    pub title: String,
    pub occupation_code: String,
    pub region_code: String,
    pub crossing_code: String,
    pub headcount: i32,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub hours_per_week: i32,
    pub guaranteed_hours_per_week: i32,
    pub pay_basis: String,
    pub wage_fen: Fen,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<Fen>,
    pub housing_provided: bool,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
    pub status: String,
    pub hourly_equivalent_fen: Fen,
    pub floor_hourly_fen: Fen,
    pub floor_rule_id: RuleId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub seats_taken: i32,
    pub opened_at: Option<NaiveDateTime>,
    pub open_to_agencies_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = vacancy_skills, treat_none_as_default_value = false)]
pub struct VacancySkillRow {
    pub vacancy_id: VacancyId,
    pub skill_code: String,
}

/// A regulators' alert (the overstay sweeper raises them one by one).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = alerts, treat_none_as_default_value = false)]
pub struct AlertRow {
    pub id: String,
    pub kind: String,
    pub placement_id: PlacementId,
    pub raised_at: NaiveDateTime,
}

/// Rows that can be written in bulk.
pub trait BulkRow: Sized {
    /// Writes every row, in the caller's transaction; returns how many were written.
    fn write(conn: &mut DbConnection, rows: &[Self]) -> QueryResult<usize>;
}

macro_rules! bulk_rows {
    ($($row:ty => $table:ident,)*) => {$(
        impl BulkRow for $row {
            fn write(conn: &mut DbConnection, rows: &[Self]) -> QueryResult<usize> {
                if rows.is_empty() {
                    return Ok(0);
                }
                match conn {
                    DbConnection::Postgres(pg) => {
                        diesel::copy_from($table::table).from_insertable(rows).execute(pg)
                    }
                    DbConnection::Sqlite(lite) => {
                        let mut written = 0;
                        for chunk in rows.chunks(SQLITE_ROWS) {
                            written += diesel::insert_into($table::table).values(chunk).execute(lite)?;
                        }
                        Ok(written)
                    }
                }
            }
        }
    )*};
}

bulk_rows! {
    UserRow => users,
    AgencyRow => agencies,
    LicenceEventRow => licence_events,
    EmployerRow => employers,
    WorkerRecord => workers,
    SkillRow => worker_skills,
    LanguageRow => worker_languages,
    ReturnRow => worker_returns,
    VacancyRecord => vacancies,
    DeductionRow => vacancy_deductions,
    VacancySkillRow => vacancy_skills,
    InsuranceRow => vacancy_insurance,
    PlacementRow => placements,
    EventRow => placement_events,
    ContractRow => contracts,
    AcceptanceRow => contract_acceptances,
    PermitRow => permits,
    InsuranceCheckRow => insurance_checks,
    OrientationRow => orientations,
    BorderEventRow => border_events,
    AlertRow => alerts,
    CaseRow => cases,
    PayslipRow => payslips,
    PayslipDeductionRow => payslip_deductions,
    FindingRow => findings,
    FeeReportRow => fee_reports,
    ComplaintRow => complaints,
}

/// Writes `rows` in bulk; see [`BulkRow`].
pub fn write<R: BulkRow>(conn: &mut DbConnection, rows: &[R]) -> QueryResult<usize> {
    R::write(conn, rows)
}

/// After a bulk write, refreshes PostgreSQL's statistics of `tables` (inside the
/// transaction, which sees its own rows), so that the plans of the writes that follow — the
/// foreign-key checks and the `worker_returns` trigger's update — use the indexes: a plan
/// cached while a table was small would read the whole table for every row. SQLite's planner
/// takes a primary key's index without statistics; nothing to do there.
pub fn analyze(conn: &mut DbConnection, tables: &[&str]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => pg.batch_execute(&format!("ANALYZE {}", tables.join(", "))),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// The statement triggers that move an agency's `registry_stamp` with each change to its
/// workers (migration `2026-12-03-000023_registry_stamp`).
const STAMP_TRIGGERS: [&str; 4] =
    ["workers_stamp_insert", "workers_stamp_update", "workers_stamp_update_old", "workers_stamp_delete"];

/// Holds the agencies' registry stamps still while a bulk load writes (inside its
/// transaction), then moves every agency's stamp once. On PostgreSQL each return the load
/// writes updates its worker (the `worker_returns` trigger), and each such update would bump
/// its agency's row: hundreds of thousands of versions of twenty rows in one transaction,
/// each found by walking the versions before it. SQLite keeps no versions; nothing to do there.
pub fn with_stamps_held<T, E: From<diesel::result::Error>>(
    conn: &mut DbConnection,
    load: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    let toggle = |conn: &mut DbConnection, how: &str| match conn {
        DbConnection::Postgres(pg) => {
            let statements: Vec<String> = STAMP_TRIGGERS
                .iter()
                .map(|name| format!("ALTER TABLE workers {how} TRIGGER {name};"))
                .collect();
            pg.batch_execute(&statements.concat())
        }
        DbConnection::Sqlite(_) => Ok(()),
    };
    toggle(conn, "DISABLE")?;
    let loaded = load(conn)?;
    toggle(conn, "ENABLE")?;
    if let DbConnection::Postgres(pg) = conn {
        pg.batch_execute("UPDATE agencies SET registry_stamp = registry_stamp + 1")?;
    }
    Ok(loaded)
}
