//! Vacancy pages: the public board and detail, and the employer's list and form, whose
//! wage floor check runs as the employer types.

pub(super) mod form;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{CheckedForm, Employer, NoFields, Page, PageError, PageResult, Paging, next_link, see_other};
use crate::auth::PageUser;
use crate::domain::money::{Fen, yuan};
use crate::domain::pay::PayBasis;
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::VacancyId;
use crate::services::accounts::invalid;
use crate::services::reference::Reference;
use crate::services::vacancies::{self, ListQuery, Vacancy};
use crate::services::wage_floors;
use crate::state::AppState;
use form::VacancyForm;

/// A vacancy as a card on a page, in the reader's language.
pub struct Card {
    pub id: VacancyId,
    pub title: String,
    pub employer: String,
    pub employer_id: String,
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
    /// Each deduction in words, with its amount a month.
    pub deductions: Vec<String>,
    pub skills: Vec<String>,
    pub hours: String,
    pub description_zh: String,
    pub description_vi: String,
    /// While the local window runs: the day (in China) agencies may offer its seats from.
    pub open_to_agencies_on: Option<String>,
    pub local_hires: i32,
}

impl Card {
    /// The card as read on `today` (China's day).
    pub fn new(v: &Vacancy, reference: &Reference, lang: Lang, today: NaiveDate) -> Card {
        let pay = match v.pay_basis {
            PayBasis::Hourly => lang.t1("pay-hourly", "amount", &lang.amount(v.wage_fen)),
            PayBasis::Monthly => lang.t1("pay-monthly", "amount", &lang.amount(v.wage_fen)),
            PayBasis::Piece => lang.ta(
                "pay-piece",
                &[
                    ("amount", lang.amount(v.wage_fen)),
                    ("unit", v.piece_unit.clone().unwrap_or_default()),
                    ("guaranteed", lang.amount(v.guaranteed_hourly_fen.unwrap_or(Fen::ZERO))),
                ],
            ),
        };
        Card {
            id: v.id.clone(),
            title: v.title.clone(),
            employer: v.employer_name.clone(),
            employer_id: v.employer_id.to_string(),
            region: reference.name(&v.region_code, lang).to_owned(),
            occupation: reference.name(&v.occupation_code, lang).to_owned(),
            crossing: reference.name(&v.crossing_code, lang).to_owned(),
            season: lang.dates(v.season_start, v.season_end),
            headcount: v.headcount,
            pay,
            hourly_vs_floor: lang.ta(
                "vacancy-hourly-vs-floor",
                &[
                    ("hourly", lang.amount(v.hourly_equivalent_fen)),
                    ("floor", lang.amount(v.floor.hourly_fen)),
                ],
            ),
            housing: v.housing_provided,
            status: v.status.clone(),
            status_label: lang.t(&format!("status-{}", v.status)),
            deductions: v
                .deductions
                .iter()
                .map(|d| {
                    let monthly = format!("{}/{}", lang.money(d.fen_per_month), lang.t("unit-month"));
                    crate::contract_html::deduction_line(d, lang, monthly)
                })
                .collect(),
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
            open_to_agencies_on: v.open_to_agencies_on.filter(|day| *day > today).map(|day| lang.date(day)),
            local_hires: v.local_hires,
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
    limit: Option<String>,
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "vacancies.html")]
struct BoardTemplate<'a> {
    page: &'a Page,
    regions: Vec<Choice>,
    occupations: Vec<Choice>,
    cards: Vec<Card>,
    next: Option<String>,
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
        limit: query.limit.clone(),
        after: query.after.clone(),
    };
    // The public board: open vacancies, whoever reads it, a page at a time.
    let list = vacancies::list(&state, None, query.clone()).await?;
    let reference = Reference::read(&state).await?;
    let template = BoardTemplate {
        page: &page,
        regions: region_choices(&reference, page.lang, query.region_code.as_deref().unwrap_or_default()),
        occupations: occupation_choices(
            &reference,
            page.lang,
            query.occupation_code.as_deref().unwrap_or_default(),
        ),
        cards: list.items.iter().map(|v| Card::new(v, &reference, page.lang, page.today)).collect(),
        next: next_link(&req, list.next.as_deref()),
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
    id: web::Path<VacancyId>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let reference = Reference::read(&state).await?;
    let vacancy = vacancies::find(&state, user.as_deref().map(|u| &u.actor), &id).await?;
    let card = Card::new(&vacancy, &reference, page.lang, page.today);
    Ok(page.respond(StatusCode::OK, &DetailTemplate { page: &page, card }))
}

#[derive(Template)]
#[template(path = "employer_vacancies.html")]
struct OwnTemplate<'a> {
    page: &'a Page,
    cards: Vec<Card>,
    next: Option<String>,
    /// Why the last action on the list was refused, in words.
    refusal: Option<String>,
}

/// The employer's own vacancies, in every status, a page at a time.
#[get("/employer/vacancies")]
pub async fn own(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Employer,
    paging: web::Query<Paging>,
) -> PageResult {
    own_list(&req, &state, &user, &paging, None).await
}

/// The list, with the refusal of an action on it if there was one (answered with its status).
async fn own_list(
    req: &HttpRequest,
    state: &AppState,
    user: &Employer,
    paging: &Paging,
    refused: Option<AppError>,
) -> PageResult {
    let page = Page::new(req, state, Some(user));
    let list = vacancies::own(state, user, paging.request()?).await?;
    let reference = Reference::read(state).await?;
    let cards = list.items.iter().map(|v| Card::new(v, &reference, page.lang, page.today)).collect();
    let next = next_link(req, list.next.as_deref());
    let status = refused.as_ref().map_or(StatusCode::OK, |e| e.code.status());
    let refusal = refused.map(|e| match e.extra.get("open_seats").and_then(|n| n.as_i64()) {
        Some(seats) => page.lang.count("refusal-local-hires", seats),
        None => super::refusal_text(&e, page.lang),
    });
    Ok(page.respond(status, &OwnTemplate { page: &page, cards, next, refusal }))
}

/// A refusal of the vacancy, explained in the page's language from the problem's fields.
pub fn explain(err: &AppError, lang: Lang, reference: &Reference) -> String {
    let fen = |key: &str| lang.amount(Fen::new(err.extra.get(key).and_then(|v| v.as_i64()).unwrap_or(0)));
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
    values: &'a VacancyForm,
    regions: Vec<Choice>,
    occupations: Vec<Choice>,
    crossings: Vec<Choice>,
    skills: Vec<Choice>,
    bases: Vec<Choice>,
    refusal: Option<String>,
    /// The vacancy edited; none for a new one.
    editing: Option<VacancyId>,
}

fn form_page(
    page: &Page,
    reference: &Reference,
    values: &VacancyForm,
    editing: Option<VacancyId>,
    refusal: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let lang = page.lang;
    let template = FormTemplate {
        page,
        values,
        editing,
        regions: region_choices(reference, lang, &values.region_code),
        occupations: occupation_choices(reference, lang, &values.occupation_code),
        crossings: reference
            .crossings
            .iter()
            .map(|c| Choice {
                name: c.names.get(lang).to_owned(),
                selected: c.code == values.crossing_code,
                code: c.code.clone(),
            })
            .collect(),
        skills: reference
            .skills
            .iter()
            .map(|s| Choice {
                name: s.names.get(lang).to_owned(),
                selected: values.has_skill(&s.code),
                code: s.code.clone(),
            })
            .collect(),
        bases: [PayBasis::Hourly, PayBasis::Monthly, PayBasis::Piece]
            .into_iter()
            .map(|b| Choice {
                code: b.as_str().to_owned(),
                name: lang.t(&format!("basis-{}", b.as_str())),
                selected: values.pay_basis == b.as_str(),
            })
            .collect(),
        refusal,
    };
    page.respond(status, &template)
}

/// The new-vacancy form.
#[get("/employer/vacancies/new")]
pub async fn new_form(req: HttpRequest, state: web::Data<AppState>, user: Employer) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let reference = Reference::read(&state).await?;
    Ok(form_page(&page, &reference, &VacancyForm::new(), None, None, StatusCode::OK))
}

/// Posts the form: the same service as the API, so the same floor check in the same transaction.
#[post("/employer/vacancies")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(values): CheckedForm<VacancyForm>,
    user: Result<Employer, PageError>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let reference = Reference::read(&state).await?;
    let input = match values.to_input(&reference) {
        Ok(input) => input,
        Err(field) => {
            let refusal = super::field_refusal(page.lang, field);
            return Ok(form_page(
                &page,
                &reference,
                &values,
                None,
                Some(refusal),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match vacancies::create(&state, &user, input).await {
        Ok(_) => Ok(see_other("/employer/vacancies")),
        Err(err) if err.code.status().is_client_error() => {
            let refusal = explain(&err, page.lang, &reference);
            Ok(form_page(&page, &reference, &values, None, Some(refusal), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}

/// The edit form of one of the employer's vacancies, filled with what is stored, with the
/// same live floor check as the new-vacancy form.
#[get("/employer/vacancies/{id}/edit")]
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Employer,
    id: web::Path<VacancyId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    // An employer reads its own vacancies only: another's is not found.
    let vacancy = vacancies::find(&state, Some(&user), &id).await?;
    let reference = Reference::read(&state).await?;
    let values = VacancyForm::of(&vacancy);
    Ok(form_page(&page, &reference, &values, Some(vacancy.id), None, StatusCode::OK))
}

/// Saves the edit: the same service as the API's PATCH, so the same floor check in the same
/// transaction; a refusal is explained on the form, with what was typed.
#[post("/employer/vacancies/{id}/edit")]
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(values): CheckedForm<VacancyForm>,
    user: Result<Employer, PageError>,
    id: web::Path<VacancyId>,
) -> PageResult {
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let reference = Reference::read(&state).await?;
    let id = id.into_inner();
    let done = match values.to_input(&reference) {
        Ok(input) => vacancies::update(&state, &user, &id, input.into()).await.map(drop),
        Err(field) => Err(invalid(field, "does not parse")),
    };
    match done {
        Ok(()) => Ok(see_other("/employer/vacancies")),
        Err(err) if err.code.status().is_client_error() && err.code != ErrorCode::NotFound => {
            let refusal = explain(&err, page.lang, &reference);
            Ok(form_page(&page, &reference, &values, Some(id), Some(refusal), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "floor_check.html")]
struct CheckTemplate<'a> {
    page: &'a Page,
    /// The floor as a plain number (its data attribute), and as the reader writes it.
    floor: Option<String>,
    floor_text: String,
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
    user: Employer,
    values: web::Query<VacancyForm>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let values = values.into_inner();
    let reference = Reference::read(&state).await?;
    let dates = (values.season_start.parse::<NaiveDate>(), values.season_end.parse::<NaiveDate>());
    let floor = match dates {
        (Ok(start), Ok(end)) if end >= start && !values.region_code.is_empty() => {
            let occupation = Some(values.occupation_code.as_str()).filter(|o| !o.is_empty());
            wage_floors::season_floor(&state, &values.region_code, occupation, start, end).await.ok()
        }
        _ => None,
    };
    let lang = page.lang;
    let mut template = CheckTemplate {
        page: &page,
        floor: None,
        floor_text: String::new(),
        rule: String::new(),
        offered: None,
        verdict: None,
    };
    if let Some(floor) = &floor {
        template.floor = Some(yuan(floor.hourly_fen));
        template.floor_text = lang.amount(floor.hourly_fen);
        template.rule = format!(
            "{} · {} · {}",
            lang.t(&format!("rule-kind-{}", floor.binding.kind.as_str())),
            reference.name(&floor.binding.region_code, lang),
            floor.binding.source
        );
        if let Ok(input) = values.to_input(&reference) {
            let terms = input.terms();
            template.offered = terms.figures().map(|f| lang.amount(f.hourly_equivalent_fen));
            template.verdict = Some(match vacancies::judge(&state, &terms, floor) {
                Ok(_) => (true, lang.t("check-ok")),
                Err(refusal) => (false, explain(&refusal, lang, &reference)),
            });
        }
    }
    Ok(page.respond(StatusCode::OK, &template))
}

/// Opens a draft or closes a vacancy from the employer's list.
#[post("/employer/vacancies/{id}/{action}")]
pub async fn act(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Result<Employer, PageError>,
    path: web::Path<(VacancyId, String)>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    let (id, action) = path.into_inner();
    match action.as_str() {
        "open" => vacancies::open(&state, &user, &id).await?,
        "close" => vacancies::close(&state, &user, &id).await?,
        _ => return Err(AppError::not_found().into()),
    };
    Ok(see_other("/employer/vacancies"))
}

#[derive(Deserialize)]
pub struct LocalHireForm {
    people: String,
    #[serde(default)]
    hired_on: String,
}

/// Records people hired locally for an open vacancy, from the employer's list; a refusal is
/// explained on the list.
#[post("/employer/vacancies/{id}/local-hires")]
pub async fn hire_locally(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CheckedForm<LocalHireForm>,
    user: Result<Employer, PageError>,
    id: web::Path<VacancyId>,
) -> PageResult {
    let user = user?;
    let form = form.0;
    let input = || -> Result<vacancies::LocalHireInput, AppError> {
        let people = form.people.trim().parse().map_err(|_| invalid("people", "a whole number"))?;
        let hired_on = match form.hired_on.trim() {
            "" => None,
            day => Some(day.parse::<NaiveDate>().map_err(|_| invalid("hired_on", "a date"))?),
        };
        Ok(vacancies::LocalHireInput { people, hired_on })
    };
    let done = match input() {
        Ok(input) => vacancies::hire_locally(&state, &user, &id, input).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(see_other("/employer/vacancies")),
        Err(e) if e.code.status().is_client_error() && e.code != ErrorCode::Forbidden => {
            own_list(&req, &state, &user, &Paging::default(), Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
}
