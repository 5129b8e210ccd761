//! Reference data: regions, occupations, skills, border crossings (read-only, from migrations).

use diesel::prelude::*;

use super::DbConnection;
use super::schema::{crossings, occupations, regions, skills};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = regions)]
pub struct RegionRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub country: String,
    pub level: String,
    pub name_zh: String,
    pub name_vi: String,
    pub name_en: String,
    pub lat_e6: Option<i64>,
    pub lon_e6: Option<i64>,
    pub source: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = occupations)]
pub struct OccupationRow {
    pub code: String,
    pub name_zh: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = skills)]
pub struct SkillRow {
    pub code: String,
    pub name_zh: String,
    pub name_vi: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crossings)]
pub struct CrossingRow {
    pub code: String,
    pub cn_region_code: String,
    pub vn_region_code: String,
    pub name_zh: String,
    pub name_vi: String,
    pub name_en: String,
    pub lat_e6: i64,
    pub lon_e6: i64,
}

pub fn regions(conn: &mut DbConnection) -> QueryResult<Vec<RegionRow>> {
    regions::table.order(regions::code).select(RegionRow::as_select()).load(conn)
}

pub fn occupations(conn: &mut DbConnection) -> QueryResult<Vec<OccupationRow>> {
    occupations::table.order(occupations::code).select(OccupationRow::as_select()).load(conn)
}

pub fn skills(conn: &mut DbConnection) -> QueryResult<Vec<SkillRow>> {
    skills::table.order(skills::code).select(SkillRow::as_select()).load(conn)
}

pub fn crossings(conn: &mut DbConnection) -> QueryResult<Vec<CrossingRow>> {
    crossings::table.order(crossings::code).select(CrossingRow::as_select()).load(conn)
}

/// The region and every region above it, nearest first; empty when the code is unknown.
pub fn region_chain(conn: &mut DbConnection, code: &str) -> QueryResult<Vec<RegionRow>> {
    let all = regions(conn)?;
    let mut chain = Vec::new();
    let mut next = Some(code.to_owned());
    while let Some(code) = next.take() {
        let Some(region) = all.iter().find(|r| r.code == code) else { break };
        if chain.iter().any(|r: &RegionRow| r.code == region.code) {
            break; // a cycle would be a data error; never loop forever
        }
        next = region.parent_code.clone();
        chain.push(region.clone());
    }
    Ok(chain)
}

/// The region and every region below it, the region first.
pub fn region_and_below(conn: &mut DbConnection, code: &str) -> QueryResult<Vec<String>> {
    let all: Vec<(String, Option<String>)> =
        regions::table.select((regions::code, regions::parent_code)).load(conn)?;
    Ok(crate::domain::region::and_below(code, all.iter().map(|(c, p)| (c.as_str(), p.as_deref()))))
}

pub fn occupation_exists(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(occupations::table.find(code))).get_result(conn)
}

pub fn find_crossing(conn: &mut DbConnection, code: &str) -> QueryResult<Option<CrossingRow>> {
    crossings::table.find(code).select(CrossingRow::as_select()).first(conn).optional()
}

/// The codes among `codes` that are not skills.
pub fn unknown_skills(conn: &mut DbConnection, codes: &[String]) -> QueryResult<Vec<String>> {
    let known: Vec<String> =
        skills::table.filter(skills::code.eq_any(codes)).select(skills::code).load(conn)?;
    Ok(codes.iter().filter(|c| !known.contains(c)).cloned().collect())
}
