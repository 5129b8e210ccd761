//! Wage floor rules: managed by regulators, resolved for anyone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::{self, DbConnection, reference, wage_floors};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::domain::money::Fen;
use crate::domain::wage_floor::{self, Floor, Rule, RuleKind};
use crate::error::{AppError, ErrorCode};
use crate::ids::RuleId;
use crate::services::accounts::invalid;
use crate::services::audit;
use crate::services::authorities::require_side;
use crate::state::AppState;

/// A new rule, as a regulator sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    #[schema(example = "451481")]
    pub region_code: String,
    /// Required for a prevailing wage; absent for a statutory minimum.
    pub occupation_code: Option<String>,
    pub kind: RuleKind,
    // Named as the integer it is, so that the document keeps its example.
    #[schema(value_type = i64, example = 1700)]
    pub hourly_fen: Fen,
    pub monthly_fen: Option<Fen>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    #[schema(example = "桂政发〔2023〕24号")]
    pub source: String,
}

/// The binding floor and what it weighed, as `GET /wage-floors/resolve` answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Resolved {
    pub hourly_fen: Fen,
    pub binding_rule: BindingRule,
    pub rules: Vec<Rule>,
}

/// The rule that set a floor, as refusals and vacancies cite it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BindingRule {
    pub id: RuleId,
    pub kind: RuleKind,
    pub region_code: String,
    pub occupation_code: Option<String>,
    pub source: String,
}

impl From<&Rule> for BindingRule {
    fn from(rule: &Rule) -> Self {
        BindingRule {
            id: rule.id.as_str().into(),
            kind: rule.kind,
            region_code: rule.region_code.clone(),
            occupation_code: rule.occupation_code.clone(),
            source: rule.source.clone(),
        }
    }
}

impl From<Floor> for Resolved {
    fn from(floor: Floor) -> Self {
        Resolved { hourly_fen: floor.hourly_fen, binding_rule: (&floor.binding).into(), rules: floor.weighed }
    }
}

pub fn to_rule(row: wage_floors::RuleRow) -> Result<Rule, AppError> {
    Ok(Rule {
        kind: RuleKind::parse(&row.kind)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("stored rule kind {:?}", row.kind)))?,
        id: row.id.into_string(),
        region_code: row.region_code,
        occupation_code: row.occupation_code,
        hourly_fen: row.hourly_fen,
        monthly_fen: row.monthly_fen,
        effective_from: row.effective_from,
        effective_to: row.effective_to,
        source: row.source,
    })
}

/// The largest hourly amount a rule may state: 1,000 CNY an hour catches a typo in fen.
const MAX_HOURLY_FEN: Fen = Fen::new(100_000);

/// A regulator adds a rule: a statutory minimum or a prevailing wage, with its dates and
/// source.
pub async fn create_rule(state: &AppState, actor: &Actor, rule: NewRule) -> Result<Rule, AppError> {
    let (actor, now) = (actor.clone(), state.clock.now());
    let rule = db::transaction(&state.pool, move |conn| create_rule_in(conn, &actor, rule, now)).await?;
    tracing::info!(rule_id = %rule.id, region = %rule.region_code, hourly_fen = rule.hourly_fen.get(), "wage floor rule added");
    Ok(rule)
}

/// [`create_rule`] inside the caller's transaction. Takes the floor guard, so no vacancy
/// write interleaves with it.
pub fn create_rule_in(
    conn: &mut DbConnection,
    actor: &Actor,
    rule: NewRule,
    now: DateTime<Utc>,
) -> Result<Rule, AppError> {
    actor.require(Role::Regulator)?;
    require_side(conn, actor, Country::CN, Some(&rule.region_code))?;
    let by = &actor.user_id;
    wage_floors::take_guard(conn)?;
    if reference::region_chain(conn, &rule.region_code)?.is_empty() {
        return Err(invalid("region_code", "unknown region"));
    }
    match (rule.kind, &rule.occupation_code) {
        (RuleKind::Prevailing, None) => {
            return Err(invalid("occupation_code", "a prevailing wage names its occupation"));
        }
        (RuleKind::StatutoryMinimum, Some(_)) => {
            return Err(invalid("occupation_code", "a statutory minimum applies to every occupation"));
        }
        (RuleKind::Prevailing, Some(code)) if !reference::occupation_exists(conn, code)? => {
            return Err(invalid("occupation_code", "unknown occupation"));
        }
        _ => {}
    }
    if !(Fen::new(1)..=MAX_HOURLY_FEN).contains(&rule.hourly_fen) {
        return Err(invalid("hourly_fen", "must be between 1 and 100000 fen"));
    }
    if rule.monthly_fen.is_some_and(|m| m <= Fen::ZERO) {
        return Err(invalid("monthly_fen", "must be positive"));
    }
    if rule.effective_to.is_some_and(|to| to < rule.effective_from) {
        return Err(invalid("effective_to", "ends before it starts"));
    }
    let source = rule.source.trim();
    if source.is_empty() || source.len() > 500 {
        return Err(invalid("source", "name the source (at most 500 bytes)"));
    }
    let row = wage_floors::RuleRow {
        id: RuleId::generate(),
        region_code: rule.region_code,
        occupation_code: rule.occupation_code,
        kind: rule.kind.as_str().to_owned(),
        hourly_fen: rule.hourly_fen,
        monthly_fen: rule.monthly_fen,
        effective_from: rule.effective_from,
        effective_to: rule.effective_to,
        source: source.to_owned(),
        created_by: Some(by.clone()),
        created_at: now.naive_utc(),
    };
    wage_floors::insert(conn, &row)?;
    let detail = serde_json::json!({
        "region_code": row.region_code, "occupation_code": row.occupation_code, "kind": row.kind,
        "hourly_fen": row.hourly_fen, "effective_from": row.effective_from.to_string(),
    });
    audit::record(conn, Some(by), "wage_floor.created", ("wage_floor_rule", row.id.as_str()), detail, now)?;
    to_rule(row)
}

/// A regulator ends a rule on `last_day` (rules are never edited, so history stays true).
pub async fn end_rule(
    state: &AppState,
    actor: &Actor,
    id: &RuleId,
    last_day: NaiveDate,
) -> Result<Rule, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    let rule =
        db::transaction(&state.pool, move |conn| end_rule_in(conn, &actor, &id, last_day, now)).await?;
    tracing::info!(rule_id = %rule.id, %last_day, "wage floor rule ended");
    Ok(rule)
}

fn end_rule_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &RuleId,
    last_day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Rule, AppError> {
    actor.require(Role::Regulator)?;
    let by = &actor.user_id;
    wage_floors::take_guard(conn)?;
    let rule = to_rule(wage_floors::find(conn, id)?)?;
    require_side(conn, actor, Country::CN, Some(&rule.region_code))?;
    if last_day < rule.effective_from {
        return Err(invalid("effective_to", "ends before it starts"));
    }
    wage_floors::set_effective_to(conn, id, last_day)?;
    let detail = serde_json::json!({"effective_to": last_day.to_string()});
    audit::record(conn, Some(by), "wage_floor.ended", ("wage_floor_rule", id.as_str()), detail, now)?;
    Ok(Rule { effective_to: Some(last_day), ..rule })
}

/// The binding floor on `on` (today by default) for a region and occupation: the highest
/// rule in force that day for the region or any region above it (public).
pub async fn resolve(
    state: &AppState,
    region_code: &str,
    occupation: Option<&str>,
    on: Option<NaiveDate>,
) -> Result<Floor, AppError> {
    let on = on.unwrap_or_else(|| state.clock.today());
    season_floor(state, region_code, occupation, on, on).await
}

/// [`floor_over`] a season, read on its own (public).
pub async fn season_floor(
    state: &AppState,
    region_code: &str,
    occupation: Option<&str>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Floor, AppError> {
    let (region_code, occupation) = (region_code.to_owned(), occupation.map(str::to_owned));
    db::run(&state.pool, move |conn| floor_over(conn, &region_code, occupation.as_deref(), first, last)).await
}

/// The floor over `first..=last` for a region (and every region above it) and occupation.
pub fn floor_over(
    conn: &mut DbConnection,
    region_code: &str,
    occupation: Option<&str>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Floor, AppError> {
    let chain: Vec<String> =
        reference::region_chain(conn, region_code)?.into_iter().map(|r| r.code).collect();
    if chain.is_empty() {
        return Err(invalid("region_code", "unknown region"));
    }
    let rules =
        wage_floors::for_regions(conn, &chain)?.into_iter().map(to_rule).collect::<Result<Vec<_>, _>>()?;
    wage_floor::resolve(&rules, occupation, first, last).ok_or_else(|| {
        AppError::new(ErrorCode::NoWageFloor)
            .with_detail(format!("no wage floor rule is in force for region {region_code} on these dates"))
            .with("region_code", region_code)
    })
}

/// Every rule, newest first, or a region's (public: the floors are public law).
pub async fn list_rules(state: &AppState, region_code: Option<String>) -> Result<Vec<Rule>, AppError> {
    db::run(&state.pool, move |conn| {
        wage_floors::list(conn, region_code.as_deref())?.into_iter().map(to_rule).collect()
    })
    .await
}
