//! Workers with their skills, languages and return history.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    employers, placements, users, vacancies, worker_languages, worker_returns, worker_skills, workers,
};
use super::{Backend, DbConnection};
use crate::actor::Jurisdiction;
use crate::domain::page::Seek;
use crate::ids::{AgencyId, EmployerId, PlacementId, WorkerId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = workers, treat_none_as_null = true)]
pub struct WorkerRow {
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
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = worker_skills, treat_none_as_default_value = false)]
pub struct SkillRow {
    pub worker_id: WorkerId,
    pub skill_code: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = worker_languages, treat_none_as_default_value = false)]
pub struct LanguageRow {
    pub worker_id: WorkerId,
    pub language: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = worker_returns, treat_none_as_default_value = false)]
pub struct ReturnRow {
    pub id: String,
    pub worker_id: WorkerId,
    pub placement_id: Option<PlacementId>,
    pub employer_id: Option<EmployerId>,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub returned_on_time: bool,
    pub recorded_at: NaiveDateTime,
}

/// A worker with everything that belongs to it.
#[derive(Debug, Clone)]
pub struct FullWorker {
    pub row: WorkerRow,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    /// Past placements with the employer's name, oldest first.
    pub returns: Vec<(ReturnRow, Option<String>)>,
    pub has_account: bool,
    /// Whether the worker activated its account itself (set its own password).
    pub activated: bool,
}

/// A new worker and its lists.
#[derive(Debug, Clone)]
pub struct NewWorker {
    pub row: WorkerRow,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
}

/// A worker's row as written, with the copies of its skills and languages that matching
/// reads from the `workers_matching` index.
#[derive(Insertable)]
#[diesel(table_name = workers)]
struct RowWithCodes {
    #[diesel(embed)]
    row: WorkerRow,
    skill_codes: String,
    language_codes: String,
}

impl RowWithCodes {
    fn of(worker: &NewWorker) -> RowWithCodes {
        RowWithCodes {
            row: worker.row.clone(),
            skill_codes: worker.skills.join(" "),
            language_codes: worker.languages.join(" "),
        }
    }
}

/// Rows per multi-row INSERT on PostgreSQL (16 parameters each, under its 65,535 limit).
const BATCH: usize = 1_000;
/// Ids per `IN (…)` list, under both backends' parameter limits.
pub(crate) const IDS_PER_QUERY: usize = 5_000;

/// Inserts workers and their lists. PostgreSQL gets multi-row INSERTs (one round trip per
/// thousand rows); SQLite, in-process, row by row (MultiConnection has no batch insert).
pub fn insert_many(conn: &mut DbConnection, new: &[NewWorker]) -> QueryResult<()> {
    let rows: Vec<RowWithCodes> = new.iter().map(RowWithCodes::of).collect();
    let skills: Vec<SkillRow> = new
        .iter()
        .flat_map(|w| {
            w.skills.iter().map(|s| SkillRow { worker_id: w.row.id.clone(), skill_code: s.clone() })
        })
        .collect();
    let languages: Vec<LanguageRow> = new
        .iter()
        .flat_map(|w| {
            w.languages.iter().map(|l| LanguageRow { worker_id: w.row.id.clone(), language: l.clone() })
        })
        .collect();
    match conn {
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(BATCH) {
                diesel::insert_into(workers::table).values(chunk).execute(pg)?;
            }
            for chunk in skills.chunks(BATCH * 5) {
                diesel::insert_into(worker_skills::table).values(chunk).execute(pg)?;
            }
            for chunk in languages.chunks(BATCH * 5) {
                diesel::insert_into(worker_languages::table).values(chunk).execute(pg)?;
            }
        }
        DbConnection::Sqlite(_) => {
            for row in &rows {
                diesel::insert_into(workers::table).values(row).execute(conn)?;
            }
            for skill in &skills {
                diesel::insert_into(worker_skills::table).values(skill).execute(conn)?;
            }
            for language in &languages {
                diesel::insert_into(worker_languages::table).values(language).execute(conn)?;
            }
        }
    }
    Ok(())
}

/// Replaces the worker's row and lists.
pub fn update(conn: &mut DbConnection, worker: &NewWorker) -> QueryResult<()> {
    let id = &worker.row.id;
    let codes = RowWithCodes::of(worker);
    diesel::update(workers::table.find(id))
        .set((
            &worker.row,
            workers::skill_codes.eq(&codes.skill_codes),
            workers::language_codes.eq(&codes.language_codes),
        ))
        .execute(conn)?;
    diesel::delete(worker_skills::table.filter(worker_skills::worker_id.eq(id))).execute(conn)?;
    diesel::delete(worker_languages::table.filter(worker_languages::worker_id.eq(id))).execute(conn)?;
    for skill in &worker.skills {
        let row = SkillRow { worker_id: id.clone(), skill_code: skill.clone() };
        diesel::insert_into(worker_skills::table).values(&row).execute(conn)?;
    }
    for language in &worker.languages {
        let row = LanguageRow { worker_id: id.clone(), language: language.clone() };
        diesel::insert_into(worker_languages::table).values(&row).execute(conn)?;
    }
    Ok(())
}

/// The document numbers among `numbers` that are registered already (to any agency, or,
/// with `except`, to any worker but that one).
pub fn registered_documents(
    conn: &mut DbConnection,
    numbers: &[String],
    except: Option<&WorkerId>,
) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in numbers.chunks(IDS_PER_QUERY) {
        let mut query = workers::table
            .filter(workers::id_document_number.eq_any(chunk))
            .select(workers::id_document_number)
            .into_boxed();
        if let Some(except) = except {
            query = query.filter(workers::id.ne(except.clone()));
        }
        found.extend(query.load::<String>(conn)?);
    }
    Ok(found)
}

/// Every registered document number (for a bulk load, which must not repeat one).
pub fn document_numbers(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    workers::table.select(workers::id_document_number).load(conn)
}

/// The worker registered with a (normalised) document number.
pub fn find_by_document(conn: &mut DbConnection, number: &str) -> QueryResult<Option<FullWorker>> {
    let Some(row) = workers::table
        .filter(workers::id_document_number.eq(number))
        .select(WorkerRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(complete(conn, vec![row])?.pop())
}

pub fn find(conn: &mut DbConnection, id: &WorkerId) -> QueryResult<Option<FullWorker>> {
    let Some(row) = workers::table.find(id).select(WorkerRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(complete(conn, vec![row])?.pop())
}

/// Every worker, or an agency's, oldest first (then by id): all, or a page.
pub fn list(
    conn: &mut DbConnection,
    agency_id: Option<&AgencyId>,
    seek: Option<&Seek<NaiveDateTime>>,
) -> QueryResult<Vec<FullWorker>> {
    let mut query = workers::table.into_boxed();
    if let Some(agency) = agency_id {
        query = query.filter(workers::agency_id.eq(agency.clone()));
    }
    let rows = paged(query, seek).select(WorkerRow::as_select()).load(conn)?;
    complete(conn, rows)
}

/// The query in the registry's order, (created_at, id), and the page of it `seek` asks for.
fn paged(
    mut query: workers::BoxedQuery<'static, Backend>,
    seek: Option<&Seek<NaiveDateTime>>,
) -> workers::BoxedQuery<'static, Backend> {
    if let Some(seek) = seek {
        if let Some((at, id)) = &seek.after {
            let id = WorkerId::from(id.clone());
            query = query
                .filter(workers::created_at.gt(*at).or(workers::created_at.eq(*at).and(workers::id.gt(id))));
        }
        query = query.limit(seek.fetch);
    }
    query.order((workers::created_at, workers::id))
}

/// The workers `within` oversees, as a query: all for a national authority; those with a
/// placement in its region for a Chinese provincial one; those from its province for a
/// Vietnamese provincial one.
fn overseen_by(within: &Jurisdiction) -> workers::BoxedQuery<'static, Backend> {
    let mut query = workers::table.into_boxed();
    if let Some(regions) = within.worksites() {
        let placed = placements::table
            .inner_join(vacancies::table)
            .filter(vacancies::region_code.eq_any(regions.to_vec()))
            .select(placements::worker_id);
        query = query.filter(workers::id.eq_any(placed));
    }
    if let Some(provinces) = within.home_provinces() {
        query = query.filter(workers::home_province_code.eq_any(provinces.to_vec()));
    }
    query
}

/// The workers a regulator's authority oversees ([`overseen_by`]).
pub fn within(
    conn: &mut DbConnection,
    within: &Jurisdiction,
    seek: Option<&Seek<NaiveDateTime>>,
) -> QueryResult<Vec<FullWorker>> {
    let rows = paged(overseen_by(within), seek).select(WorkerRow::as_select()).load(conn)?;
    complete(conn, rows)
}

/// Whether a regulator's authority oversees the worker ([`overseen_by`]).
pub fn overseen(conn: &mut DbConnection, id: &WorkerId, within: &Jurisdiction) -> QueryResult<bool> {
    let found =
        overseen_by(within).filter(workers::id.eq(id.clone())).select(workers::id).first::<WorkerId>(conn);
    Ok(found.optional()?.is_some())
}

/// Loads the lists of many workers with a few queries per five thousand.
fn complete(conn: &mut DbConnection, rows: Vec<WorkerRow>) -> QueryResult<Vec<FullWorker>> {
    let ids: Vec<WorkerId> = rows.iter().map(|r| r.id.clone()).collect();
    let mut skills_of: HashMap<WorkerId, Vec<String>> = HashMap::new();
    let mut languages_of: HashMap<WorkerId, Vec<String>> = HashMap::new();
    let mut returns_of: HashMap<WorkerId, Vec<(ReturnRow, Option<String>)>> = HashMap::new();
    let mut with_account: HashMap<WorkerId, bool> = HashMap::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let skills: Vec<SkillRow> = worker_skills::table
            .filter(worker_skills::worker_id.eq_any(chunk))
            .order((worker_skills::worker_id, worker_skills::skill_code))
            .select(SkillRow::as_select())
            .load(conn)?;
        for s in skills {
            skills_of.entry(s.worker_id).or_default().push(s.skill_code);
        }
        let languages: Vec<LanguageRow> = worker_languages::table
            .filter(worker_languages::worker_id.eq_any(chunk))
            .order((worker_languages::worker_id, worker_languages::language))
            .select(LanguageRow::as_select())
            .load(conn)?;
        for l in languages {
            languages_of.entry(l.worker_id).or_default().push(l.language);
        }
        let returns: Vec<(ReturnRow, Option<String>)> = worker_returns::table
            .left_join(employers::table)
            .filter(worker_returns::worker_id.eq_any(chunk))
            .order((worker_returns::worker_id, worker_returns::season_start, worker_returns::id))
            .select((ReturnRow::as_select(), employers::name.nullable()))
            .load(conn)?;
        for r in returns {
            returns_of.entry(r.0.worker_id.clone()).or_default().push(r);
        }
        let accounts: Vec<(Option<WorkerId>, bool)> = users::table
            .filter(users::role.eq("worker"))
            .filter(users::org_id.eq_any(chunk))
            .select((users::org_id, users::activated_at.is_not_null()))
            .load(conn)?;
        with_account.extend(accounts.into_iter().filter_map(|(id, activated)| id.map(|id| (id, activated))));
    }
    Ok(rows
        .into_iter()
        .map(|row| FullWorker {
            skills: skills_of.remove(&row.id).unwrap_or_default(),
            languages: languages_of.remove(&row.id).unwrap_or_default(),
            returns: returns_of.remove(&row.id).unwrap_or_default(),
            has_account: with_account.contains_key(&row.id),
            activated: with_account.get(&row.id).copied().unwrap_or(false),
            row,
        })
        .collect())
}

/// The agency's workers among `ids`, with their lists; ids of other agencies' workers and
/// unknown ids are left out.
pub fn find_many(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    ids: &[WorkerId],
) -> QueryResult<Vec<FullWorker>> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        // By id alone: SQLite, without statistics, would rather walk the agency's whole
        // index than look a few ids up when the agency is in the query too.
        let found: Vec<WorkerRow> =
            workers::table.filter(workers::id.eq_any(chunk)).select(WorkerRow::as_select()).load(conn)?;
        rows.extend(found.into_iter().filter(|w| &w.agency_id == agency_id));
    }
    complete(conn, rows)
}

/// What ranking reads of a worker: no personal field, and every column in the
/// `workers_matching` index.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = workers)]
pub struct MatchProfile {
    pub id: WorkerId,
    pub home_province_code: String,
    /// Seasons the agency declared (worked before the scheme recorded them).
    pub seasons_worked: i32,
    /// Seasons the scheme recorded: a return per placement.
    pub seasons_verified: i32,
    /// Space-separated, as [`MatchProfile::skills`] reads them.
    pub skill_codes: String,
    /// Space-separated, as [`MatchProfile::languages`] reads them.
    pub language_codes: String,
    /// How many past seasons ended with a return home on time.
    #[diesel(column_name = returned_on_time_count)]
    pub returned_on_time: i32,
}

impl MatchProfile {
    pub fn skills(&self) -> impl Iterator<Item = &str> + Clone {
        self.skill_codes.split_whitespace()
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> + Clone {
        self.language_codes.split_whitespace()
    }
}

/// A profile with the dates the worker is available.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = workers)]
pub struct DatedProfile {
    #[diesel(embed)]
    pub profile: MatchProfile,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
}

/// The dated profiles of the agency's workers: all of them, or those among `ids`.
pub fn dated_profiles(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    ids: Option<&[WorkerId]>,
) -> QueryResult<Vec<DatedProfile>> {
    let Some(ids) = ids else {
        return workers::table
            .filter(workers::agency_id.eq(agency_id))
            .select(DatedProfile::as_select())
            .load(conn);
    };
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        // By id alone, as in `find_many`; then the agency's only.
        let rows: Vec<(AgencyId, DatedProfile)> = workers::table
            .filter(workers::id.eq_any(chunk))
            .select((workers::agency_id, DatedProfile::as_select()))
            .load(conn)?;
        found.extend(rows.into_iter().filter(|(agency, _)| agency == agency_id).map(|(_, p)| p));
    }
    Ok(found)
}
