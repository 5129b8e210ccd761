//! Workers with their skills, languages and return history.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{employers, users, worker_languages, worker_returns, worker_skills, workers};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = workers, treat_none_as_null = true)]
pub struct WorkerRow {
    pub id: String,
    pub agency_id: String,
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
#[diesel(table_name = worker_skills)]
pub struct SkillRow {
    pub worker_id: String,
    pub skill_code: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = worker_languages)]
pub struct LanguageRow {
    pub worker_id: String,
    pub language: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = worker_returns)]
pub struct ReturnRow {
    pub id: String,
    pub worker_id: String,
    pub placement_id: Option<String>,
    pub employer_id: Option<String>,
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
}

/// A new worker and its lists.
#[derive(Debug, Clone)]
pub struct NewWorker {
    pub row: WorkerRow,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
}

/// Rows per multi-row INSERT on PostgreSQL (14 parameters each, under its 65,535 limit).
const BATCH: usize = 1_000;
/// Ids per `IN (…)` list, under both backends' parameter limits.
const IDS_PER_QUERY: usize = 5_000;

/// Inserts workers and their lists. PostgreSQL gets multi-row INSERTs (one round trip per
/// thousand rows); SQLite, in-process, row by row (MultiConnection has no batch insert).
pub fn insert_many(conn: &mut DbConnection, new: &[NewWorker]) -> QueryResult<()> {
    let rows: Vec<&WorkerRow> = new.iter().map(|w| &w.row).collect();
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
                let chunk: Vec<WorkerRow> = chunk.iter().map(|r| (*r).clone()).collect();
                diesel::insert_into(workers::table).values(&chunk).execute(pg)?;
            }
            for chunk in skills.chunks(BATCH * 5) {
                diesel::insert_into(worker_skills::table).values(chunk).execute(pg)?;
            }
            for chunk in languages.chunks(BATCH * 5) {
                diesel::insert_into(worker_languages::table).values(chunk).execute(pg)?;
            }
        }
        DbConnection::Sqlite(_) => {
            for row in rows {
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
    diesel::update(workers::table.find(id)).set(&worker.row).execute(conn)?;
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
    except: Option<&str>,
) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in numbers.chunks(IDS_PER_QUERY) {
        let mut query = workers::table
            .filter(workers::id_document_number.eq_any(chunk))
            .select(workers::id_document_number)
            .into_boxed();
        if let Some(except) = except {
            query = query.filter(workers::id.ne(except.to_owned()));
        }
        found.extend(query.load::<String>(conn)?);
    }
    Ok(found)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<FullWorker>> {
    let Some(row) = workers::table.find(id).select(WorkerRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    Ok(complete(conn, vec![row])?.pop())
}

/// Every worker, or an agency's, oldest first.
pub fn list(conn: &mut DbConnection, agency_id: Option<&str>) -> QueryResult<Vec<FullWorker>> {
    let mut query = workers::table.select(WorkerRow::as_select()).into_boxed();
    if let Some(agency) = agency_id {
        query = query.filter(workers::agency_id.eq(agency.to_owned()));
    }
    let rows = query.order((workers::created_at, workers::id)).load(conn)?;
    complete(conn, rows)
}

/// Loads the lists of many workers with a few queries per five thousand.
fn complete(conn: &mut DbConnection, rows: Vec<WorkerRow>) -> QueryResult<Vec<FullWorker>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut skills_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut languages_of: HashMap<String, Vec<String>> = HashMap::new();
    let mut returns_of: HashMap<String, Vec<(ReturnRow, Option<String>)>> = HashMap::new();
    let mut with_account: std::collections::HashSet<String> = Default::default();
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
        let accounts: Vec<Option<String>> = users::table
            .filter(users::role.eq("worker"))
            .filter(users::org_id.eq_any(chunk))
            .select(users::org_id)
            .load(conn)?;
        with_account.extend(accounts.into_iter().flatten());
    }
    Ok(rows
        .into_iter()
        .map(|row| FullWorker {
            skills: skills_of.remove(&row.id).unwrap_or_default(),
            languages: languages_of.remove(&row.id).unwrap_or_default(),
            returns: returns_of.remove(&row.id).unwrap_or_default(),
            has_account: with_account.contains(&row.id),
            row,
        })
        .collect())
}
