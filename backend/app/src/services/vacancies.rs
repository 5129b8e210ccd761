//! Vacancies: every create and edit is checked against the wage floor for its region,
//! occupation and every day of its season, in the same transaction as the write.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::db::vacancies::{DeductionRow, FullVacancy, VacancyFilter, VacancyRow};
use crate::db::{DbConnection, employers, reference, vacancies, wage_floors};
use crate::domain::money::yuan;
use crate::domain::pay::{Deduction, PayBasis, PayFigures, PayTerms, PayViolation};
use crate::domain::wage_floor::Floor;
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::invalid;
use crate::services::wage_floors::{self as floors, BindingRule, to_rule};

/// Whether a new vacancy opens at once or waits as a draft.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NewStatus {
    #[default]
    Open,
    Draft,
}

/// A vacancy as an employer writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyInput {
    #[schema(example = "Cane cutters, Ningming 2026/27 season")]
    pub title: String,
    #[schema(example = "sugarcane_cutting")]
    pub occupation_code: String,
    #[schema(example = "451422")]
    pub region_code: String,
    #[schema(example = "aidian")]
    pub crossing_code: String,
    pub headcount: i32,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub hours_per_week: i32,
    pub guaranteed_hours_per_week: i32,
    #[serde(default)]
    pub required_skills: Vec<String>,
    pub pay_basis: PayBasis,
    /// Per hour, per month, or per piece unit, by `pay_basis`.
    pub wage_fen: i64,
    /// What a piece is ("tonne"); piece rates only.
    pub piece_unit: Option<String>,
    /// The hourly pay a piece-rate worker gets at least; piece rates only.
    pub guaranteed_hourly_fen: Option<i64>,
    #[serde(default)]
    pub deductions: Vec<Deduction>,
    pub housing_provided: bool,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
    /// "open" (the default) or "draft".
    #[serde(default)]
    pub status: NewStatus,
}

/// Changes to a vacancy: the fields given replace the stored ones; the floor is checked again.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyPatch {
    pub title: Option<String>,
    pub occupation_code: Option<String>,
    pub region_code: Option<String>,
    pub crossing_code: Option<String>,
    pub headcount: Option<i32>,
    pub season_start: Option<NaiveDate>,
    pub season_end: Option<NaiveDate>,
    pub hours_per_week: Option<i32>,
    pub guaranteed_hours_per_week: Option<i32>,
    pub required_skills: Option<Vec<String>>,
    pub pay_basis: Option<PayBasis>,
    pub wage_fen: Option<i64>,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<i64>,
    pub deductions: Option<Vec<Deduction>>,
    pub housing_provided: Option<bool>,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
}

impl VacancyInput {
    /// The pay terms the input states.
    pub fn terms(&self) -> PayTerms {
        PayTerms {
            basis: self.pay_basis,
            wage_fen: self.wage_fen,
            guaranteed_hourly_fen: self.guaranteed_hourly_fen,
            hours_per_week: i64::from(self.hours_per_week),
            deductions: self.deductions.clone(),
        }
    }
}

impl VacancyPatch {
    fn apply(self, base: VacancyInput) -> VacancyInput {
        VacancyInput {
            title: self.title.unwrap_or(base.title),
            occupation_code: self.occupation_code.unwrap_or(base.occupation_code),
            region_code: self.region_code.unwrap_or(base.region_code),
            crossing_code: self.crossing_code.unwrap_or(base.crossing_code),
            headcount: self.headcount.unwrap_or(base.headcount),
            season_start: self.season_start.unwrap_or(base.season_start),
            season_end: self.season_end.unwrap_or(base.season_end),
            hours_per_week: self.hours_per_week.unwrap_or(base.hours_per_week),
            guaranteed_hours_per_week: self
                .guaranteed_hours_per_week
                .unwrap_or(base.guaranteed_hours_per_week),
            required_skills: self.required_skills.unwrap_or(base.required_skills),
            pay_basis: self.pay_basis.unwrap_or(base.pay_basis),
            wage_fen: self.wage_fen.unwrap_or(base.wage_fen),
            piece_unit: self.piece_unit.or(base.piece_unit),
            guaranteed_hourly_fen: self.guaranteed_hourly_fen.or(base.guaranteed_hourly_fen),
            deductions: self.deductions.unwrap_or(base.deductions),
            housing_provided: self.housing_provided.unwrap_or(base.housing_provided),
            description_zh: self.description_zh.or(base.description_zh),
            description_vi: self.description_vi.or(base.description_vi),
            status: base.status,
        }
    }
}

/// The floor a vacancy was checked against.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyFloor {
    pub hourly_fen: i64,
    pub binding_rule: BindingRule,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Vacancy {
    pub id: String,
    pub employer_id: String,
    pub employer_name: String,
    pub title: String,
    pub occupation_code: String,
    pub region_code: String,
    pub crossing_code: String,
    pub headcount: i32,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub hours_per_week: i32,
    pub guaranteed_hours_per_week: i32,
    pub required_skills: Vec<String>,
    pub pay_basis: PayBasis,
    pub wage_fen: i64,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<i64>,
    pub deductions: Vec<Deduction>,
    pub housing_provided: bool,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
    /// draft, open or closed.
    pub status: String,
    pub hourly_equivalent_fen: i64,
    pub floor: VacancyFloor,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Vacancy {
    /// The stored vacancy as the input that would write it again.
    pub fn as_input(&self) -> VacancyInput {
        VacancyInput {
            title: self.title.clone(),
            occupation_code: self.occupation_code.clone(),
            region_code: self.region_code.clone(),
            crossing_code: self.crossing_code.clone(),
            headcount: self.headcount,
            season_start: self.season_start,
            season_end: self.season_end,
            hours_per_week: self.hours_per_week,
            guaranteed_hours_per_week: self.guaranteed_hours_per_week,
            required_skills: self.required_skills.clone(),
            pay_basis: self.pay_basis,
            wage_fen: self.wage_fen,
            piece_unit: self.piece_unit.clone(),
            guaranteed_hourly_fen: self.guaranteed_hourly_fen,
            deductions: self.deductions.clone(),
            housing_provided: self.housing_provided,
            description_zh: self.description_zh.clone(),
            description_vi: self.description_vi.clone(),
            status: NewStatus::Open,
        }
    }

    fn identity(&self, new_status: Option<&str>) -> Identity {
        Identity {
            id: self.id.clone(),
            employer_id: self.employer_id.clone(),
            status: new_status.unwrap_or(&self.status).to_owned(),
            created_at: self.created_at,
        }
    }

    pub fn terms(&self) -> PayTerms {
        self.as_input().terms()
    }
}

/// The largest amount of a wage or a deduction: 100,000 CNY.
const MAX_AMOUNT_FEN: i64 = 10_000_000;

/// The longest season a vacancy may have.
const MAX_SEASON_DAYS: i64 = 366;

/// Checks the fields and the references; returns the pay terms, normalised.
fn validate(conn: &mut DbConnection, input: &mut VacancyInput) -> Result<PayTerms, AppError> {
    input.title = input.title.trim().to_owned();
    if input.title.is_empty() || input.title.chars().count() > 200 {
        return Err(invalid("title", "give a title (at most 200 characters)"));
    }
    if !(1..=10_000).contains(&input.headcount) {
        return Err(invalid("headcount", "between 1 and 10000"));
    }
    if !(1..=72).contains(&input.hours_per_week) {
        return Err(invalid("hours_per_week", "between 1 and 72"));
    }
    if !(1..=input.hours_per_week).contains(&input.guaranteed_hours_per_week) {
        return Err(invalid("guaranteed_hours_per_week", "between 1 and hours_per_week"));
    }
    let days = (input.season_end - input.season_start).num_days();
    if days < 0 {
        return Err(AppError::new(ErrorCode::InvalidSeason).with_detail("the season ends before it starts"));
    }
    if days >= MAX_SEASON_DAYS {
        return Err(AppError::new(ErrorCode::InvalidSeason).with_detail("a season lasts at most a year"));
    }
    // Bounds far above any real wage keep the pay arithmetic well inside i64.
    if !(1..=MAX_AMOUNT_FEN).contains(&input.wage_fen) {
        return Err(invalid("wage_fen", "between 1 and 10000000 fen"));
    }
    if input.pay_basis == PayBasis::Piece {
        if input.piece_unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Err(invalid("piece_unit", "a piece rate names its unit"));
        }
        if input.guaranteed_hourly_fen.is_none_or(|g| !(1..=MAX_AMOUNT_FEN).contains(&g)) {
            return Err(invalid("guaranteed_hourly_fen", "a piece rate guarantees an hourly rate"));
        }
    } else {
        input.piece_unit = None;
        input.guaranteed_hourly_fen = None;
    }
    if input.deductions.len() > 20 {
        return Err(invalid("deductions", "at most 20 items"));
    }
    for deduction in &mut input.deductions {
        deduction.kind = deduction.kind.trim().to_owned();
        if deduction.kind.is_empty() || deduction.kind.chars().count() > 50 {
            return Err(invalid("deductions", "each deduction names its kind (at most 50 characters)"));
        }
        if !(0..=MAX_AMOUNT_FEN).contains(&deduction.fen_per_month) {
            return Err(invalid("deductions", "amounts between 0 and 10000000 fen"));
        }
    }
    for (field, text) in
        [("description_zh", &input.description_zh), ("description_vi", &input.description_vi)]
    {
        if text.as_ref().is_some_and(|t| t.chars().count() > 5000) {
            return Err(invalid(field, "at most 5000 characters"));
        }
    }
    let region = reference::region_chain(conn, &input.region_code)?;
    if region.first().is_none_or(|r| !crate::services::reference::is_receiving(&r.country, &r.level)) {
        return Err(invalid("region_code", "a Chinese prefecture or county"));
    }
    if !reference::occupation_exists(conn, &input.occupation_code)? {
        return Err(invalid("occupation_code", "unknown occupation"));
    }
    if reference::find_crossing(conn, &input.crossing_code)?.is_none() {
        return Err(invalid("crossing_code", "unknown border crossing"));
    }
    input.required_skills.sort();
    input.required_skills.dedup();
    let unknown = reference::unknown_skills(conn, &input.required_skills)?;
    if !unknown.is_empty() {
        return Err(invalid("required_skills", "unknown skill").with("unknown", unknown));
    }
    Ok(input.terms())
}

/// The refusal for pay terms that break the floor or the cap, in plain words.
pub fn violation_error(violation: &PayViolation, floor: &Floor, cap_percent: i64) -> AppError {
    let rule = BindingRule::from(&floor.binding);
    match *violation {
        PayViolation::BelowFloor { offered_hourly_fen, shortfall_fen, after_deductions } => {
            let what = if after_deductions { "after deductions, the job pays" } else { "the job pays" };
            AppError::new(ErrorCode::BelowWageFloor)
                .with_detail(format!(
                    "{what} {} CNY an hour; the wage floor for this region, occupation and season is {} CNY an hour \
                     ({}, source: {}); it is {} CNY an hour short",
                    yuan(offered_hourly_fen),
                    yuan(floor.hourly_fen),
                    rule.kind.as_str().replace('_', " "),
                    rule.source,
                    yuan(shortfall_fen)
                ))
                .with("floor_hourly_fen", floor.hourly_fen)
                .with("offered_hourly_fen", offered_hourly_fen)
                .with("shortfall_fen", shortfall_fen)
                .with("after_deductions", after_deductions)
                .with("binding_rule", json!(rule))
        }
        PayViolation::DeductionsOverCap { cap_fen, deductions_fen } => {
            AppError::new(ErrorCode::DeductionsOverCap)
                .with_detail(format!(
                    "deductions of {} CNY a month exceed the cap of {} CNY ({cap_percent} % of gross pay)",
                    yuan(deductions_fen),
                    yuan(cap_fen)
                ))
                .with("cap_fen", cap_fen)
                .with("deductions_fen", deductions_fen)
                .with("cap_percent", cap_percent)
        }
    }
}

/// Validates pay and season terms and checks them against the floor: the one check behind
/// vacancy writes, offers and contract amendments.
pub fn check_terms(
    conn: &mut DbConnection,
    mut input: VacancyInput,
    cap_percent: i64,
) -> Result<(VacancyInput, Floor, PayFigures), AppError> {
    let terms = validate(conn, &mut input)?;
    let floor = floors::floor_over(
        conn,
        &input.region_code,
        Some(&input.occupation_code),
        input.season_start,
        input.season_end,
    )?;
    let figures =
        terms.check(floor.hourly_fen, cap_percent).map_err(|v| violation_error(&v, &floor, cap_percent))?;
    Ok((input, floor, figures))
}

/// Who a vacancy row belongs to and where it stands: what a write keeps or sets.
struct Identity {
    id: String,
    employer_id: String,
    status: String,
    created_at: DateTime<Utc>,
}

/// Validates the input, checks it against the floor and stores it: the one write path of
/// create, edit and open. The caller has taken the floor guard.
fn check_and_save(
    conn: &mut DbConnection,
    who: Identity,
    input: VacancyInput,
    cap_percent: i64,
    now: DateTime<Utc>,
    new: bool,
) -> Result<Vacancy, AppError> {
    let (input, floor, figures) = check_terms(conn, input, cap_percent)?;
    let (id, viewer) = (who.id.clone(), Viewer::Employer(who.employer_id.clone()));
    let (row, deductions) = to_row(who, &input, &floor, figures, now);
    vacancies::save(conn, &row, &deductions, &input.required_skills, new)?;
    find_visible(conn, &id, &viewer)
}

fn to_row(
    who: Identity,
    input: &VacancyInput,
    floor: &Floor,
    figures: PayFigures,
    now: DateTime<Utc>,
) -> (VacancyRow, Vec<DeductionRow>) {
    let Identity { id, employer_id, status, created_at } = who;
    let row = VacancyRow {
        id: id.clone(),
        employer_id,
        title: input.title.clone(),
        occupation_code: input.occupation_code.clone(),
        region_code: input.region_code.clone(),
        crossing_code: input.crossing_code.clone(),
        headcount: input.headcount,
        season_start: input.season_start,
        season_end: input.season_end,
        hours_per_week: input.hours_per_week,
        guaranteed_hours_per_week: input.guaranteed_hours_per_week,
        pay_basis: input.pay_basis.as_str().to_owned(),
        wage_fen: input.wage_fen,
        piece_unit: input.piece_unit.clone(),
        guaranteed_hourly_fen: input.guaranteed_hourly_fen,
        housing_provided: input.housing_provided,
        description_zh: input.description_zh.clone(),
        description_vi: input.description_vi.clone(),
        status,
        hourly_equivalent_fen: figures.hourly_equivalent_fen,
        floor_hourly_fen: floor.hourly_fen,
        floor_rule_id: floor.binding.id.clone(),
        created_at: created_at.naive_utc(),
        updated_at: now.naive_utc(),
    };
    let deductions = input
        .deductions
        .iter()
        .zip(0..)
        .map(|(d, position)| DeductionRow {
            vacancy_id: id.clone(),
            position,
            kind: d.kind.clone(),
            fen_per_month: d.fen_per_month,
        })
        .collect();
    (row, deductions)
}

/// Creates a vacancy for `employer_id`. Only a verified employer may open one.
pub fn create(
    conn: &mut DbConnection,
    employer_id: &str,
    by: &str,
    input: VacancyInput,
    cap_percent: i64,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    wage_floors::take_guard(conn)?;
    let employer = employers::find(conn, employer_id).map_err(|e| match e {
        diesel::result::Error::NotFound => AppError::forbidden(),
        other => other.into(),
    })?;
    if input.status == NewStatus::Open && employer.status != "verified" {
        return Err(AppError::new(ErrorCode::EmployerNotVerified).with_detail(
            "a regulator must verify the employer before it opens vacancies; save it as a draft",
        ));
    }
    let status = match input.status {
        NewStatus::Open => "open",
        NewStatus::Draft => "draft",
    };
    let who = Identity {
        id: uuid::Uuid::now_v7().to_string(),
        employer_id: employer_id.to_owned(),
        status: status.to_owned(),
        created_at: now,
    };
    let vacancy = check_and_save(conn, who, input, cap_percent, now, true)?;
    audited(conn, by, "vacancy.created", vacancy, now)
}

/// Appends a vacancy write to the audit log: what it pays against the floor, and for how many.
fn audited(
    conn: &mut DbConnection,
    by: &str,
    action: &str,
    vacancy: Vacancy,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    let detail = json!({
        "employer_id": vacancy.employer_id, "status": vacancy.status, "headcount": vacancy.headcount,
        "hourly_equivalent_fen": vacancy.hourly_equivalent_fen, "floor_hourly_fen": vacancy.floor.hourly_fen,
    });
    crate::services::audit::record(conn, Some(by), action, ("vacancy", &vacancy.id), detail, now)?;
    Ok(vacancy)
}

/// Applies an edit by the vacancy's employer; the floor is checked again.
pub fn update(
    conn: &mut DbConnection,
    employer_id: &str,
    by: &str,
    id: &str,
    patch: VacancyPatch,
    cap_percent: i64,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    wage_floors::take_guard(conn)?;
    let current = find_visible(conn, id, &Viewer::Employer(employer_id.to_owned()))?;
    if current.status == "closed" {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("a closed vacancy cannot be edited"));
    }
    let input = patch.apply(current.as_input());
    let taken = crate::db::placements::seats_taken(conn, id)?;
    if input.headcount < taken {
        return Err(invalid("headcount", "fewer than the seats already taken by placements")
            .with("seats_taken", taken));
    }
    let vacancy = check_and_save(conn, current.identity(None), input, cap_percent, now, false)?;
    audited(conn, by, "vacancy.updated", vacancy, now)
}

/// Opens a draft: the employer must be verified, and the floor is checked again.
pub fn open(
    conn: &mut DbConnection,
    employer_id: &str,
    by: &str,
    id: &str,
    cap_percent: i64,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    wage_floors::take_guard(conn)?;
    let current = find_visible(conn, id, &Viewer::Employer(employer_id.to_owned()))?;
    if current.status != "draft" {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("only a draft can be opened"));
    }
    if employers::find(conn, employer_id)?.status != "verified" {
        return Err(AppError::new(ErrorCode::EmployerNotVerified));
    }
    let vacancy =
        check_and_save(conn, current.identity(Some("open")), current.as_input(), cap_percent, now, false)?;
    audited(conn, by, "vacancy.opened", vacancy, now)
}

pub fn close(
    conn: &mut DbConnection,
    employer_id: &str,
    by: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    let current = find_visible(conn, id, &Viewer::Employer(employer_id.to_owned()))?;
    if current.status == "closed" {
        return Ok(current);
    }
    vacancies::set_status(conn, id, "closed", now.naive_utc())?;
    let vacancy = find_visible(conn, id, &Viewer::Employer(employer_id.to_owned()))?;
    audited(conn, by, "vacancy.closed", vacancy, now)
}

/// Who is looking, which decides what they may see.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// Anyone, agencies included: open vacancies only.
    Public,
    /// An employer: its own vacancies, in every status.
    Employer(String),
    /// A regulator: everything.
    Regulator,
}

impl Viewer {
    /// What a caller may see: an employer its own, a regulator all, anyone else the open ones.
    pub fn of(user: Option<&crate::actor::Actor>) -> Viewer {
        use crate::domain::account::Role;
        match user {
            Some(u) if u.role == Role::Regulator => Viewer::Regulator,
            Some(u) if u.role == Role::Employer => Viewer::Employer(u.org_id.clone().unwrap_or_default()),
            _ => Viewer::Public,
        }
    }
}

fn visible(viewer: &Viewer, row: &VacancyRow) -> bool {
    match viewer {
        Viewer::Public => row.status == "open",
        Viewer::Employer(id) => &row.employer_id == id,
        Viewer::Regulator => true,
    }
}

/// One vacancy, if this viewer may see it (else 404).
pub fn find_visible(conn: &mut DbConnection, id: &str, viewer: &Viewer) -> Result<Vacancy, AppError> {
    let found =
        vacancies::find(conn, id)?.filter(|v| visible(viewer, &v.row)).ok_or_else(AppError::not_found)?;
    views(conn, vec![found])?.pop().ok_or_else(AppError::not_found)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A region; its sub-regions are included.
    pub region_code: Option<String>,
    pub occupation_code: Option<String>,
    /// draft, open or closed (employers and regulators).
    pub status: Option<String>,
}

pub fn list(conn: &mut DbConnection, viewer: &Viewer, query: &ListQuery) -> Result<Vec<Vacancy>, AppError> {
    let region_codes = match &query.region_code {
        Some(code) => {
            let reference = crate::services::reference::Reference::load(conn)?;
            Some(reference.region_and_descendants(code))
        }
        None => None,
    };
    let filter = VacancyFilter {
        employer_id: match viewer {
            Viewer::Employer(id) => Some(id.clone()),
            _ => None,
        },
        status: match viewer {
            Viewer::Public => Some("open".into()),
            _ => query.status.clone(),
        },
        region_codes,
        occupation_code: query.occupation_code.clone(),
    };
    let rows = vacancies::list(conn, &filter)?;
    views(conn, rows)
}

fn views(conn: &mut DbConnection, rows: Vec<FullVacancy>) -> Result<Vec<Vacancy>, AppError> {
    let mut rule_ids: Vec<String> = rows.iter().map(|v| v.row.floor_rule_id.clone()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let rules: HashMap<String, BindingRule> = wage_floors::find_many(conn, &rule_ids)?
        .into_iter()
        .map(|r| to_rule(r).map(|rule| (rule.id.clone(), BindingRule::from(&rule))))
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|v| {
            let binding_rule = rules.get(&v.row.floor_rule_id).cloned().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("vacancy {} cites a missing rule", v.row.id))
            })?;
            let pay_basis = PayBasis::parse(&v.row.pay_basis).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("stored pay basis {:?}", v.row.pay_basis))
            })?;
            let r = v.row;
            Ok(Vacancy {
                id: r.id,
                employer_id: r.employer_id,
                employer_name: v.employer_name,
                title: r.title,
                occupation_code: r.occupation_code,
                region_code: r.region_code,
                crossing_code: r.crossing_code,
                headcount: r.headcount,
                season_start: r.season_start,
                season_end: r.season_end,
                hours_per_week: r.hours_per_week,
                guaranteed_hours_per_week: r.guaranteed_hours_per_week,
                required_skills: v.skills,
                pay_basis,
                wage_fen: r.wage_fen,
                piece_unit: r.piece_unit,
                guaranteed_hourly_fen: r.guaranteed_hourly_fen,
                deductions: v
                    .deductions
                    .into_iter()
                    .map(|d| Deduction { kind: d.kind, fen_per_month: d.fen_per_month })
                    .collect(),
                housing_provided: r.housing_provided,
                description_zh: r.description_zh,
                description_vi: r.description_vi,
                status: r.status,
                hourly_equivalent_fen: r.hourly_equivalent_fen,
                floor: VacancyFloor { hourly_fen: r.floor_hourly_fen, binding_rule },
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
            })
        })
        .collect()
}

/// An open vacancy that a floor raised after it was written now undercuts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BelowFloor {
    pub vacancy: Vacancy,
    pub floor_hourly_fen: i64,
    /// Hourly pay, after deductions where that is what falls short.
    pub offered_hourly_fen: i64,
    pub shortfall_fen: i64,
    pub binding_rule: BindingRule,
}

/// Open vacancies below the floor in force over the rest of their season (from `today`).
pub fn below_floor(
    conn: &mut DbConnection,
    today: NaiveDate,
    cap_percent: i64,
) -> Result<Vec<BelowFloor>, AppError> {
    let open = list(conn, &Viewer::Public, &ListQuery::default())?;
    let mut found = Vec::new();
    for vacancy in open.into_iter().filter(|v| v.season_end >= today) {
        let first = vacancy.season_start.max(today);
        let floor = match floors::floor_over(
            conn,
            &vacancy.region_code,
            Some(&vacancy.occupation_code),
            first,
            vacancy.season_end,
        ) {
            Ok(floor) => floor,
            Err(err) if err.code == ErrorCode::NoWageFloor => continue,
            Err(err) => return Err(err),
        };
        if let Err(PayViolation::BelowFloor { offered_hourly_fen, shortfall_fen, .. }) =
            vacancy.terms().check(floor.hourly_fen, cap_percent)
        {
            found.push(BelowFloor {
                floor_hourly_fen: floor.hourly_fen,
                offered_hourly_fen,
                shortfall_fen,
                binding_rule: (&floor.binding).into(),
                vacancy,
            });
        }
    }
    Ok(found)
}
