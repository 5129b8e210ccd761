//! Vacancies: every create and edit is checked against the wage floor for its region,
//! occupation and every day of its season, in the same transaction as the write. Employers
//! write their own; a regulator reads all; anyone else reads the open ones.

mod rows;
mod terms;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::actor::{Actor, Jurisdiction, Scope};
use crate::db::vacancies::{VacancyFilter, VacancyRow};
use crate::db::{self, DbConnection, employers, vacancies, wage_floors};
use crate::domain::account::{EmployerStatus, Role};
use crate::domain::calendar::china_day;
use crate::domain::contract::Insurance;
use crate::domain::event::EventType;
use crate::domain::money::Fen;
use crate::domain::page::{Page, PageRequest, Seek};
use crate::domain::pay::{Deduction, PayBasis, PayTerms, PayViolation};
use crate::error::{AppError, ErrorCode};
use crate::ids::{EmployerId, UserId, VacancyId};
use crate::services::accounts::invalid;
use crate::services::authorities::{scope_in, scope_of_in};
use crate::services::events::{self, NewEvent, Subject};
use crate::services::wage_floors::{self as floors, BindingRule};
use crate::state::AppState;
use rows::{Identity, to_row, views};
pub use terms::{check_terms, judge};

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
    pub wage_fen: Fen,
    /// What a piece is ("tonne"); piece rates only.
    pub piece_unit: Option<String>,
    /// The hourly pay a piece-rate worker gets at least; piece rates only.
    pub guaranteed_hourly_fen: Option<Fen>,
    #[serde(default)]
    pub deductions: Vec<Deduction>,
    pub housing_provided: bool,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
    /// The work-injury and return insurance its contracts state: a permit needs it.
    #[serde(default)]
    pub insurance: Option<Insurance>,
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
    pub wage_fen: Option<Fen>,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<Fen>,
    pub deductions: Option<Vec<Deduction>>,
    pub housing_provided: Option<bool>,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
    pub insurance: Option<Insurance>,
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

/// A whole vacancy as a patch: every field given (what the edit page sends). The status is
/// not edited: a vacancy is opened and closed by its own actions.
impl From<VacancyInput> for VacancyPatch {
    fn from(input: VacancyInput) -> VacancyPatch {
        VacancyPatch {
            title: Some(input.title),
            occupation_code: Some(input.occupation_code),
            region_code: Some(input.region_code),
            crossing_code: Some(input.crossing_code),
            headcount: Some(input.headcount),
            season_start: Some(input.season_start),
            season_end: Some(input.season_end),
            hours_per_week: Some(input.hours_per_week),
            guaranteed_hours_per_week: Some(input.guaranteed_hours_per_week),
            required_skills: Some(input.required_skills),
            pay_basis: Some(input.pay_basis),
            wage_fen: Some(input.wage_fen),
            piece_unit: input.piece_unit,
            guaranteed_hourly_fen: input.guaranteed_hourly_fen,
            deductions: Some(input.deductions),
            housing_provided: Some(input.housing_provided),
            description_zh: input.description_zh,
            description_vi: input.description_vi,
            insurance: input.insurance,
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
            insurance: self.insurance.or(base.insurance),
            status: base.status,
        }
    }
}

/// The floor a vacancy was checked against.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyFloor {
    pub hourly_fen: Fen,
    pub binding_rule: BindingRule,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Vacancy {
    pub id: VacancyId,
    pub employer_id: EmployerId,
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
    pub wage_fen: Fen,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<Fen>,
    pub deductions: Vec<Deduction>,
    pub housing_provided: bool,
    pub description_zh: Option<String>,
    pub description_vi: Option<String>,
    /// The work-injury and return insurance its contracts state, if stated.
    pub insurance: Option<Insurance>,
    /// draft, open or closed.
    pub status: String,
    pub hourly_equivalent_fen: Fen,
    pub floor: VacancyFloor,
    /// The first day (in China) agencies may offer its seats: until then it is shown to local
    /// job-seekers only. Absent until the vacancy is first opened.
    pub open_to_agencies_on: Option<NaiveDate>,
    /// People the employer hired locally for it; each lowered `headcount`.
    pub local_hires: i32,
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
            insurance: self.insurance.clone(),
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

/// The rules a vacancy is posted under (`[rules]` in the settings).
#[derive(Debug, Clone, Copy)]
pub struct PostingRules {
    /// Deductions may take at most this share of gross pay, in percent.
    pub deductions_cap_percent: i64,
    /// Days an opened vacancy is shown to local job-seekers only, before agencies may offer.
    pub local_window_days: i64,
}

impl PostingRules {
    pub fn of(settings: &crate::config::Settings) -> PostingRules {
        PostingRules {
            deductions_cap_percent: settings.rules.deductions_cap_percent,
            local_window_days: settings.rules.local_window_days,
        }
    }
}

/// Validates the input, checks it against the floor and stores it: the one write path of
/// create, edit and open. The caller has taken the floor guard. A vacancy opened for the
/// first time starts its local window (China's days).
fn check_and_save(
    conn: &mut DbConnection,
    who: Identity,
    input: VacancyInput,
    rules: PostingRules,
    now: DateTime<Utc>,
    new: bool,
) -> Result<Vacancy, AppError> {
    let (input, floor, figures) = check_terms(conn, input, rules.deductions_cap_percent)?;
    let (id, scope) = (who.id.clone(), Scope::Employer(who.employer_id.clone()));
    let (row, deductions, insurance) = to_row(who, &input, &floor, figures, now);
    vacancies::save(conn, &row, &deductions, &input.required_skills, insurance.as_ref(), new)?;
    if row.status == "open" {
        let to_agencies = china_day(now) + Duration::days(rules.local_window_days);
        vacancies::mark_opened(conn, &id, now.naive_utc(), to_agencies)?;
    }
    find_visible(conn, &id, &scope)
}

/// An employer posts a vacancy; it is refused if it pays below the wage floor. Only a
/// verified employer may open one; any may save a draft.
pub async fn create(state: &AppState, actor: &Actor, input: VacancyInput) -> Result<Vacancy, AppError> {
    let (actor, rules, now) = (actor.clone(), PostingRules::of(&state.settings), state.clock.now());
    let vacancy =
        db::transaction(&state.pool, move |conn| create_in(conn, &actor, input, rules, now)).await?;
    tracing::info!(vacancy_id = %vacancy.id, status = %vacancy.status, "vacancy created");
    Ok(vacancy)
}

/// [`create`] inside the caller's transaction.
pub fn create_in(
    conn: &mut DbConnection,
    actor: &Actor,
    input: VacancyInput,
    rules: PostingRules,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    let employer_id = actor.employer_id()?;
    wage_floors::share_guard(conn)?;
    let employer = employers::find(conn, &employer_id).map_err(|e| match e {
        diesel::result::Error::NotFound => AppError::forbidden(),
        other => other.into(),
    })?;
    if input.status == NewStatus::Open && employer.status != EmployerStatus::Verified.as_str() {
        return Err(AppError::new(ErrorCode::EmployerNotVerified).with_detail(
            "a regulator must verify the employer before it opens vacancies; save it as a draft",
        ));
    }
    let status = match input.status {
        NewStatus::Open => "open",
        NewStatus::Draft => "draft",
    };
    let who = Identity { id: VacancyId::generate(), employer_id, status: status.to_owned(), created_at: now };
    let vacancy = check_and_save(conn, who, input, rules, now, true)?;
    audited(conn, &actor.user_id, "vacancy.created", vacancy, now)
}

/// Appends a vacancy write to the audit log: what it pays against the floor, and for how many;
/// a change partners follow is announced too.
fn audited(
    conn: &mut DbConnection,
    by: &UserId,
    action: &str,
    vacancy: Vacancy,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    let detail = json!({
        "employer_id": vacancy.employer_id, "status": vacancy.status, "headcount": vacancy.headcount,
        "hourly_equivalent_fen": vacancy.hourly_equivalent_fen, "floor_hourly_fen": vacancy.floor.hourly_fen,
    });
    crate::services::audit::record(conn, Some(by), action, ("vacancy", vacancy.id.as_str()), detail, now)?;
    let opened = vacancy.status == "open";
    let event_type = match action {
        "vacancy.opened" => Some(EventType::VacancyOpened),
        "vacancy.created" if opened => Some(EventType::VacancyOpened),
        "vacancy.updated" if opened => Some(EventType::VacancyUpdated),
        "vacancy.closed" => Some(EventType::VacancyClosed),
        _ => None,
    };
    if let Some(event_type) = event_type {
        announce(conn, event_type, &vacancy, now)?;
    }
    Ok(vacancy)
}

/// Records the vacancy's event for partners and the people it concerns.
fn announce(
    conn: &mut DbConnection,
    event_type: EventType,
    vacancy: &Vacancy,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let subject = Subject {
        vacancy_id: Some(vacancy.id.clone()),
        employer_id: Some(vacancy.employer_id.clone()),
        ..Subject::default()
    };
    let data = json!({
        "title": vacancy.title, "occupation_code": vacancy.occupation_code, "region_code": vacancy.region_code,
        "crossing_code": vacancy.crossing_code, "headcount": vacancy.headcount,
        "season_start": vacancy.season_start, "season_end": vacancy.season_end,
        "hourly_equivalent_fen": vacancy.hourly_equivalent_fen, "floor_hourly_fen": vacancy.floor.hourly_fen,
        "open_to_agencies_on": vacancy.open_to_agencies_on, "local_hires": vacancy.local_hires,
    });
    events::record(conn, NewEvent::new(event_type, subject, data), now)?;
    Ok(())
}

/// People an employer hired locally for its vacancy.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalHireInput {
    /// How many people were hired: at most the seats no placement holds.
    pub people: i32,
    /// The day they were hired (in China); today if absent.
    pub hired_on: Option<NaiveDate>,
}

/// The employer records people it hired locally for an open vacancy: the headcount left for
/// agencies falls by as many. More than the seats no placement holds is refused, and nothing
/// is written.
pub async fn hire_locally(
    state: &AppState,
    actor: &Actor,
    id: &VacancyId,
    input: LocalHireInput,
) -> Result<Vacancy, AppError> {
    let employer_id = actor.employer_id()?;
    let (by, id, now) = (actor.user_id.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        let scope = Scope::Employer(employer_id);
        let current = find_visible(conn, &id, &scope)?;
        if current.status != "open" {
            return Err(
                AppError::new(ErrorCode::Conflict).with_detail("only an open vacancy records local hires")
            );
        }
        let today = china_day(now);
        let hired_on = input.hired_on.unwrap_or(today);
        if hired_on > today {
            return Err(invalid("hired_on", "a hire is recorded after it happens"));
        }
        if hired_on < china_day(current.created_at) {
            return Err(invalid("hired_on", "before the vacancy was posted"));
        }
        let free = current.headcount - crate::db::placements::seats_taken(conn, &id)?;
        if input.people < 1 || input.people > free {
            return Err(
                invalid("people", "between one and the seats no placement holds").with("open_seats", free)
            );
        }
        let hire = vacancies::LocalHireRow {
            id: uuid::Uuid::now_v7().to_string(),
            vacancy_id: id.clone(),
            people: input.people,
            hired_on,
            recorded_by: by.clone(),
            recorded_at: now.naive_utc(),
        };
        if vacancies::hire_locally(conn, &hire)? == 0 {
            return Err(invalid("people", "more than the seats no placement holds"));
        }
        let vacancy = find_visible(conn, &id, &scope)?;
        let detail = json!({"people": input.people, "hired_on": hired_on, "headcount": vacancy.headcount});
        crate::services::audit::record(
            conn,
            Some(&by),
            "vacancy.hired_locally",
            ("vacancy", id.as_str()),
            detail,
            now,
        )?;
        announce(conn, EventType::VacancyUpdated, &vacancy, now)?;
        Ok(vacancy)
    })
    .await
}

/// The employer edits its vacancy; the floor is checked again.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: &VacancyId,
    patch: VacancyPatch,
) -> Result<Vacancy, AppError> {
    let employer_id = actor.employer_id()?;
    let (by, id, rules, now) =
        (actor.user_id.clone(), id.clone(), PostingRules::of(&state.settings), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        wage_floors::share_guard(conn)?;
        let current = find_visible(conn, &id, &Scope::Employer(employer_id))?;
        if current.status == "closed" {
            return Err(AppError::new(ErrorCode::Conflict).with_detail("a closed vacancy cannot be edited"));
        }
        let input = patch.apply(current.as_input());
        let taken = crate::db::placements::seats_taken(conn, &id)?;
        if input.headcount < taken {
            return Err(invalid("headcount", "fewer than the seats already taken by placements")
                .with("seats_taken", taken));
        }
        let vacancy = check_and_save(conn, current.identity(None), input, rules, now, false)?;
        audited(conn, &by, "vacancy.updated", vacancy, now)
    })
    .await
}

/// The employer opens a draft: it must be verified, and the floor is checked again.
pub async fn open(state: &AppState, actor: &Actor, id: &VacancyId) -> Result<Vacancy, AppError> {
    let employer_id = actor.employer_id()?;
    let (by, id, rules, now) =
        (actor.user_id.clone(), id.clone(), PostingRules::of(&state.settings), state.clock.now());
    db::transaction(&state.pool, move |conn| {
        wage_floors::share_guard(conn)?;
        let current = find_visible(conn, &id, &Scope::Employer(employer_id.clone()))?;
        if current.status != "draft" {
            return Err(AppError::new(ErrorCode::Conflict).with_detail("only a draft can be opened"));
        }
        if employers::find(conn, &employer_id)?.status != EmployerStatus::Verified.as_str() {
            return Err(AppError::new(ErrorCode::EmployerNotVerified));
        }
        let vacancy =
            check_and_save(conn, current.identity(Some("open")), current.as_input(), rules, now, false)?;
        audited(conn, &by, "vacancy.opened", vacancy, now)
    })
    .await
}

/// The employer closes its vacancy; closing a closed one changes nothing.
pub async fn close(state: &AppState, actor: &Actor, id: &VacancyId) -> Result<Vacancy, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| close_in(conn, &actor, &id, now)).await
}

/// [`close`] inside the caller's transaction (the demo loader).
pub fn close_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &VacancyId,
    now: DateTime<Utc>,
) -> Result<Vacancy, AppError> {
    let scope = Scope::Employer(actor.employer_id()?);
    let current = find_visible(conn, id, &scope)?;
    if current.status == "closed" {
        return Ok(current);
    }
    vacancies::set_status(conn, id, "closed", now.naive_utc())?;
    let vacancy = find_visible(conn, id, &scope)?;
    audited(conn, &actor.user_id, "vacancy.closed", vacancy, now)
}

/// Whether a reader in `scope` may see the vacancy: a regulator those its authority oversees
/// in every status, an employer its own in every status, anyone (agencies and workers
/// included) the open ones.
fn visible(scope: &Scope, row: &VacancyRow) -> bool {
    match scope {
        Scope::Authority(within) => {
            within.covers(Some(row.region_code.as_str()), None) || row.status == "open"
        }
        Scope::Employer(id) => &row.employer_id == id,
        Scope::Agency(_) | Scope::Worker(_) | Scope::Public => row.status == "open",
    }
}

/// One vacancy: public when open; its employer sees it in any status, a regulator those its
/// authority oversees (else 404).
pub async fn find(state: &AppState, actor: Option<&Actor>, id: &VacancyId) -> Result<Vacancy, AppError> {
    let (actor, id) = (actor.cloned(), id.clone());
    db::run(&state.pool, move |conn| {
        let scope = scope_of_in(conn, actor.as_ref())?;
        find_visible(conn, &id, &scope)
    })
    .await
}

/// [`find`] on the caller's connection, for a reader in `scope`.
pub fn find_visible(conn: &mut DbConnection, id: &VacancyId, scope: &Scope) -> Result<Vacancy, AppError> {
    let found =
        vacancies::find(conn, id)?.filter(|v| visible(scope, &v.row)).ok_or_else(AppError::not_found)?;
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
    /// Rows per page: 1 to 500 (default 100); else 422 `invalid_limit`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor in the previous page's `Link` (rel="next");
    /// absent, the first page. Anything else is 422 `invalid_cursor`.
    pub after: Option<String>,
}

/// The list name a vacancy cursor carries.
const LIST: &str = "vacancies";

/// A page of vacancies by season start (then id): open ones for anyone; an employer sees its
/// own, a regulator those its authority oversees besides. `limit` and `after` page the list.
pub async fn list(
    state: &AppState,
    actor: Option<&Actor>,
    query: ListQuery,
) -> Result<Page<Vacancy>, AppError> {
    let seek = PageRequest::parse(query.limit.as_deref(), query.after.as_deref())?.seek(LIST)?;
    let actor = actor.cloned();
    db::run(&state.pool, move |conn| {
        let scope = scope_of_in(conn, actor.as_ref())?;
        page_in(conn, &scope, &query, &seek)
    })
    .await
}

/// A page of the employer's own vacancies, in every status (an account without an employer
/// is refused).
pub async fn own(state: &AppState, actor: &Actor, page: PageRequest) -> Result<Page<Vacancy>, AppError> {
    let scope = Scope::Employer(actor.employer_id()?);
    let seek = page.seek(LIST)?;
    db::run(&state.pool, move |conn| page_in(conn, &scope, &ListQuery::default(), &seek)).await
}

/// Every open vacancy, unpaged, for an agency choosing which ones a season-wide proposal
/// fills (the proposal form ticks among all of them; `POST /matching/proposals` reads the
/// same set).
pub async fn open_to_choose(state: &AppState, actor: &Actor) -> Result<Vec<Vacancy>, AppError> {
    actor.require(Role::Agency)?;
    db::run(&state.pool, move |conn| list_in(conn, &Scope::Public, &ListQuery::default())).await
}

/// A page of [`list_in`]: `seek.fetch` rows after the cursor, in the same order.
fn page_in(
    conn: &mut DbConnection,
    scope: &Scope,
    query: &ListQuery,
    seek: &Seek<NaiveDate>,
) -> Result<Page<Vacancy>, AppError> {
    let rows = read_in(conn, scope, query, Some(seek))?;
    Ok(seek.page(LIST, rows, |v| (v.season_start, v.id.to_string())))
}

/// Every vacancy a reader in `scope` may see, unpaged: for the server's own work over all of
/// them (the sweeper, matching, the demo), never for a client's list.
pub fn list_in(conn: &mut DbConnection, scope: &Scope, query: &ListQuery) -> Result<Vec<Vacancy>, AppError> {
    read_in(conn, scope, query, None)
}

fn read_in(
    conn: &mut DbConnection,
    scope: &Scope,
    query: &ListQuery,
    seek: Option<&Seek<NaiveDate>>,
) -> Result<Vec<Vacancy>, AppError> {
    let region_codes = match &query.region_code {
        Some(code) => {
            let reference = crate::services::reference::Reference::load(conn)?;
            Some(reference.region_and_descendants(code))
        }
        None => None,
    };
    let filter = VacancyFilter {
        employer_id: match scope {
            Scope::Employer(id) => Some(id.clone()),
            _ => None,
        },
        status: match scope {
            Scope::Authority(_) | Scope::Employer(_) => query.status.clone(),
            Scope::Agency(_) | Scope::Worker(_) | Scope::Public => Some("open".into()),
        },
        // A provincial authority reads what lies outside its region as anyone does.
        within_or_open: match scope {
            Scope::Authority(within @ (Jurisdiction::Worksites(_) | Jurisdiction::HomeProvinces(_))) => {
                Some(within.worksites().map(<[String]>::to_vec).unwrap_or_default())
            }
            _ => None,
        },
        region_codes,
        occupation_code: query.occupation_code.clone(),
        hiring_only: matches!(scope, Scope::Agency(_) | Scope::Worker(_) | Scope::Public),
    };
    let rows = vacancies::list(conn, &filter, seek)?;
    views(conn, rows)
}

/// An open vacancy that a floor raised after it was written now undercuts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BelowFloor {
    pub vacancy: Vacancy,
    pub floor_hourly_fen: Fen,
    /// Hourly pay, after deductions where that is what falls short.
    pub offered_hourly_fen: Fen,
    pub shortfall_fen: Fen,
    pub binding_rule: BindingRule,
}

/// Open vacancies that a floor raised after they were written now undercuts, over the rest
/// of their season (regulators: those its authority oversees).
pub async fn below_floor(state: &AppState, actor: &Actor) -> Result<Vec<BelowFloor>, AppError> {
    actor.require(Role::Regulator)?;
    let (actor, today) = (actor.clone(), state.clock.today());
    let cap = state.settings.rules.deductions_cap_percent;
    db::run(&state.pool, move |conn| {
        let Scope::Authority(within) = scope_in(conn, &actor)? else { return Err(AppError::forbidden()) };
        let found = below_floor_in(conn, today, cap)?;
        Ok(found.into_iter().filter(|f| within.covers(Some(f.vacancy.region_code.as_str()), None)).collect())
    })
    .await
}

/// Tells each employer, once per vacancy and floor, that a floor raised after the vacancy
/// was written now undercuts it: a `vacancy.below_floor` event, which makes the notice. The sweeper runs
/// it; returns how many vacancies it flagged.
pub async fn flag_below_floor(state: &AppState) -> Result<usize, AppError> {
    let (now, cap) = (state.clock.now(), state.settings.rules.deductions_cap_percent);
    db::transaction(&state.pool, move |conn| {
        let mut flagged = 0;
        for found in below_floor_in(conn, china_day(now), cap)? {
            let vacancy = &found.vacancy;
            let subject = Subject {
                vacancy_id: Some(vacancy.id.clone()),
                employer_id: Some(vacancy.employer_id.clone()),
                ..Subject::default()
            };
            let data = json!({
                "title": vacancy.title, "floor_hourly_fen": found.floor_hourly_fen,
                "floor_hourly_yuan": crate::domain::money::yuan(found.floor_hourly_fen),
                "offered_hourly_fen": found.offered_hourly_fen, "shortfall_fen": found.shortfall_fen,
            });
            // Once for each floor that undercuts it: a later, higher floor tells again.
            let mark = format!("{}:{}", EventType::VacancyBelowFloor, found.floor_hourly_fen.get());
            let event = NewEvent::new(EventType::VacancyBelowFloor, subject, data);
            flagged += usize::from(events::record_once(conn, &mark, event, now)?);
        }
        Ok(flagged)
    })
    .await
}

/// Open vacancies below the floor in force over the rest of their season (from `today`).
fn below_floor_in(
    conn: &mut DbConnection,
    today: NaiveDate,
    cap_percent: i64,
) -> Result<Vec<BelowFloor>, AppError> {
    let open = list_in(conn, &Scope::Public, &ListQuery::default())?;
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
