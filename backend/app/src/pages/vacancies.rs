//! Vacancy pages: the public board and detail, and the employer's list and form, whose
//! wage floor check runs as the employer types.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{CsrfForm, Page, PageError, PageResult, check_csrf, require_role, see_other};
use crate::auth::PageUser;
use crate::db;
use crate::domain::account::Role;
use crate::domain::money::{parse_yuan, yuan};
use crate::domain::pay::{Deduction, PayBasis};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::services::reference::Reference;
use crate::services::vacancies::{self, ListQuery, NewStatus, Vacancy, VacancyInput, Viewer};
use crate::services::wage_floors;
use crate::state::AppState;

/// A vacancy as a card on a page, in the reader's language.
pub struct Card {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub region: String,
    pub occupation: String,
    pub crossing: String,
    pub season: String,
    pub headcount: i32,
    pub pay: String,
    pub hourly_vs_floor: String,
    pub housing: bool,
    pub status: String,
    pub status_label: String,
    pub deductions: Vec<(String, String)>,
    pub skills: Vec<String>,
    pub hours: String,
    pub description_zh: String,
    pub description_vi: String,
}

impl Card {
    pub fn new(v: &Vacancy, reference: &Reference, lang: Lang) -> Card {
        let pay = match v.pay_basis {
            PayBasis::Hourly => lang.t1("pay-hourly", "amount", &yuan(v.wage_fen)),
            PayBasis::Monthly => lang.t1("pay-monthly", "amount", &yuan(v.wage_fen)),
            PayBasis::Piece => lang.ta(
                "pay-piece",
                &[
                    ("amount", yuan(v.wage_fen)),
                    ("unit", v.piece_unit.clone().unwrap_or_default()),
                    ("guaranteed", yuan(v.guaranteed_hourly_fen.unwrap_or(0))),
                ],
            ),
        };
        Card {
            id: v.id.clone(),
            title: v.title.clone(),
            employer: v.employer_name.clone(),
            region: reference.name(&v.region_code, lang).to_owned(),
            occupation: reference.name(&v.occupation_code, lang).to_owned(),
            crossing: reference.name(&v.crossing_code, lang).to_owned(),
            season: format!("{} – {}", v.season_start, v.season_end),
            headcount: v.headcount,
            pay,
            hourly_vs_floor: lang.ta(
                "vacancy-hourly-vs-floor",
                &[("hourly", yuan(v.hourly_equivalent_fen)), ("floor", yuan(v.floor.hourly_fen))],
            ),
            housing: v.housing_provided,
            status: v.status.clone(),
            status_label: lang.t(&format!("status-{}", v.status)),
            deductions: v.deductions.iter().map(|d| (d.kind.clone(), yuan(d.fen_per_month))).collect(),
            skills: v.required_skills.iter().map(|s| reference.name(s, lang).to_owned()).collect(),
            hours: lang.ta(
                "vacancy-hours",
                &[
                    ("hours", v.hours_per_week.to_string()),
                    ("guaranteed", v.guaranteed_hours_per_week.to_string()),
                ],
            ),
            description_zh: v.description_zh.clone().unwrap_or_default(),
            description_vi: v.description_vi.clone().unwrap_or_default(),
        }
    }
}

/// A choice in a select box.
pub struct Choice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

pub fn region_choices(reference: &Reference, lang: Lang, selected: &str) -> Vec<Choice> {
    reference
        .receiving_regions()
        .map(|r| Choice {
            name: format!("{} ({})", r.names.get(lang), r.code),
            selected: r.code == selected,
            code: r.code.clone(),
        })
        .collect()
}

pub fn occupation_choices(reference: &Reference, lang: Lang, selected: &str) -> Vec<Choice> {
    reference
        .occupations
        .iter()
        .map(|o| Choice {
            name: o.names.get(lang).to_owned(),
            selected: o.code == selected,
            code: o.code.clone(),
        })
        .collect()
}

fn none_if_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

#[derive(Deserialize)]
pub struct BoardQuery {
    region_code: Option<String>,
    occupation_code: Option<String>,
}

#[derive(Template)]
#[template(path = "vacancies.html")]
struct BoardTemplate<'a> {
    page: &'a Page,
    regions: Vec<Choice>,
    occupations: Vec<Choice>,
    cards: Vec<Card>,
}

/// The public board of open vacancies.
#[get("/vacancies")]
pub async fn board(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<BoardQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let query = ListQuery {
        region_code: none_if_empty(query.region_code.clone()),
        occupation_code: none_if_empty(query.occupation_code.clone()),
        status: None,
    };
    let (reference, list, query) = db::run(&state.pool, move |conn| {
        let list = vacancies::list(conn, &Viewer::Public, &query)?;
        Ok((Reference::load(conn)?, list, query))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let template = BoardTemplate {
        page: &page,
        regions: region_choices(&reference, page.lang, query.region_code.as_deref().unwrap_or_default()),
        occupations: occupation_choices(
            &reference,
            page.lang,
            query.occupation_code.as_deref().unwrap_or_default(),
        ),
        cards: list.iter().map(|v| Card::new(v, &reference, page.lang)).collect(),
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Template)]
#[template(path = "vacancy.html")]
struct DetailTemplate<'a> {
    page: &'a Page,
    card: Card,
}

/// One vacancy: public when open; its employer sees it in any status.
#[get("/vacancies/{id}")]
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<String>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let viewer = Viewer::of(user.as_deref().map(|u| &u.actor));
    let (reference, vacancy) = db::run(&state.pool, move |conn| {
        Ok((Reference::load(conn)?, vacancies::find_visible(conn, &id, &viewer)?))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let card = Card::new(&vacancy, &reference, page.lang);
    Ok(page.respond(StatusCode::OK, &DetailTemplate { page: &page, card }))
}

#[derive(Template)]
#[template(path = "employer_vacancies.html")]
struct OwnTemplate<'a> {
    page: &'a Page,
    cards: Vec<Card>,
}

/// The employer's own vacancies, in every status.
#[get("/employer/vacancies")]
pub async fn own(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Employer)?;
    let page = Page::new(&req, &state, Some(&user));
    let org = user.org_for(Role::Employer).map_err(|e| PageError::new(&req, &state, e))?;
    let viewer = Viewer::Employer(org);
    let (reference, list) = db::run(&state.pool, move |conn| {
        Ok((Reference::load(conn)?, vacancies::list(conn, &viewer, &ListQuery::default())?))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let cards = list.iter().map(|v| Card::new(v, &reference, page.lang)).collect();
    Ok(page.respond(StatusCode::OK, &OwnTemplate { page: &page, cards }))
}

/// The vacancy form's fields, as typed (amounts in yuan).
#[derive(Default, Clone)]
pub struct FormValues(HashMap<String, String>);

impl FormValues {
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |v| v.trim())
    }

    pub fn checked(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The vacancy the form describes, or the first field that does not parse.
    pub fn to_input(&self, reference: &Reference) -> Result<VacancyInput, &'static str> {
        let date = |name: &'static str| self.get(name).parse::<NaiveDate>().map_err(|_| name);
        let int = |name: &'static str| self.get(name).parse::<i32>().map_err(|_| name);
        let money = |name: &'static str| parse_yuan(self.get(name)).ok_or(name);
        let optional_money = |name: &'static str| match self.get(name) {
            "" => Ok(0),
            _ => money(name),
        };
        let pay_basis = PayBasis::parse(self.get("pay_basis")).ok_or("pay_basis")?;
        let mut deductions = Vec::new();
        for (kind, field) in [("housing", "housing_deduction"), ("meals", "meals_deduction")] {
            let fen = optional_money(field)?;
            if fen > 0 {
                deductions.push(Deduction { kind: kind.into(), fen_per_month: fen });
            }
        }
        let text = |name: &str| Some(self.get(name).to_owned()).filter(|t| !t.is_empty());
        Ok(VacancyInput {
            title: self.get("title").to_owned(),
            occupation_code: self.get("occupation_code").to_owned(),
            region_code: self.get("region_code").to_owned(),
            crossing_code: self.get("crossing_code").to_owned(),
            headcount: int("headcount")?,
            season_start: date("season_start")?,
            season_end: date("season_end")?,
            hours_per_week: int("hours_per_week")?,
            guaranteed_hours_per_week: int("guaranteed_hours_per_week")?,
            required_skills: reference
                .skills
                .iter()
                .filter(|s| self.checked(&format!("skill_{}", s.code)))
                .map(|s| s.code.clone())
                .collect(),
            pay_basis,
            wage_fen: money("wage")?,
            piece_unit: text("piece_unit"),
            guaranteed_hourly_fen: match pay_basis {
                PayBasis::Piece => Some(money("guaranteed_hourly")?),
                _ => None,
            },
            deductions,
            housing_provided: self.checked("housing_provided"),
            description_zh: text("description_zh"),
            description_vi: text("description_vi"),
            status: if self.get("status") == "draft" { NewStatus::Draft } else { NewStatus::Open },
        })
    }
}

/// A refusal of the vacancy, explained in the page's language from the problem's fields.
pub fn explain(err: &AppError, lang: Lang, reference: &Reference) -> String {
    let fen = |key: &str| yuan(err.extra.get(key).and_then(|v| v.as_i64()).unwrap_or(0));
    let rule = err.extra.get("binding_rule");
    let rule_text = |key: &str| rule.and_then(|r| r[key].as_str()).unwrap_or_default().to_owned();
    match err.code {
        ErrorCode::BelowWageFloor => {
            let key = if err.extra.get("after_deductions").and_then(|v| v.as_bool()) == Some(true) {
                "refusal-below-floor-net"
            } else {
                "refusal-below-floor"
            };
            lang.ta(
                key,
                &[
                    ("offered", fen("offered_hourly_fen")),
                    ("floor", fen("floor_hourly_fen")),
                    ("shortfall", fen("shortfall_fen")),
                    ("kind", lang.t(&format!("rule-kind-{}", rule_text("kind")))),
                    ("region", reference.name(&rule_text("region_code"), lang).to_owned()),
                    ("source", rule_text("source")),
                ],
            )
        }
        ErrorCode::DeductionsOverCap => lang.ta(
            "refusal-deductions",
            &[
                ("deductions", fen("deductions_fen")),
                ("cap", fen("cap_fen")),
                ("percent", err.extra.get("cap_percent").map(|v| v.to_string()).unwrap_or_default()),
            ],
        ),
        ErrorCode::EmployerNotVerified => lang.t("refusal-not-verified"),
        ErrorCode::InvalidSeason => lang.t("refusal-season"),
        ErrorCode::NoWageFloor => lang.t("refusal-no-floor"),
        _ => {
            let field = super::refused_field(err, "form");
            super::field_refusal(lang, field)
        }
    }
}

#[derive(Template)]
#[template(path = "vacancy_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    values: &'a FormValues,
    regions: Vec<Choice>,
    occupations: Vec<Choice>,
    crossings: Vec<Choice>,
    skills: Vec<Choice>,
    bases: Vec<Choice>,
    refusal: Option<String>,
}

fn form_page(
    page: &Page,
    reference: &Reference,
    values: &FormValues,
    refusal: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let lang = page.lang;
    let template = FormTemplate {
        page,
        values,
        regions: region_choices(reference, lang, values.get("region_code")),
        occupations: occupation_choices(reference, lang, values.get("occupation_code")),
        crossings: reference
            .crossings
            .iter()
            .map(|c| Choice {
                name: c.names.get(lang).to_owned(),
                selected: c.code == values.get("crossing_code"),
                code: c.code.clone(),
            })
            .collect(),
        skills: reference
            .skills
            .iter()
            .map(|s| Choice {
                name: s.names.get(lang).to_owned(),
                selected: values.checked(&format!("skill_{}", s.code)),
                code: s.code.clone(),
            })
            .collect(),
        bases: [PayBasis::Hourly, PayBasis::Monthly, PayBasis::Piece]
            .into_iter()
            .map(|b| Choice {
                code: b.as_str().to_owned(),
                name: lang.t(&format!("basis-{}", b.as_str())),
                selected: values.get("pay_basis") == b.as_str(),
            })
            .collect(),
        refusal,
    };
    page.respond(status, &template)
}

/// The new-vacancy form.
#[get("/employer/vacancies/new")]
pub async fn new_form(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Employer)?;
    let page = Page::new(&req, &state, Some(&user));
    let reference =
        db::run(&state.pool, Reference::load).await.map_err(|e| PageError::new(&req, &state, e))?;
    let defaults = [
        ("hours_per_week", "48"),
        ("guaranteed_hours_per_week", "40"),
        ("pay_basis", "hourly"),
        ("headcount", "10"),
    ];
    let values = FormValues(defaults.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect());
    Ok(form_page(&page, &reference, &values, None, StatusCode::OK))
}

/// Posts the form: the same service as the API, so the same floor check in the same transaction.
#[post("/employer/vacancies")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    form: web::Form<HashMap<String, String>>,
) -> PageResult {
    let values = FormValues(form.into_inner());
    check_csrf(&req, &state, values.get(crate::auth::csrf::FIELD))
        .map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Employer)?;
    let page = Page::new(&req, &state, Some(&user));
    let reference =
        db::run(&state.pool, Reference::load).await.map_err(|e| PageError::new(&req, &state, e))?;
    let input = match values.to_input(&reference) {
        Ok(input) => input,
        Err(field) => {
            let refusal = super::field_refusal(page.lang, field);
            return Ok(form_page(
                &page,
                &reference,
                &values,
                Some(refusal),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let employer = user.org_for(Role::Employer).map_err(|e| PageError::new(&req, &state, e))?;
    let by = user.user_id.clone();
    let (cap, now) = (state.settings.rules.deductions_cap_percent, state.clock.now());
    match db::transaction(&state.pool, move |conn| vacancies::create(conn, &employer, &by, input, cap, now))
        .await
    {
        Ok(_) => Ok(see_other("/employer/vacancies")),
        Err(err) if err.code.status().is_client_error() => {
            let refusal = explain(&err, page.lang, &reference);
            Ok(form_page(&page, &reference, &values, Some(refusal), err.code.status()))
        }
        Err(err) => Err(PageError::new(&req, &state, err)),
    }
}

#[derive(Template)]
#[template(path = "floor_check.html")]
struct CheckTemplate<'a> {
    page: &'a Page,
    floor: Option<String>,
    rule: String,
    offered: Option<String>,
    verdict: Option<(bool, String)>,
}

/// The live floor check of the form (an htmx fragment): the floor for what is typed so far
/// and whether the pay meets it.
#[get("/employer/vacancies/check")]
pub async fn check(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<HashMap<String, String>>,
) -> PageResult {
    let user = require_role(&req, &state, user, Role::Employer)?;
    let page = Page::new(&req, &state, Some(&user));
    let values = FormValues(query.into_inner());
    let cap = state.settings.rules.deductions_cap_percent;
    let lookup = values.clone();
    let (reference, floor) = db::run(&state.pool, move |conn| {
        let reference = Reference::load(conn)?;
        let dates =
            (lookup.get("season_start").parse::<NaiveDate>(), lookup.get("season_end").parse::<NaiveDate>());
        let floor = match dates {
            (Ok(start), Ok(end)) if end >= start && !lookup.get("region_code").is_empty() => {
                let occupation = Some(lookup.get("occupation_code")).filter(|o| !o.is_empty());
                wage_floors::floor_over(conn, lookup.get("region_code"), occupation, start, end).ok()
            }
            _ => None,
        };
        Ok((reference, floor))
    })
    .await
    .map_err(|e| PageError::new(&req, &state, e))?;
    let lang = page.lang;
    let mut template =
        CheckTemplate { page: &page, floor: None, rule: String::new(), offered: None, verdict: None };
    if let Some(floor) = &floor {
        template.floor = Some(yuan(floor.hourly_fen));
        template.rule = format!(
            "{} · {} · {}",
            lang.t(&format!("rule-kind-{}", floor.binding.kind.as_str())),
            reference.name(&floor.binding.region_code, lang),
            floor.binding.source
        );
        if let Ok(input) = values.to_input(&reference) {
            let terms = input.terms();
            template.offered = Some(yuan(terms.figures().hourly_equivalent_fen));
            template.verdict = Some(match terms.check(floor.hourly_fen, cap) {
                Ok(_) => (true, lang.t("check-ok")),
                Err(violation) => {
                    (false, explain(&vacancies::violation_error(&violation, floor, cap), lang, &reference))
                }
            });
        }
    }
    Ok(page.respond(StatusCode::OK, &template))
}

/// Opens a draft or closes a vacancy from the employer's list.
#[post("/employer/vacancies/{id}/{action}")]
pub async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    path: web::Path<(String, String)>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Employer)?;
    let (id, action) = path.into_inner();
    let employer = user.org_for(Role::Employer).map_err(|e| PageError::new(&req, &state, e))?;
    let by = user.user_id.clone();
    let (cap, now) = (state.settings.rules.deductions_cap_percent, state.clock.now());
    let result = match action.as_str() {
        "open" => {
            db::transaction(&state.pool, move |conn| vacancies::open(conn, &employer, &by, &id, cap, now))
                .await
        }
        "close" => {
            db::transaction(&state.pool, move |conn| vacancies::close(conn, &employer, &by, &id, now)).await
        }
        _ => Err(AppError::not_found()),
    };
    result.map_err(|e| PageError::new(&req, &state, e))?;
    Ok(see_other("/employer/vacancies"))
}
