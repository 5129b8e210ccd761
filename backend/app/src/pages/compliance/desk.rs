//! The regulator's desk: the cases, one case with its next step, and the compliance view
//! with its charts.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::money::parse_yuan;
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::CaseId;
use crate::pages::labels::finding_text;
use crate::pages::{CheckedForm, Page, PageError, PageResult, Regulator, next_link, refusal_text, see_other};
use crate::services::accounts::invalid;
use crate::services::compliance::{
    self, BrokerReportText, Case, CaseAction, CaseQuery, CaseStep, Compliance, Count, EmployerPay,
    EmployerPayQuery, RegionMonth,
};
use crate::services::reference::Reference;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesTemplate<'a> {
    page: &'a Page,
    /// Each case with its status and its region in words.
    cases: Vec<(Case, String, String)>,
    status: String,
    kind: String,
    routed_to: String,
    next: Option<String>,
}

/// The regulator's case desk, filtered by status, kind and the side a case is routed to.
#[get("/regulator/cases")]
pub async fn cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    query: web::Query<CaseQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let query = query.into_inner();
    let (status, kind) = (query.status.clone().unwrap_or_default(), query.kind.clone().unwrap_or_default());
    let routed_to = query.routed_to.clone().unwrap_or_default();
    let list = compliance::list_cases(&state, &user, query).await?;
    let reference = Reference::read(&state).await?;
    let lang = page.lang;
    let next = next_link(&req, list.next.as_deref());
    let cases = list
        .items
        .into_iter()
        .map(|c| {
            let status = lang.t(&format!("case-status-{}", c.status));
            let region =
                c.region_code.as_deref().map(|r| reference.name(r, lang).to_owned()).unwrap_or_default();
            (c, status, region)
        })
        .collect();
    Ok(page.respond(StatusCode::OK, &CasesTemplate { page: &page, cases, status, kind, routed_to, next }))
}

#[derive(Template)]
#[template(path = "case.html")]
struct CaseTemplate<'a> {
    page: &'a Page,
    item: Case,
    kind: String,
    /// Whom the case is against, in words.
    subject: String,
    findings: Vec<(String, String)>,
    status: String,
    error: Option<String>,
    /// Whether the reader's side works the case (else it only reads it).
    works: bool,
    /// A broker report's facts in words (empty for another case).
    broker: BrokerLines,
    /// The agency or employer the case is against: its name, its status in words, whether
    /// it is suspended, and where its page is.
    party: Option<PartyLine>,
}

struct PartyLine {
    name: String,
    status: String,
    suspended: bool,
    /// Whether it can be suspended now (an active licence, a verified employer).
    suspendable: bool,
    link: Option<String>,
}

/// What a broker report says, written for the reader: its kinds, the place (and the region's
/// name), the day and the amount asked.
#[derive(Default)]
struct BrokerLines {
    kinds: String,
    place: String,
    occurred_on: String,
    amount: String,
}

impl BrokerLines {
    fn of(report: Option<&BrokerReportText>, reference: &Reference, lang: Lang) -> BrokerLines {
        let Some(b) = report else { return BrokerLines::default() };
        let region = b.region_code.as_deref().map(|r| reference.name(r, lang));
        let place: Vec<&str> = b.place.as_deref().into_iter().chain(region).collect();
        let amount = match (b.amount_asked_fen, b.amount_asked_vnd) {
            (Some(fen), _) => lang.money(fen),
            (None, Some(dong)) => lang.t1("broker-amount-vnd", "amount", &lang.number(dong)),
            (None, None) => String::new(),
        };
        BrokerLines {
            kinds: b.kinds.iter().map(|k| lang.t(&format!("broker-kind-{k}"))).collect::<Vec<_>>().join("; "),
            place: place.join(", "),
            occurred_on: b.occurred_on.map(|d| lang.date(d)).unwrap_or_default(),
            amount,
        }
    }
}

async fn case_page(
    req: &HttpRequest,
    state: &AppState,
    user: &Regulator,
    id: &CaseId,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let page = Page::new(req, state, Some(user));
    let desk = compliance::case_desk(state, user, id).await?;
    let (item, works) = (desk.case, desk.works);
    let reference = Reference::read(state).await?;
    let party = desk.party.map(|p| {
        let kind = item.subject_kind.as_str();
        PartyLine {
            status: page.lang.t(&format!("party-{kind}-{}", p.status)),
            suspended: p.status == "suspended",
            suspendable: matches!(p.status.as_str(), "active" | "verified"),
            link: item.subject_id.as_deref().and_then(|id| super::super::oversight::subject_link(kind, id)),
            name: p.name,
        }
    });
    let template = CaseTemplate {
        party,
        broker: BrokerLines::of(item.broker_report.as_ref(), &reference, page.lang),
        page: &page,
        status: page.lang.t(&format!("case-status-{}", item.status)),
        kind: page.lang.t(&format!("case-kind-{}", item.kind)),
        subject: page.lang.t(&format!("subject-{}", item.subject_kind)),
        findings: item.findings.iter().map(|f| (f.code.clone(), finding_text(f, page.lang))).collect(),
        item,
        error: error.as_ref().map(|(_, m)| m.clone()),
        works,
    };
    Ok(page.respond(error.map_or(StatusCode::OK, |(s, _)| s), &template))
}

/// One case: its findings, the complaint's words, its notes, and the next step.
#[get("/regulator/cases/{id}")]
pub async fn case_detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    id: web::Path<CaseId>,
) -> PageResult {
    case_page(&req, &state, &user, &id, None).await
}

/// A step as typed: the amount recovered in yuan and the upheld choice are parsed here.
#[derive(Deserialize)]
pub struct StepForm {
    note: Option<String>,
    outcome: Option<String>,
    recovered: Option<String>,
    /// "true" or "false", from the resolve form's choice.
    upheld: Option<String>,
}

impl StepForm {
    fn step(self) -> Result<CaseStep, AppError> {
        let recovered = match self.recovered.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(text) => Some(parse_yuan(text).ok_or_else(|| invalid("amount_recovered_fen", "an amount"))?),
        };
        let upheld = match self.upheld.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return Err(invalid("upheld", "upheld or not")),
        };
        let note = self.note.filter(|n| !n.trim().is_empty());
        Ok(CaseStep { user_id: None, note, outcome: self.outcome, amount_recovered_fen: recovered, upheld })
    }
}

/// Assigns the case to the reader, comments on it or resolves it.
#[post("/regulator/cases/{id}/{action}")]
pub async fn work_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    path: web::Path<(CaseId, String)>,
    form: Result<CheckedForm<StepForm>, PageError>,
) -> PageResult {
    // The role is looked at before the token (see `super`).
    let CheckedForm(form) = form?;
    let (id, action) = path.into_inner();
    let action = CaseAction::parse(&action).ok_or_else(AppError::not_found)?;
    let result = match form.step() {
        Ok(step) => compliance::work_case(&state, &user, &id, action, step).await.map(drop),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/regulator/cases/{id}"))),
        Err(err) if err.code == ErrorCode::NotFound => Err(err.into()),
        Err(err) => {
            let message = refusal_text(&err, Page::new(&req, &state, Some(&user)).lang);
            case_page(&req, &state, &user, &id, Some((err.code.status(), message))).await
        }
    }
}

#[derive(Deserialize)]
pub struct PartyForm {
    reason: Option<String>,
}

/// Suspends (or reinstates) the licence or the employer the case is against, from the case's
/// page; a refusal is explained there.
#[post("/regulator/cases/{id}/party/{decision}")]
pub async fn decide_party(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    path: web::Path<(CaseId, String)>,
    form: Result<CheckedForm<PartyForm>, PageError>,
) -> PageResult {
    let CheckedForm(form) = form?;
    let (id, decision) = path.into_inner();
    let suspend = match decision.as_str() {
        "suspend" => true,
        "reinstate" => false,
        _ => return Err(AppError::not_found().into()),
    };
    match compliance::decide_party(&state, &user, &id, suspend, form.reason).await {
        Ok(()) => Ok(see_other(&format!("/regulator/cases/{id}"))),
        Err(err) if err.code == ErrorCode::NotFound => Err(err.into()),
        Err(err) => {
            let message = refusal_text(&err, Page::new(&req, &state, Some(&user)).lang);
            case_page(&req, &state, &user, &id, Some((err.code.status(), message))).await
        }
    }
}

/// One bar of a chart: its label, value and width in per cent of the largest.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub width: i64,
}

fn bars(counts: &[Count], label: impl Fn(&str) -> String) -> Vec<Bar> {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    counts.iter().map(|c| Bar { label: label(&c.key), value: c.count, width: c.count * 100 / max }).collect()
}

/// One month of the broker reports' chart: its label, total, and one segment per region
/// (the region's colour index, its count and its width in per cent of the largest month).
pub struct Stack {
    pub label: String,
    pub total: i64,
    pub segments: Vec<(usize, i64, i64)>,
}

/// The broker reports' chart: each month a bar stacked by region, the regions' legend (colour
/// index and name) and the cells as a table (month, region, count).
#[derive(Default)]
pub struct StackedChart {
    pub legend: Vec<(usize, String)>,
    pub months: Vec<Stack>,
    pub table: Vec<(String, String, i64)>,
}

/// The colours a stacked bar cycles through (`seg-0` … in app.css).
const SEGMENT_COLOURS: usize = 6;

fn stacked(
    months: &[String],
    cells: &[RegionMonth],
    region: impl Fn(&str) -> String,
    lang: Lang,
) -> StackedChart {
    if cells.is_empty() {
        return StackedChart::default();
    }
    let mut regions: Vec<&str> = cells.iter().map(|c| c.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    let colour = |code: &str| regions.iter().position(|r| *r == code).unwrap_or(0) % SEGMENT_COLOURS;
    let month_label = |month: &str| {
        let (year, number) = month.split_once('-').unwrap_or_default();
        match (year.parse::<i32>(), number.parse::<u32>()) {
            (Ok(year), Ok(number)) => lang.month(year, number),
            _ => month.to_owned(),
        }
    };
    let total_of = |month: &str| cells.iter().filter(|c| c.month == month).map(|c| c.count).sum::<i64>();
    let max = months.iter().map(|m| total_of(m)).max().unwrap_or(1).max(1);
    StackedChart {
        legend: regions.iter().map(|r| (colour(r), region(r))).collect(),
        months: months
            .iter()
            .map(|month| Stack {
                label: month_label(month),
                total: total_of(month),
                segments: cells
                    .iter()
                    .filter(|c| &c.month == month)
                    .map(|c| (colour(&c.region), c.count, c.count * 100 / max))
                    .collect(),
            })
            .collect(),
        table: cells.iter().map(|c| (month_label(&c.month), region(&c.region), c.count)).collect(),
    }
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct ComplianceTemplate<'a> {
    page: &'a Page,
    c: Compliance,
    rate: String,
    /// Each chart's title key and bars.
    charts: Vec<(&'static str, Vec<Bar>)>,
    /// Reports against unlicensed brokers by month, stacked by region.
    brokers: StackedChart,
}

/// The regulator's compliance view, with bar charts drawn on the server.
#[get("/regulator/compliance")]
pub async fn view(req: HttpRequest, state: web::Data<AppState>, user: Regulator) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let named = compliance::compliance_named(&state, &user).await?;
    let (c, reference) = (named.figures, named.reference);
    let lang = page.lang;
    let name_in =
        |names: &HashMap<String, String>, id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let region_name =
        |r: &str| if r == "-" { lang.t("compliance-no-region") } else { reference.name(r, lang).to_owned() };
    let template = ComplianceTemplate {
        page: &page,
        brokers: stacked(&c.broker_report_months, &c.broker_reports_by_region_month, region_name, lang),
        rate: lang.percent(c.compliance_per_mille),
        charts: vec![
            ("compliance-open-by-kind", bars(&c.open_cases_by_kind, |k| lang.t(&format!("case-kind-{k}")))),
            (
                "compliance-open-by-region",
                bars(&c.open_cases_by_region, |r| reference.name(r, lang).to_owned()),
            ),
            ("compliance-employers", bars(&c.employers_most_findings, |id| name_in(&named.employers, id))),
            ("compliance-agencies", bars(&c.agencies_most_findings, |id| name_in(&named.agencies, id))),
        ],
        c,
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Deserialize)]
pub struct PayQuery {
    limit: Option<String>,
}

#[derive(Template)]
#[template(path = "compliance_pay.html")]
struct PayTemplate<'a> {
    page: &'a Page,
    rows: Vec<EmployerPay>,
    /// Missing periods by employer, as bars.
    chart: Vec<Bar>,
}

/// Per employer: the pay periods expected, reported, late and missing, worst first, with a
/// bar chart of the missing ones.
#[get("/regulator/compliance/pay")]
pub async fn pay(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    query: web::Query<PayQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let query = EmployerPayQuery { format: None, limit: query.into_inner().limit };
    let rows = compliance::employer_pay(&state, &user, query).await?;
    let missing: Vec<Count> = rows
        .iter()
        .filter(|r| r.periods_missing > 0)
        .take(20)
        .map(|r| Count { key: r.employer_name.clone(), count: r.periods_missing })
        .collect();
    let template = PayTemplate { page: &page, chart: bars(&missing, str::to_owned), rows };
    Ok(page.respond(StatusCode::OK, &template))
}
