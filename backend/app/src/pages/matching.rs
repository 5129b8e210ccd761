//! The agency's matching pages: a vacancy's ranked candidates, each score explained in
//! words, and the season-wide proposal it reviews line by line, keeping some.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::vacancies::Card;
use super::{Agency, CheckedForm, Page, PageError, PageResult, see_other};
use crate::error::{AppError, ErrorCode};
use crate::i18n::{Arg, Lang};
use crate::ids::{VacancyId, WorkerId};
use crate::services::matching::{self, Candidate, KeptLine, ProposalLine, ProposalRequest, Unfilled};
use crate::services::reference::Reference;
use crate::services::vacancies::{self, Vacancy};
use crate::services::workers::PseudonymousWorker;
use crate::state::AppState;

/// How many candidates the page shows.
const SHOWN: usize = 50;

/// A refusal of a matching action, in the page's language.
fn explain(err: &AppError, lang: Lang) -> String {
    let text = |key: &str| err.extra.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    match err.code {
        ErrorCode::LicenceInactive => {
            let status = err.extra.get("licence_status").and_then(|s| s.as_str()).unwrap_or("suspended");
            lang.t1("refusal-matching-licence", "status", &lang.t(&format!("licence-{status}")))
        }
        ErrorCode::ValidationFailed if err.extra.contains_key("reason") => {
            lang.t(&format!("keep-refused-{}", text("reason")))
        }
        ErrorCode::ValidationFailed if err.extra.contains_key("vacancy_id") => {
            lang.t1("proposal-refused-vacancy", "id", &text("vacancy_id"))
        }
        _ => super::field_refusal(lang, super::refused_field(err, "form")),
    }
}

/// One part of a score, in words.
pub struct Reason {
    pub part: &'static str,
    pub text: String,
    pub points: i64,
}

/// A candidate as a card: pseudonymous, its score explained part by part.
pub struct CandidateCard {
    pub worker_id: WorkerId,
    pub score: i64,
    pub initials: String,
    pub age_band: String,
    pub province: String,
    pub skills: String,
    pub seasons: String,
    pub reasons: Vec<Reason>,
}

impl CandidateCard {
    fn new(c: Candidate, vacancy: &Vacancy, reference: &Reference, lang: Lang) -> CandidateCard {
        let province = reference.name(&c.home_province_code, lang).to_owned();
        let extra_skills = c.skills.iter().filter(|s| !vacancy.required_skills.contains(s)).count();
        let p = c.parts;
        let distance = match c.distance_km {
            Some(km) => lang.ta(
                "why-distance",
                &[
                    ("km", km.to_string()),
                    ("province", province.clone()),
                    ("crossing", reference.name(&vacancy.crossing_code, lang).to_owned()),
                ],
            ),
            None => lang.t("why-distance-unknown"),
        };
        let reasons = vec![
            Reason {
                part: "skills",
                text: lang.t1("why-skills", "count", &extra_skills.to_string()),
                points: p.skills,
            },
            Reason {
                part: "experience",
                text: lang.ta(
                    "why-experience",
                    &[
                        ("verified", c.seasons_verified.to_string()),
                        ("declared", c.seasons_worked.to_string()),
                    ],
                ),
                points: p.experience,
            },
            Reason {
                part: "returned_on_time",
                text: lang.count("why-returns", c.returned_on_time),
                points: p.returned_on_time,
            },
            Reason {
                part: "named_request",
                text: lang.t(if p.named_request > 0 { "why-named" } else { "why-not-named" }),
                points: p.named_request,
            },
            Reason { part: "distance", text: distance, points: p.distance },
            Reason {
                part: "language",
                text: lang.t(if p.language > 0 { "why-chinese" } else { "why-no-chinese" }),
                points: p.language,
            },
        ];
        CandidateCard {
            skills: c.skills.iter().map(|s| reference.name(s, lang)).collect::<Vec<_>>().join(", "),
            seasons: lang.seasons(c.seasons_verified, c.seasons_worked),
            worker_id: c.worker_id,
            score: c.score,
            initials: c.initials,
            age_band: c.age_band,
            province,
            reasons,
        }
    }
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct CandidatesTemplate<'a> {
    page: &'a Page,
    card: Card,
    rows: Vec<CandidateCard>,
    refusal: Option<String>,
}

/// The agency's eligible workers for an open vacancy, best first, each score in words.
#[get("/vacancies/{id}/candidates")]
pub async fn candidates(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Agency,
    id: web::Path<VacancyId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    // An agency reads what the public reads: the vacancy if it is open.
    let vacancy = vacancies::find(&state, Some(&user), &id).await?;
    let list = matching::candidates(&state, &user, &id, SHOWN).await;
    let reference = Reference::read(&state).await?;
    let card = Card::new(&vacancy, &reference, page.lang, page.today);
    let (rows, refusal, status) = match list {
        Ok(list) => (
            list.into_iter().map(|c| CandidateCard::new(c, &vacancy, &reference, page.lang)).collect(),
            None,
            StatusCode::OK,
        ),
        Err(err) if err.code.status().is_client_error() => {
            (vec![], Some(explain(&err, page.lang)), err.code.status())
        }
        Err(err) => return Err(err.into()),
    };
    Ok(page.respond(status, &CandidatesTemplate { page: &page, card, rows, refusal }))
}

/// Who offers the vacancy, where and when.
fn place(v: &Vacancy, reference: &Reference, lang: Lang) -> String {
    let region = reference.name(&v.region_code, lang);
    format!("{} · {region} · {} – {}", v.employer_name, v.season_start, v.season_end)
}

/// A vacancy to tick on the proposal form.
pub struct VacancyChoice {
    pub id: VacancyId,
    pub title: String,
    pub place: String,
    pub headcount: i32,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "proposal_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    choices: Vec<VacancyChoice>,
    all: bool,
    refusal: Option<String>,
}

/// The proposal form: every open vacancy, or the ones ticked.
fn form_page(
    page: &Page,
    open: &[Vacancy],
    reference: &Reference,
    asked: Option<(bool, &[VacancyId])>,
    refusal: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let (all, ticked) = asked.unwrap_or((true, &[]));
    let choices = open
        .iter()
        .map(|v| VacancyChoice {
            id: v.id.clone(),
            title: v.title.clone(),
            place: place(v, reference, page.lang),
            headcount: v.headcount,
            checked: ticked.contains(&v.id),
        })
        .collect();
    page.respond(status, &FormTemplate { page, choices, all, refusal })
}

/// The reference data, and the open vacancies as the agency reads them.
async fn open_vacancies(state: &AppState, user: &Agency) -> Result<(Reference, Vec<Vacancy>), AppError> {
    let reference = Reference::read(state).await?;
    Ok((reference, vacancies::open_to_choose(state, user).await?))
}

#[get("/matching/proposals")]
pub async fn proposal_form(req: HttpRequest, state: web::Data<AppState>, user: Agency) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let (reference, open) = open_vacancies(&state, &user).await?;
    Ok(form_page(&page, &open, &reference, None, None, StatusCode::OK))
}

/// A proposal line on the page: pseudonymous, with the value a kept line posts back.
pub struct LineRow {
    pub keep: String,
    pub worker_id: WorkerId,
    pub who: String,
    pub score: i64,
}

/// The lines of one vacancy.
pub struct Group {
    pub vacancy_id: VacancyId,
    pub title: String,
    pub place: String,
    pub headcount: i32,
    pub unfilled: i64,
    pub lines: Vec<LineRow>,
    /// "2 of 3 positions", "1 position unfilled": in the page's language.
    pub filled: String,
    pub unfilled_text: String,
}

/// Lines grouped by vacancy, in the proposal's order, with the vacancies left without a
/// line too (all their positions unfilled).
fn groups(
    lines: &[ProposalLine],
    unfilled: &[Unfilled],
    open: &HashMap<VacancyId, Vacancy>,
    shown: &HashMap<WorkerId, PseudonymousWorker>,
    reference: &Reference,
    lang: Lang,
) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let group_of = |groups: &mut Vec<Group>, vacancy_id: &VacancyId| -> usize {
        if let Some(i) = groups.iter().position(|g| &g.vacancy_id == vacancy_id) {
            return i;
        }
        let (title, place, headcount) = match open.get(vacancy_id) {
            Some(v) => (v.title.clone(), place(v, reference, lang), v.headcount),
            None => (vacancy_id.to_string(), String::new(), 0),
        };
        groups.push(Group {
            vacancy_id: vacancy_id.clone(),
            title,
            place,
            headcount,
            unfilled: 0,
            lines: vec![],
            filled: String::new(),
            unfilled_text: String::new(),
        });
        groups.len() - 1
    };
    for line in lines {
        let i = group_of(&mut groups, &line.vacancy_id);
        let who = match shown.get(&line.worker_id) {
            Some(p) => format!(
                "{} · {} · {} · {}",
                p.initials,
                p.age_band,
                reference.name(&p.home_province_code, lang),
                lang.seasons(p.seasons_verified, p.seasons_worked)
            ),
            None => line.worker_id.to_string(),
        };
        groups[i].lines.push(LineRow {
            keep: format!("{}:{}", line.vacancy_id, line.worker_id),
            worker_id: line.worker_id.clone(),
            who,
            score: line.score,
        });
    }
    for u in unfilled {
        let i = group_of(&mut groups, &u.vacancy_id);
        groups[i].unfilled = u.open;
    }
    for g in &mut groups {
        g.filled = lang.ta(
            "proposal-filled",
            &[("filled", Arg::from(g.lines.len())), ("headcount", Arg::from(g.headcount))],
        );
        g.unfilled_text = lang.count("proposal-unfilled", g.unfilled);
    }
    groups
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalTemplate<'a> {
    page: &'a Page,
    /// The proposal to review (keep boxes), or the lines kept.
    reviewing: bool,
    groups: Vec<Group>,
    /// The total score: the proposal's objective, or the kept lines'.
    objective: i64,
    lines: usize,
    summary: String,
    refusal: Option<String>,
}

/// A form's fields in order, names repeated as the form repeats them.
type Fields = Vec<(String, String)>;

fn values<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a String> {
    fields.iter().filter(move |(k, _)| k == name).map(|(_, v)| v)
}

/// The proposal form: every open vacancy (`scope` other than `some`), or the ones ticked
/// (`vacancy_id`, repeated).
#[derive(Deserialize)]
#[serde(from = "Fields")]
pub struct ProposalForm {
    all: bool,
    ticked: Vec<VacancyId>,
}

impl From<Fields> for ProposalForm {
    fn from(fields: Fields) -> Self {
        ProposalForm {
            all: values(&fields, "scope").all(|s| s != "some"),
            ticked: values(&fields, "vacancy_id").map(|id| VacancyId::from(id.as_str())).collect(),
        }
    }
}

/// The lines an agency keeps (`keep` = `vacancy_id:worker_id`, repeated); `None` when one is
/// unreadable.
#[derive(Deserialize)]
#[serde(from = "Fields")]
pub struct KeepForm {
    lines: Option<Vec<KeptLine>>,
}

impl From<Fields> for KeepForm {
    fn from(fields: Fields) -> Self {
        let lines = values(&fields, "keep")
            .map(|v| {
                let (vacancy_id, worker_id) = v.split_once(':')?;
                Some(KeptLine { vacancy_id: vacancy_id.into(), worker_id: worker_id.into() })
            })
            .collect();
        KeepForm { lines }
    }
}

/// Runs the proposal for every open vacancy or the ones ticked, and shows it for review.
#[post("/matching/proposals")]
pub async fn propose(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<CheckedForm<ProposalForm>, PageError>,
    user: Agency,
) -> PageResult {
    // The role is refused before the token is looked at.
    let CheckedForm(form) = form?;
    let page = Page::new(&req, &state, Some(&user));
    let ProposalForm { all, ticked } = form;
    let (reference, open) = open_vacancies(&state, &user).await?;
    if !all && ticked.is_empty() {
        let refusal = Some(page.lang.t("proposal-choose"));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(form_page(&page, &open, &reference, Some((all, &ticked)), refusal, status));
    }
    let request = ProposalRequest { vacancy_ids: (!all).then(|| ticked.clone()) };
    let proposal = match matching::propose(&state, &user, request).await {
        Ok(proposal) => proposal,
        Err(err) if err.code.status().is_client_error() => {
            let refusal = Some(explain(&err, page.lang));
            return Ok(form_page(&page, &open, &reference, Some((all, &ticked)), refusal, err.code.status()));
        }
        Err(err) => return Err(err.into()),
    };
    let ids: Vec<WorkerId> = proposal.lines.iter().map(|l| l.worker_id.clone()).collect();
    let shown = matching::pseudonyms(&state, &user, ids).await?;
    let open: HashMap<VacancyId, Vacancy> = open.into_iter().map(|v| (v.id.clone(), v)).collect();
    let template = ProposalTemplate {
        page: &page,
        reviewing: true,
        groups: groups(&proposal.lines, &proposal.unfilled, &open, &shown, &reference, page.lang),
        objective: proposal.objective,
        lines: proposal.lines.len(),
        summary: page.lang.ta(
            "proposal-summary",
            &[
                ("objective", Arg::from(proposal.objective.to_string())),
                ("lines", Arg::from(proposal.lines.len())),
                ("ms", Arg::from(format!("{:.1}", proposal.solve_ms))),
            ],
        ),
        refusal: None,
    };
    Ok(page.respond(StatusCode::OK, &template))
}

/// The kept-lines page showing why the lines were refused.
fn refusal_page(page: &Page, refusal: String, status: StatusCode) -> actix_web::HttpResponse {
    let template = ProposalTemplate {
        page,
        reviewing: false,
        groups: vec![],
        objective: 0,
        lines: 0,
        summary: String::new(),
        refusal: Some(refusal),
    };
    page.respond(status, &template)
}

/// Turns the kept lines into offers, all or none, and shows the agency its offers.
#[post("/matching/proposals/offers")]
pub async fn make_offers(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<KeepForm>,
    user: Agency,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let refused = |refusal: String, status: StatusCode| refusal_page(&page, refusal, status);
    let Some(kept) = form.lines.filter(|k| !k.is_empty()) else {
        return Ok(refused(page.lang.t("keep-refused-malformed"), StatusCode::UNPROCESSABLE_ENTITY));
    };
    match matching::make_offers(&state, &user, kept).await {
        Ok(_) => Ok(see_other("/placements?status=offered")),
        Err(err) if err.code.status().is_client_error() => {
            Ok(refused(explain(&err, page.lang), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}

/// Takes back the lines the agency kept (`keep` = `vacancy_id:worker_id`), checks and scores
/// them again through [`matching::keep_lines`], and shows them with their total score.
#[post("/matching/proposals/review")]
pub async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<CheckedForm<KeepForm>, PageError>,
    user: Agency,
) -> PageResult {
    // The role is refused before the token is looked at.
    let CheckedForm(form) = form?;
    let page = Page::new(&req, &state, Some(&user));
    let refused = |refusal: String, status: StatusCode| refusal_page(&page, refusal, status);
    let Some(kept) = form.lines else {
        return Ok(refused(page.lang.t("keep-refused-malformed"), StatusCode::UNPROCESSABLE_ENTITY));
    };
    let lines = match matching::keep_lines(&state, &user, kept).await {
        Ok(lines) => lines,
        Err(err) if err.code.status().is_client_error() => {
            return Ok(refused(explain(&err, page.lang), err.code.status()));
        }
        Err(err) => return Err(err.into()),
    };
    let ids: Vec<WorkerId> = lines.iter().map(|l| l.worker_id.clone()).collect();
    let shown = matching::pseudonyms(&state, &user, ids).await?;
    let (reference, open) = open_vacancies(&state, &user).await?;
    let open: HashMap<VacancyId, Vacancy> = open.into_iter().map(|v| (v.id.clone(), v)).collect();
    let total: i64 = lines.iter().map(|l| l.score).sum();
    let template = ProposalTemplate {
        page: &page,
        reviewing: false,
        groups: groups(&lines, &[], &open, &shown, &reference, page.lang),
        objective: total,
        lines: lines.len(),
        summary: page.lang.ta(
            "kept-summary",
            &[("lines", Arg::from(lines.len())), ("total", Arg::from(total.to_string()))],
        ),
        refusal: None,
    };
    Ok(page.respond(StatusCode::OK, &template))
}
