//! The public floor look-up, and the regulator's floor desk.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::vacancies::{Card, Choice, occupation_choices, region_choices};
use super::{CheckedForm, Page, PageError, PageResult, Regulator, see_other};
use crate::auth::PageUser;
use crate::domain::money::parse_yuan;
use crate::domain::wage_floor::{Rule, RuleKind};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::RuleId;
use crate::services::accounts::invalid;
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
    /// When it is in force, as the reader writes dates.
    pub dates: String,
    /// In force with no end yet: the desk offers to end it.
    pub open_ended: bool,
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
        hourly: lang.amount(rule.hourly_fen),
        monthly: rule.monthly_fen.map(|m| lang.amount(m)).unwrap_or_default(),
        dates: match rule.effective_to {
            Some(to) => lang.dates(rule.effective_from, to),
            None => lang.t1("rule-from", "date", &lang.date(rule.effective_from)),
        },
        open_ended: rule.effective_to.is_none(),
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
    let on = query.on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).unwrap_or(state.clock.today());
    let region = query.region_code.clone().filter(|r| !r.is_empty());
    let occupation = query.occupation_code.clone().filter(|o| !o.is_empty());
    let asked = region.is_some();
    let reference = Reference::read(&state).await?;
    let floor = match &region {
        Some(region) => wage_floors::resolve(&state, region, occupation.as_deref(), Some(on)).await.ok(),
        None => None,
    };
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
        floor: floor.as_ref().map(|f| lang.amount(f.hourly_fen)),
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
    state: &AppState,
    user: &Regulator,
    page: &Page,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let below = vacancies::below_floor(state, user).await?;
    let reference = Reference::read(state).await?;
    let rules = wage_floors::list_rules(state, None).await?;
    let (lang, today) = (page.lang, page.today);
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
                    &[
                        ("floor", lang.amount(b.floor_hourly_fen)),
                        ("shortfall", lang.amount(b.shortfall_fen)),
                    ],
                );
                (Card::new(&b.vacancy, &reference, lang, today), line)
            })
            .collect(),
        error,
    };
    Ok(page.respond(status, &template))
}

/// The regulator's floor desk: every rule, a form to add one, and the vacancies a raised
/// floor now undercuts.
#[get("/regulator/floors")]
pub async fn manage(req: HttpRequest, state: web::Data<AppState>, user: Regulator) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    desk(&state, &user, &page, None, StatusCode::OK).await
}

/// The desk's form for a new rule, as typed (amounts in yuan).
#[derive(Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    region_code: String,
    /// None for a statutory minimum.
    #[serde(default)]
    occupation_code: String,
    #[serde(default)]
    hourly: String,
    #[serde(default)]
    monthly: String,
    #[serde(default)]
    effective_from: String,
    #[serde(default)]
    effective_to: String,
    #[serde(default)]
    source: String,
}

impl RuleForm {
    /// The rule the form states, or `None` when the hourly amount or a date does not parse
    /// (a monthly amount that does not is left out).
    fn rule(self) -> Option<NewRule> {
        let occupation_code = Some(self.occupation_code.trim().to_owned()).filter(|o| !o.is_empty());
        let effective_to = match self.effective_to.trim() {
            "" => None,
            to => Some(to.parse::<NaiveDate>().ok()?),
        };
        Some(NewRule {
            region_code: self.region_code.trim().to_owned(),
            kind: if occupation_code.is_none() { RuleKind::StatutoryMinimum } else { RuleKind::Prevailing },
            occupation_code,
            hourly_fen: parse_yuan(self.hourly.trim())?,
            monthly_fen: parse_yuan(self.monthly.trim()),
            effective_from: self.effective_from.trim().parse::<NaiveDate>().ok()?,
            effective_to,
            source: self.source.trim().to_owned(),
        })
    }
}

/// Adds a rule from the desk's form.
#[post("/regulator/floors")]
pub async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<RuleForm>,
    user: Result<Regulator, PageError>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let Some(rule) = form.rule() else {
        let error = page.lang.t("floors-form-invalid");
        return desk(&state, &user, &page, Some(error), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match wage_floors::create_rule(&state, &user, rule).await {
        Ok(_) => Ok(see_other("/regulator/floors")),
        Err(err) if err.code.status().is_client_error() => {
            let field = super::refused_field(&err, "form");
            let error = super::field_refusal(page.lang, field);
            desk(&state, &user, &page, Some(error), err.code.status()).await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct EndForm {
    effective_to: String,
}

impl EndForm {
    /// The rule's last day.
    fn last_day(&self) -> Result<NaiveDate, AppError> {
        self.effective_to.parse::<NaiveDate>().map_err(|_| invalid("effective_to", "a date"))
    }
}

/// Ends a rule on the day given.
#[post("/regulator/floors/{id}/end")]
pub async fn end(
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<EndForm>,
    user: Result<Regulator, PageError>,
    id: web::Path<RuleId>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    wage_floors::end_rule(&state, &user, &id, form.last_day()?).await?;
    Ok(see_other("/regulator/floors"))
}
