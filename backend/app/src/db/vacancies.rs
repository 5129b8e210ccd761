//! Vacancies with their itemised deductions and required skills.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{
    employers, local_hires, vacancies, vacancy_deductions, vacancy_insurance, vacancy_skills,
};
use crate::domain::money::Fen;
use crate::domain::page::Seek;
use crate::ids::{EmployerId, RuleId, UserId, VacancyId};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = vacancies)]
pub struct VacancyRow {
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
}

/// The insurance a vacancy's contracts state.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = vacancy_insurance, treat_none_as_default_value = false)]
pub struct InsuranceRow {
    pub vacancy_id: VacancyId,
    pub insurer: String,
    pub policy_number: String,
    pub work_injury_cover_fen: Fen,
    pub return_cover_fen: Fen,
    pub paid_by: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = vacancy_deductions, treat_none_as_default_value = false)]
pub struct DeductionRow {
    pub vacancy_id: VacancyId,
    pub position: i32,
    pub kind: String,
    pub fen_per_month: Fen,
}

/// What opening the vacancy and hiring locally wrote, which an edit does not write again.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = vacancies)]
pub struct Opening {
    /// The first day (China's) agencies may offer its seats: the local window's end.
    pub open_to_agencies_on: Option<NaiveDate>,
    pub local_hires: i32,
}

/// A vacancy with everything that belongs to it.
#[derive(Debug, Clone)]
pub struct FullVacancy {
    pub row: VacancyRow,
    pub opening: Opening,
    pub employer_name: String,
    pub deductions: Vec<DeductionRow>,
    pub skills: Vec<String>,
    pub insurance: Option<InsuranceRow>,
}

/// Inserts or replaces the vacancy and its parts.
pub fn save(
    conn: &mut DbConnection,
    row: &VacancyRow,
    deductions: &[DeductionRow],
    skills: &[String],
    insurance: Option<&InsuranceRow>,
    new: bool,
) -> QueryResult<()> {
    if new {
        diesel::insert_into(vacancies::table).values(row).execute(conn)?;
    } else {
        diesel::update(vacancies::table.find(&row.id)).set(row).execute(conn)?;
        diesel::delete(vacancy_deductions::table.filter(vacancy_deductions::vacancy_id.eq(&row.id)))
            .execute(conn)?;
        diesel::delete(vacancy_skills::table.filter(vacancy_skills::vacancy_id.eq(&row.id))).execute(conn)?;
        diesel::delete(vacancy_insurance::table.filter(vacancy_insurance::vacancy_id.eq(&row.id)))
            .execute(conn)?;
    }
    if let Some(insurance) = insurance {
        diesel::insert_into(vacancy_insurance::table).values(insurance).execute(conn)?;
    }
    // One row at a time: MultiConnection has no batch insert, and these lists are short.
    for deduction in deductions {
        diesel::insert_into(vacancy_deductions::table).values(deduction).execute(conn)?;
    }
    for skill in skills {
        diesel::insert_into(vacancy_skills::table)
            .values((vacancy_skills::vacancy_id.eq(&row.id), vacancy_skills::skill_code.eq(skill)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_status(
    conn: &mut DbConnection,
    id: &VacancyId,
    status: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(vacancies::table.find(id))
        .set((vacancies::status.eq(status), vacancies::updated_at.eq(at)))
        .execute(conn)
}

/// Marks the vacancy opened at `at`, open to agencies from `to_agencies` on, unless it was
/// opened before: it counts as posted on the day it was first opened (STATISTICS.md), and its
/// local window runs once.
pub fn mark_opened(
    conn: &mut DbConnection,
    id: &VacancyId,
    at: NaiveDateTime,
    to_agencies: NaiveDate,
) -> QueryResult<usize> {
    diesel::update(vacancies::table.find(id).filter(vacancies::opened_at.is_null()))
        .set((vacancies::opened_at.eq(at), vacancies::open_to_agencies_on.eq(to_agencies)))
        .execute(conn)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = local_hires)]
pub struct LocalHireRow {
    pub id: String,
    pub vacancy_id: VacancyId,
    pub people: i32,
    pub hired_on: NaiveDate,
    pub recorded_by: UserId,
    pub recorded_at: NaiveDateTime,
}

/// Records local hires and lowers the vacancy's headcount by as many, if that leaves at least
/// the seats placements hold (the `seats_taken <= headcount` CHECK holds it too): 0 rows
/// changed otherwise, and nothing written.
pub fn hire_locally(conn: &mut DbConnection, hire: &LocalHireRow) -> QueryResult<usize> {
    let lowered = diesel::update(
        vacancies::table
            .find(&hire.vacancy_id)
            .filter(vacancies::headcount.ge(vacancies::seats_taken + hire.people)),
    )
    .set((
        vacancies::headcount.eq(vacancies::headcount - hire.people),
        vacancies::local_hires.eq(vacancies::local_hires + hire.people),
        vacancies::updated_at.eq(hire.recorded_at),
    ))
    .execute(conn)?;
    if lowered == 1 {
        diesel::insert_into(local_hires::table).values(hire).execute(conn)?;
    }
    Ok(lowered)
}

/// The employer's vacancies that are not closed (drafts and open ones), by season start: what
/// it may name a returning worker for.
pub fn not_closed(
    conn: &mut DbConnection,
    employer_id: &EmployerId,
) -> QueryResult<Vec<(VacancyId, String)>> {
    vacancies::table
        .filter(vacancies::employer_id.eq(employer_id))
        .filter(vacancies::status.ne("closed"))
        .order((vacancies::season_start, vacancies::id))
        .select((vacancies::id, vacancies::title))
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: &VacancyId) -> QueryResult<Option<FullVacancy>> {
    let found = vacancies::table
        .inner_join(employers::table)
        .filter(vacancies::id.eq(id))
        .select((VacancyRow::as_select(), Opening::as_select(), employers::name))
        .first::<(VacancyRow, Opening, String)>(conn)
        .optional()?;
    let Some(found) = found else { return Ok(None) };
    Ok(complete(conn, vec![found])?.pop())
}

/// Filters for listing vacancies.
#[derive(Debug, Default, Clone)]
pub struct VacancyFilter {
    pub employer_id: Option<EmployerId>,
    pub status: Option<String>,
    pub region_codes: Option<Vec<String>>,
    pub occupation_code: Option<String>,
    /// Only vacancies in these regions, or open ones (a provincial authority's reading).
    pub within_or_open: Option<Vec<String>>,
    /// Only the vacancies of employers that take workers: a suspended employer's are left
    /// out (the board's and the agencies' reading).
    pub hiring_only: bool,
}

/// The vacancies `filter` selects by season start, then id: all of them, or a page
/// (`seek.fetch` rows after its cursor).
pub fn list(
    conn: &mut DbConnection,
    filter: &VacancyFilter,
    seek: Option<&Seek<NaiveDate>>,
) -> QueryResult<Vec<FullVacancy>> {
    let mut query = vacancies::table
        .inner_join(employers::table)
        .select((VacancyRow::as_select(), Opening::as_select(), employers::name))
        .into_boxed();
    if let Some(employer) = &filter.employer_id {
        query = query.filter(vacancies::employer_id.eq(employer.clone()));
    }
    if let Some(status) = &filter.status {
        query = query.filter(vacancies::status.eq(status.clone()));
    }
    if let Some(regions) = &filter.region_codes {
        query = query.filter(vacancies::region_code.eq_any(regions.clone()));
    }
    if let Some(occupation) = &filter.occupation_code {
        query = query.filter(vacancies::occupation_code.eq(occupation.clone()));
    }
    if filter.hiring_only {
        query = query.filter(employers::status.eq("verified"));
    }
    if let Some(regions) = &filter.within_or_open {
        query = query.filter(vacancies::region_code.eq_any(regions.clone()).or(vacancies::status.eq("open")));
    }
    if let Some(seek) = seek {
        if let Some((start, id)) = &seek.after {
            let id = VacancyId::from(id.clone());
            query = query.filter(
                vacancies::season_start
                    .gt(*start)
                    .or(vacancies::season_start.eq(*start).and(vacancies::id.gt(id))),
            );
        }
        query = query.limit(seek.fetch);
    }
    let rows =
        query.order((vacancies::season_start, vacancies::id)).load::<(VacancyRow, Opening, String)>(conn)?;
    complete(conn, rows)
}

/// Loads deductions and skills for many vacancies with two queries.
fn complete(
    conn: &mut DbConnection,
    rows: Vec<(VacancyRow, Opening, String)>,
) -> QueryResult<Vec<FullVacancy>> {
    let ids: Vec<&VacancyId> = rows.iter().map(|(r, _, _)| &r.id).collect();
    let deductions: Vec<DeductionRow> = vacancy_deductions::table
        .filter(vacancy_deductions::vacancy_id.eq_any(&ids))
        .order((vacancy_deductions::vacancy_id, vacancy_deductions::position))
        .select(DeductionRow::as_select())
        .load(conn)?;
    let skills: Vec<(VacancyId, String)> = vacancy_skills::table
        .filter(vacancy_skills::vacancy_id.eq_any(&ids))
        .order((vacancy_skills::vacancy_id, vacancy_skills::skill_code))
        .load(conn)?;
    let mut insurance_of: HashMap<VacancyId, InsuranceRow> = vacancy_insurance::table
        .filter(vacancy_insurance::vacancy_id.eq_any(&ids))
        .select(InsuranceRow::as_select())
        .load::<InsuranceRow>(conn)?
        .into_iter()
        .map(|i| (i.vacancy_id.clone(), i))
        .collect();
    let mut deductions_of: HashMap<VacancyId, Vec<DeductionRow>> = HashMap::new();
    for d in deductions {
        deductions_of.entry(d.vacancy_id.clone()).or_default().push(d);
    }
    let mut skills_of: HashMap<VacancyId, Vec<String>> = HashMap::new();
    for (vacancy, skill) in skills {
        skills_of.entry(vacancy).or_default().push(skill);
    }
    Ok(rows
        .into_iter()
        .map(|(row, opening, employer_name)| FullVacancy {
            deductions: deductions_of.remove(&row.id).unwrap_or_default(),
            skills: skills_of.remove(&row.id).unwrap_or_default(),
            insurance: insurance_of.remove(&row.id),
            employer_name,
            row,
            opening,
        })
        .collect())
}
