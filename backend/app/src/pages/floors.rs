//! The public floor look-up, and the regulator's floor desk.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::vacancies::{Card, Choice, occupation_choices, region_choices};
use super::{Page, PageError, PageResult, check_csrf, require_role, see_other};
use crate::auth::PageUser;
use crate::db;
use crate::domain::account::Role;
use crate::domain::money::{parse_yuan, yuan};
use crate::domain::wage_floor::{Rule, RuleKind};
use crate::i18n::Lang;
use crate::services::reference::Reference;
use crate::services::vacancies;
use crate::services::wage_floors::{self, NewRule};
use crate::state::AppState;

/// A rule as a table row, in the reader's language.
pub struct RuleRow {
    pub id: String,
    pub region: String,
    pub occupation: String,
    pub kind: String,
    pub hourly: String,
    pub monthly: String,
    pub from: String,
    pub to: String,
    pub source: String,
    pub binding: bool,
}

fn rule_row(rule: &Rule, reference: &Reference, lang: Lang, binding_id: &str) -> RuleRow {
    RuleRow {
        id: rule.id.clone(),
        region: reference.name(&rule.region_code, lang).to_owned(),
        occupation: rule
            .occupation_code
            .as_deref()
            .map(|o| reference.name(o, lang).to_owned())
            .unwrap_or_default(),
        kind: lang.t(&format!("rule-kind-{}", rule.kind.as_str())),
        hourly: yuan(rule.hourly_fen),
        monthly: rule.monthly_fen.map(yuan).unwrap_or_default(),
        from: rule.effective_from.to_string(),
        to: rule.effective_to.map(|d| d.to_string()).unwrap_or_default(),
        source: rule.source.clone(),
        binding: rule.id == binding_id,
    }
}

#[derive(Deserialize)]
pub struct LookupQuery {
    region_code: Option<String>,
    occupation_code: Option<String>,
    on: Option<String>,
}

#[derive(Template)]
#[template(path = "floors.html")]
struct LookupTemplate<'a> {
    page: &'a Page,
    regions: Vec<Choice>,
    occupations: Vec<Choice>,
    on: String,
    asked: bool,
    floor: Option<String>,
    rules: Vec<RuleRow>,
}

/// The public floor look-up: what is the least any job may pay here, on that day?
#[get("/floors")]
pub async fn lookup(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<LookupQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let query = query.into_inner();
    let on = query
        .on
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .unwrap_or(state.clock.now().date_naive());
    let region = query.region_code.clone().filter(|r| !r.is_empty());
    let occupation = query.occupation_code.clone().filter(|o| !o.is_empty());
    let asked = region.is_some();
    let (reference, floor) = db::run(&state.pool, move |conn| {
        let floor = match &region {
            Some(region) => wage_floors::floor_over(conn, region, occupation.as_deref(), on, on).ok(),
            None => None,
        };
        Ok((Reference::load(conn)?, floor))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let lang = page.lang;
    let template = LookupTemplate {
        page: &page,
        regions: region_choices(&reference, lang, query.region_code.as_deref().unwrap_or_default()),
        occupations: occupation_choices(
            &reference,
            lang,
            query.occupation_code.as_deref().unwrap_or_default(),
        ),
        on: on.to_string(),
        asked,
        floor: floor.as_ref().map(|f| yuan(f.hourly_fen)),
        rules: floor
            .as_ref()
            .map(|f| f.weighed.iter().map(|r| rule_row(r, &reference, lang, &f.binding.id)).collect())
            .unwrap_or_default(),
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Template)]
#[template(path = "regulator_floors.html")]
struct DeskTemplate<'a> {
    page: &'a Page,
    rules: Vec<RuleRow>,
    regions: Vec<Choice>,
    occupations: Vec<Choice>,
    below: Vec<(Card, String)>,
    error: Option<String>,
}

async fn desk(
    req: &HttpRequest,
    state: &AppState,
    page: &Page,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let today = state.clock.now().date_naive();
    let cap = state.settings.rules.deductions_cap_percent;
    let (reference, rules, below) = db::run(&state.pool, move |conn| {
        Ok((
            Reference::load(conn)?,
            wage_floors::list_rules(conn, None)?,
            vacancies::below_floor(conn, today, cap)?,
        ))
    })
    .await
    .map_err(|e| PageError::new(req, state, e))?;
    let lang = page.lang;
    let template = DeskTemplate {
        page,
        rules: rules.iter().map(|r| rule_row(r, &reference, lang, "")).collect(),
        regions: reference
            .regions
            .iter()
            .filter(|r| r.country == "CN" && r.level != "country")
            .map(|r| Choice {
                code: r.code.clone(),
                name: format!("{} ({})", r.names.get(lang), r.code),
                selected: false,
            })
            .collect(),
        occupations: occupation_choices(&reference, lang, ""),
        below: below
            .iter()
            .map(|b| {
                let line = lang.ta(
                    "desk-below-line",
                    &[("floor", yuan(b.floor_hourly_fen)), ("shortfall", yuan(b.shortfall_fen))],
                );
                (Card::new(&b.vacancy, &reference, lang), line)
            })
            .collect(),
        error,
    };
    Ok(page.respond(status, &template))
}

/// The regulator's floor desk: every rule, a form to add one, and the vacancies a raised
/// floor now undercuts.
#[get("/regulator/floors")]
pub async fn manage(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    desk(&req, &state, &page, None, StatusCode::OK).await
}

/// Adds a rule from the desk's form (amounts in yuan).
#[post("/regulator/floors")]
pub async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    form: web::Form<HashMap<String, String>>,
) -> PageResult {
    let form = form.into_inner();
    let field = |name: &str| form.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    check_csrf(&req, &state, &field(crate::auth::csrf::FIELD))
        .map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    let kind =
        if field("occupation_code").is_empty() { RuleKind::StatutoryMinimum } else { RuleKind::Prevailing };
    let parsed = (
        parse_yuan(&field("hourly")),
        field("effective_from").parse::<NaiveDate>(),
        Some(field("effective_to")).filter(|t| !t.is_empty()).map(|t| t.parse::<NaiveDate>()).transpose(),
    );
    let (Some(hourly_fen), Ok(effective_from), Ok(effective_to)) = parsed else {
        let error = page.lang.t("floors-form-invalid");
        return desk(&req, &state, &page, Some(error), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let rule = NewRule {
        region_code: field("region_code"),
        occupation_code: Some(field("occupation_code")).filter(|o| !o.is_empty()),
        kind,
        hourly_fen,
        monthly_fen: parse_yuan(&field("monthly")),
        effective_from,
        effective_to,
        source: field("source"),
    };
    let (by, now) = (user.user_id.clone(), state.clock.now());
    match db::transaction(&state.pool, move |conn| wage_floors::create_rule(conn, rule, &by, now)).await {
        Ok(_) => Ok(see_other("/regulator/floors")),
        Err(err) if err.code.status().is_client_error() => {
            let field = super::refused_field(&err, "form");
            let error = super::field_refusal(page.lang, field);
            desk(&req, &state, &page, Some(error), err.code.status()).await
        }
        Err(err) => Err(PageError::new(&req, &state, err)),
    }
}

#[derive(Deserialize)]
pub struct EndForm {
    csrf_token: String,
    effective_to: String,
}

/// Ends a rule on the day given.
#[post("/regulator/floors/{id}/end")]
pub async fn end(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<String>,
    form: web::Form<EndForm>,
) -> PageResult {
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let (by, now) = (user.user_id.clone(), state.clock.now());
    let last_day = form.effective_to.parse::<NaiveDate>().map_err(|_| {
        PageError::new(&req, &state, crate::services::accounts::invalid("effective_to", "a date"))
    })?;
    db::transaction(&state.pool, move |conn| wage_floors::end_rule(conn, &id, last_day, &by, now))
        .await
        .map_err(|e| PageError::new(&req, &state, e))?;
    Ok(see_other("/regulator/floors"))
}
