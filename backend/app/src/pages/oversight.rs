//! A regulator's oversight pages: the alerts (overstays) its authority must look at, and the
//! audit log with the check of its hash chain.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use askama::Template;
use serde::Deserialize;

use super::{Page, PageResult, Paging, Regulator, next_link};
use crate::services::audit::{self, Entry, Verification};
use crate::services::placements::{self, Alert};
use crate::state::AppState;

/// Where a record an audit entry or a case names is shown, for a regulator; `None` for a
/// kind without a page of its own.
pub fn subject_link(kind: &str, id: &str) -> Option<String> {
    let path = match kind {
        "placement" => "/placements",
        "agency" => "/regulator/agencies",
        "employer" => "/employers",
        "case" => "/regulator/cases",
        "worker" => "/workers",
        "vacancy" => "/vacancies",
        _ => return None,
    };
    Some(format!("{path}/{id}"))
}

#[derive(Template)]
#[template(path = "regulator_alerts.html")]
struct AlertsTemplate<'a> {
    page: &'a Page,
    alerts: Vec<Alert>,
    next: Option<String>,
}

/// The alerts of the placements the reader's authority oversees, newest first.
#[get("/regulator/alerts")]
pub async fn alerts(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    paging: web::Query<Paging>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let list = placements::alerts(&state, &user, paging.request()?).await?;
    let next = next_link(&req, list.next.as_deref());
    Ok(page.respond(StatusCode::OK, &AlertsTemplate { page: &page, alerts: list.items, next }))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    after: Option<i64>,
}

/// How many entries a page of the audit log shows.
const AUDIT_PAGE: i64 = 100;

/// An entry as the log page lists it.
struct EntryLine {
    entry: Entry,
    link: Option<String>,
}

#[derive(Template)]
#[template(path = "regulator_audit.html")]
struct AuditTemplate<'a> {
    page: &'a Page,
    entries: Vec<EntryLine>,
    next: Option<String>,
    check: Option<Verification>,
}

async fn audit_page(
    req: &HttpRequest,
    state: &AppState,
    user: &Regulator,
    after: i64,
    checked: bool,
) -> PageResult {
    let page = Page::new(req, state, Some(user));
    let check = match checked {
        true => Some(audit::verify(state, user).await?),
        false => None,
    };
    let entries = audit::list(state, user, after, AUDIT_PAGE).await?;
    let next = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| format!("/regulator/audit?after={}", e.seq)))
        .flatten();
    let entries = entries
        .into_iter()
        .map(|entry| EntryLine { link: subject_link(&entry.subject_kind, &entry.subject_id), entry })
        .collect();
    Ok(page.respond(StatusCode::OK, &AuditTemplate { page: &page, entries, next, check }))
}

/// The audit log, oldest first, a hundred entries a page.
#[get("/regulator/audit")]
pub async fn audit_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    query: web::Query<AuditQuery>,
) -> PageResult {
    audit_page(&req, &state, &user, query.after.unwrap_or(0), false).await
}

/// The audit log with the check of its whole chain (and of the last head exported) on top.
#[get("/regulator/audit/check")]
pub async fn audit_check(req: HttpRequest, state: web::Data<AppState>, user: Regulator) -> PageResult {
    audit_page(&req, &state, &user, 0, true).await
}
