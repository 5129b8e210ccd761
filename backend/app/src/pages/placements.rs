//! Placement pages: every party's list and timeline, the worker's offer and contract (in
//! Vietnamese by default, on a phone), the regulator's permit desk, the printable contract
//! in three languages, and the public permit check that the QR code points to.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{
    Agency, CheckQuery, CheckedForm, Page, PageError, PageResult, Paging, SignedIn, next_link, see_other,
};
use crate::auth::{AuthUser, PageUser};
use crate::contract_html;
use crate::domain::account::Role;
use crate::domain::calendar::{china_clock, from_china_clock};
use crate::domain::page::PageRequest;
use crate::domain::pay_period::PeriodState;
use crate::domain::placement::{Action, Status, permit_state};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::{PlacementId, VacancyId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::compliance::{PayPeriod, PayslipView};
use crate::services::placements::{
    self, Acceptance, ContractVersion, Crossing, NextSteps, OfferInput, Orientation, Permit, Placement,
    PlacementPage, PublicPermit, Reason, TimelineEntry,
};
use crate::services::ratings::{self, RatingInput, RatingSubject};
use crate::state::AppState;

fn status_label(status: &str, lang: Lang) -> String {
    lang.t(&format!("placement-status-{status}"))
}

/// A timeline note in the reader's words. The sweeper's overstay note is stored in English
/// for the API ("permit expired on …; no return recorded"), so the page says it again in the
/// reader's language; a note a person typed (a reason) is shown as typed.
fn timeline_note(entry: &TimelineEntry, permit: Option<&Permit>, lang: Lang) -> String {
    let note = entry.note.clone().unwrap_or_default();
    if entry.to_status != Status::Overstayed.as_str() {
        return note;
    }
    let stored = note.split([' ', ';']).find_map(|word| word.parse::<chrono::NaiveDate>().ok());
    match stored.or(permit.map(|p| p.valid_until)) {
        Some(day) => lang.t1("placement-note-overstayed", "date", &lang.date(day)),
        None => lang.t("placement-status-overstayed"),
    }
}

/// The permit check's address, where the QR code points.
fn permit_link(number: &str, code: &str) -> String {
    format!("/permits/{number}?code={code}")
}

/// The QR code of an address on this server, as inline SVG.
pub(super) fn qr_svg(req: &HttpRequest, path: &str) -> String {
    let info = req.connection_info();
    let url = format!("{}://{}{path}", info.scheme(), info.host());
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build()
        }
        Err(_) => String::new(),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

struct Row {
    p: Placement,
    status: String,
}

#[derive(Template)]
#[template(path = "placements.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    rows: Vec<Row>,
    filter: String,
    statuses: Vec<(&'static str, String)>,
    error: Option<String>,
    next: Option<String>,
}

/// The caller's placements (a regulator's are all of them: the permit desk when filtered by
/// `accepted`).
#[get("/placements")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    query: web::Query<ListQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let filter = query.status.clone().filter(|s| Status::parse(s).is_some());
    let paging = Paging { limit: query.limit.clone(), after: query.after.clone() };
    let found = placements::list(&state, &user, filter.as_deref(), paging.request()?).await?;
    let lang = page.lang;
    let next = next_link(&req, found.next.as_deref());
    let rows =
        found.items.into_iter().map(|p| Row { status: status_label(p.status.as_str(), lang), p }).collect();
    let statuses = Status::ALL.iter().map(|s| (s.as_str(), status_label(s.as_str(), lang))).collect();
    let template =
        ListTemplate { page: &page, rows, filter: filter.unwrap_or_default(), statuses, error: None, next };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Template)]
#[template(path = "placement.html")]
struct DetailTemplate<'a> {
    page: &'a Page,
    p: Placement,
    status: String,
    timeline: Vec<(String, String, String)>,
    contract_html: String,
    contract: ContractVersion,
    /// What the reader may do next, as the service tells.
    actions: NextSteps,
    crossings: Vec<(String, String)>,
    qr: String,
    permit_link: String,
    /// Where the permit stands today, in words (a permit past its last day is expired even
    /// though its stored status still reads valid).
    permit_state: String,
    /// How the worker consented, in words: for the worker itself and regulators.
    consent: Option<String>,
    now: String,
    error: Option<String>,
    payslips: Vec<PayslipRow>,
    can_report_payslip: bool,
    /// Each pay period in words: its dates, where it stands, and whether that is a finding.
    pay_periods: Vec<(String, bool)>,
    pay_intro: String,
    /// The insurance the contract states, in words.
    insurance_lines: Vec<String>,
    /// The departure checklist: each item's code, whether done, and its words.
    checklist_lines: Vec<(&'static str, bool, String)>,
    checklist_ready: bool,
    /// When and where the orientation was attended, in words.
    orientation_line: Option<String>,
    /// Before departure: the checklist is shown.
    before_departure: bool,
    /// The worker, back home: it may rate its agency and its employer.
    can_rate: bool,
    /// The employer's vacancies it may name the worker for, by id and title.
    next_vacancies: Vec<(VacancyId, String)>,
    /// The title of the vacancy the worker was just named for.
    named_for: Option<String>,
}

/// A payslip as the placement page lists it, its findings in words.
struct PayslipRow {
    slip: PayslipView,
    findings: Vec<String>,
}

pub(super) async fn detail_page(
    req: &HttpRequest,
    state: &AppState,
    user: AuthUser,
    id: PlacementId,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let page = Page::new(req, state, Some(&user));
    let lang = page.lang;
    let PlacementPage {
        placement: p,
        contract,
        reference,
        payslips,
        pay_periods,
        next,
        checklist,
        next_vacancies,
    } = placements::page(state, &user, &id).await?;
    let named = web::Query::<NamedQuery>::from_query(req.query_string()).ok().and_then(|q| q.0.named);
    let named_for = named
        .and_then(|named| next_vacancies.iter().find(|(v, _)| v.as_str() == named).map(|(_, t)| t.clone()));
    let checklist_lines = checklist
        .items
        .iter()
        .map(|e| {
            let label = lang.t(&format!("checklist-{}", e.item.as_str().replace('_', "-")));
            (e.item.as_str(), e.done, label)
        })
        .collect();
    let orientation_line = checklist.orientation.as_ref().map(|o| {
        lang.ta(
            "checklist-orientation-line",
            &[("date", lang.date(o.attended_on)), ("place", o.place.clone())],
        )
    });
    let contract_html =
        contract_html::render(&contract.terms, &contract.sha256, lang, contract.pseudonymous)?;
    let permit_link = p
        .permit
        .as_ref()
        .and_then(|permit| permit.check_code.as_ref().map(|code| permit_link(&permit.permit_number, code)))
        .unwrap_or_default();
    let consent = p.acceptance.as_ref().map(|a| {
        let read_in =
            Lang::from_tag(&a.language).map_or_else(|| a.language.clone(), |l| l.native_name().to_owned());
        let method = a.auth_method.as_deref().unwrap_or("unknown");
        let since = a.authenticated_at.map(|at| lang.datetime(at)).unwrap_or_default();
        lang.ta(
            "placement-consent-line",
            &[
                ("at", lang.datetime(a.accepted_at)),
                ("lang", read_in),
                ("method", lang.t(&format!("auth-method-{method}"))),
                ("since", since),
            ],
        )
    });
    let insurance_lines =
        p.insurance.as_ref().map(|i| contract_html::insurance_lines(&i.stated, lang)).unwrap_or_default();
    let before_departure = matches!(p.status, Status::Offered | Status::Accepted | Status::Permitted);
    let template = DetailTemplate {
        page: &page,
        insurance_lines,
        checklist_lines,
        checklist_ready: checklist.ready,
        orientation_line,
        before_departure,
        can_rate: user.role == Role::Worker && matches!(p.status, Status::Returned | Status::ReturnedLate),
        next_vacancies,
        named_for,
        status: status_label(p.status.as_str(), lang),
        timeline: p
            .timeline
            .iter()
            .map(|e| {
                (
                    lang.datetime(e.at),
                    status_label(&e.to_status, lang),
                    timeline_note(e, p.permit.as_ref(), lang),
                )
            })
            .collect(),
        crossings: reference
            .crossings
            .iter()
            .map(|c| (c.code.clone(), c.names.get(lang).to_owned()))
            .collect(),
        actions: next,
        permit_state: p
            .permit
            .as_ref()
            .map(|permit| {
                let today = state.clock.today();
                let at = permit_state(&permit.status, permit.valid_from, permit.valid_until, today);
                lang.t(&format!("permit-{}", at.replace('_', "-")))
            })
            .unwrap_or_default(),
        consent,
        qr: if permit_link.is_empty() { String::new() } else { qr_svg(req, &permit_link) },
        permit_link,
        contract_html,
        contract,
        now: china_clock(state.clock.now()).format("%Y-%m-%dT%H:%M").to_string(),
        error: error.as_ref().map(|(_, message)| message.clone()),
        can_report_payslip: next.report_payslip,
        pay_periods: pay_periods.iter().map(|period| pay_period_line(period, lang)).collect(),
        pay_intro: lang.ta("pay-periods-intro", &[("grace", state.settings.rules.pay_grace_days)]),
        payslips: payslips
            .into_iter()
            .map(|slip| PayslipRow {
                findings: slip.findings.iter().map(|f| super::labels::finding_text(f, lang)).collect(),
                slip,
            })
            .collect(),
        p,
    };
    let status = error.map_or(StatusCode::OK, |(status, _)| status);
    Ok(page.respond(status, &template))
}

/// "Pay for 1–15 Dec: not reported", and whether it is a finding (missing).
fn pay_period_line(period: &PayPeriod, lang: Lang) -> (String, bool) {
    let state = match period.state {
        PeriodState::Reported => lang.t("pay-period-reported"),
        PeriodState::Running => lang.t("pay-period-running"),
        PeriodState::Due => lang.t1("pay-period-due", "date", &lang.date(period.due_by)),
        PeriodState::Missing => lang.t("pay-period-missing"),
    };
    let dates = lang.dates(period.period_start, period.period_end);
    (lang.ta("pay-period-line", &[("dates", dates), ("state", state)]), period.state == PeriodState::Missing)
}

/// One placement: status, timeline, the contract in the reader's language, and what the
/// reader may do next.
#[get("/placements/{id}")]
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    id: web::Path<PlacementId>,
) -> PageResult {
    detail_page(&req, &state, user.0, id.into_inner(), None).await
}

/// The placement page after the employer named the worker for one of its vacancies.
#[derive(Deserialize)]
struct NamedQuery {
    named: Option<String>,
}

/// A form on the placement page; each action reads the fields it needs.
#[derive(Deserialize)]
pub struct ActionForm {
    version: Option<i32>,
    sha256: Option<String>,
    lang: Option<String>,
    reason: Option<String>,
    crossing_code: Option<String>,
    /// A date and time from `<input type="datetime-local">`, read on China's clock.
    at: Option<String>,
    permit_number: Option<String>,
    attended_on: Option<String>,
    place: Option<String>,
    score: Option<i32>,
    subject: Option<String>,
    text: Option<String>,
    vacancy_id: Option<VacancyId>,
    worker_id: Option<WorkerId>,
}

fn crossing_of(form: &ActionForm, now: DateTime<Utc>) -> Crossing {
    let at = form
        .at
        .as_deref()
        .and_then(|at| chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M").ok())
        .map_or(now, from_china_clock);
    Crossing { crossing_code: form.crossing_code.clone().unwrap_or_default(), at }
}

/// Takes one action from the placement page, then shows the page again (with the refusal
/// explained, and nothing written, when it is refused). Any party may post; the service
/// refuses what the actor's role or tenancy does not allow.
#[post("/placements/{id}/{action}")]
pub async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    form: Result<CheckedForm<ActionForm>, PageError>,
    path: web::Path<(PlacementId, String)>,
) -> PageResult {
    // The role is refused before the token is looked at.
    let CheckedForm(form) = form?;
    let (id, action) = path.into_inner();
    let reason = Reason { reason: form.reason.clone() };
    let done = match action.as_str() {
        "accept" => {
            let acceptance = Acceptance {
                version: form.version.unwrap_or_default(),
                sha256: form.sha256.clone().unwrap_or_default(),
                lang: form.lang.clone().unwrap_or_default(),
            };
            placements::accept(&state, &user, &user.session_id, &id, acceptance).await.map(drop)
        }
        "decline" => {
            placements::end_before_departure(&state, &user, &id, Action::Decline, reason).await.map(drop)
        }
        "withdraw" => {
            placements::end_before_departure(&state, &user, &id, Action::Withdraw, reason).await.map(drop)
        }
        "permit" => placements::issue_permit(&state, &user, &id).await.map(drop),
        "insurance" => placements::verify_insurance(&state, &user, &id).await.map(drop),
        "rating" => {
            let subject = form.subject.as_deref().and_then(RatingSubject::parse);
            let rating =
                RatingInput { score: form.score.unwrap_or_default(), text: form.text.clone(), subject };
            ratings::rate(&state, &user, &id, rating).await.map(drop)
        }
        "orientation" => match form.attended_on.as_deref().unwrap_or_default().parse() {
            Ok(attended_on) => {
                let place = form.place.clone().unwrap_or_default();
                let attended = Orientation { attended_on, place };
                placements::record_orientation(&state, &user, &id, attended).await.map(drop)
            }
            Err(_) => Err(invalid("attended_on", "a date")),
        },
        "revoke" => {
            let number = form.permit_number.clone().unwrap_or_default();
            placements::revoke_permit(&state, &user, &number, reason).await.map(drop)
        }
        "departure" => {
            let crossing = crossing_of(&form, state.clock.now());
            placements::depart(&state, &user, &id, crossing).await.map(drop)
        }
        "completion" => placements::finish(&state, &user, &id, Action::Complete, reason).await.map(drop),
        "termination" => placements::finish(&state, &user, &id, Action::Terminate, reason).await.map(drop),
        "return" => {
            let crossing = crossing_of(&form, state.clock.now());
            placements::record_return(&state, &user, &id, crossing).await.map(drop)
        }
        "name" => match (&form.vacancy_id, &form.worker_id) {
            (Some(vacancy), Some(worker)) => placements::name_worker(&state, &user, vacancy, worker).await,
            _ => Err(invalid("vacancy_id", "choose a vacancy")),
        },
        _ => Err(AppError::not_found()),
    };
    match done {
        Ok(()) => {
            // Naming the worker is confirmed on the page, with the vacancy's title.
            let named = form.vacancy_id.as_ref().filter(|_| action == "name");
            let query = named.map(|v| format!("?named={v}")).unwrap_or_default();
            Ok(see_other(&format!("/placements/{id}{query}")))
        }
        Err(err) if matches!(err.code, ErrorCode::NotFound | ErrorCode::Forbidden) => Err(err.into()),
        Err(err) => {
            let lang = Page::new(&req, &state, Some(&user)).lang;
            let message = super::refusal_text(&err, lang);
            detail_page(&req, &state, user.0, id, Some((err.code.status(), message))).await
        }
    }
}

#[derive(Deserialize)]
pub struct OfferForm {
    vacancy_id: VacancyId,
    worker_id: WorkerId,
}

/// An agency makes an offer from its candidate list; the new placement's page follows.
#[post("/placements")]
pub async fn offer(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Agency,
    form: Result<CheckedForm<OfferForm>, PageError>,
) -> PageResult {
    // The role is refused before the token is looked at.
    let CheckedForm(form) = form?;
    let input = OfferInput { vacancy_id: form.vacancy_id, worker_id: form.worker_id };
    match placements::offer(&state, &user, input).await {
        Ok(p) => Ok(see_other(&format!("/placements/{}", p.id))),
        Err(err) if matches!(err.code, ErrorCode::NotFound | ErrorCode::Forbidden) => Err(err.into()),
        Err(err) => {
            let page = Page::new(&req, &state, Some(&user));
            let rows = placements::list(&state, &user, None, PageRequest::default()).await?;
            let lang = page.lang;
            let template = ListTemplate {
                page: &page,
                next: rows.next.map(|cursor| crate::domain::page::next_href("/placements", "", &cursor)),
                rows: rows
                    .items
                    .into_iter()
                    .map(|p| Row { status: status_label(p.status.as_str(), lang), p })
                    .collect(),
                filter: String::new(),
                statuses: Status::ALL.iter().map(|s| (s.as_str(), status_label(s.as_str(), lang))).collect(),
                error: Some(super::refusal_text(&err, lang)),
            };
            Ok(page.respond(err.code.status(), &template))
        }
    }
}

#[derive(Template)]
#[template(path = "contract_print.html")]
struct PrintTemplate<'a> {
    page: &'a Page,
    p: Placement,
    versions: Vec<(Lang, String)>,
    sha256: String,
    qr: String,
}

/// The contract in Vietnamese, Chinese and English side by side, for printing; the same
/// hash under each.
#[get("/placements/{id}/contract")]
pub async fn print(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    id: web::Path<PlacementId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let (p, contract) = placements::with_contract(&state, &user, &id).await?;
    let mut versions = Vec::new();
    for lang in [Lang::Vi, Lang::ZhCn, Lang::En] {
        let html = contract_html::render(&contract.terms, &contract.sha256, lang, contract.pseudonymous)?;
        versions.push((lang, html));
    }
    let qr = p
        .permit
        .as_ref()
        .and_then(|permit| permit.check_code.as_ref().map(|code| permit_link(&permit.permit_number, code)))
        .map(|link| qr_svg(&req, &link))
        .unwrap_or_default();
    let template = PrintTemplate { page: &page, p, versions, sha256: contract.sha256, qr };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Template)]
#[template(path = "permit_check.html")]
struct PermitTemplate<'a> {
    page: &'a Page,
    number: String,
    code: String,
    asked: bool,
    found: Option<PublicPermit>,
    status: String,
}

async fn permit_page(
    req: &HttpRequest,
    state: &AppState,
    user: Option<&AuthUser>,
    number: Option<String>,
    code: String,
) -> PageResult {
    let page = Page::new(req, state, user);
    let found = match &number {
        None => None,
        Some(number) => super::found(placements::check_permit(state, number, &code).await)?,
    };
    let lang = page.lang;
    let template = PermitTemplate {
        page: &page,
        asked: number.is_some(),
        number: number.unwrap_or_default(),
        code,
        status: found
            .as_ref()
            .map(|f| lang.t(&format!("permit-{}", f.status.replace('_', "-"))))
            .unwrap_or_default(),
        found,
    };
    let status = super::check_status(template.asked, template.found.is_some());
    Ok(page.respond(status, &template))
}

/// The public permit check: the form.
#[get("/permits")]
pub async fn permit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<CheckQuery>,
) -> PageResult {
    let (number, code) = query.into_inner().asked(None);
    permit_page(&req, &state, user.as_deref(), number, code).await
}

/// The public permit check by number and code — where the QR code points. A wrong code
/// answers as an unknown number.
#[get("/permits/{number}")]
pub async fn permit_check(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    number: web::Path<String>,
    query: web::Query<CheckQuery>,
) -> PageResult {
    let (number, code) = query.into_inner().asked(Some(number.into_inner()));
    permit_page(&req, &state, user.as_deref(), number, code).await
}

#[derive(Template)]
#[template(path = "orientation.html")]
struct OrientationTemplate<'a> {
    page: &'a Page,
    /// Whom to call, on both sides of the border.
    contacts: Vec<String>,
}

/// The pre-departure orientation: what every worker is told before crossing, in Vietnamese
/// unless the reader chose another language; public, so that a family can read it too.
#[get("/orientation")]
pub async fn orientation_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
) -> PageResult {
    let page = Page::for_worker(&req, &state, user.as_deref());
    let contacts = crate::domain::contract::contacts()
        .iter()
        .map(|c| contract_html::contact_line(c, page.lang))
        .collect();
    Ok(page.respond(StatusCode::OK, &OrientationTemplate { page: &page, contacts }))
}
