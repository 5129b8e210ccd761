//! The cases regulators work: listed and filtered, read with their findings, notes and (for
//! a complaint) its words, and assigned, commented on or resolved, each step audited.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::model::{MAX_TEXT, finding, resolve_case, text};
use crate::actor::{Actor, Jurisdiction, Scope};
use crate::db::compliance::{self as store, BrokerReportRow, CaseFilter, CaseRow, NoteRow};
use crate::db::{self, DbConnection, authorities};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::domain::broker::BrokerConduct;
use crate::domain::case::{CaseKind, CaseStatus, SubjectKind};
use crate::domain::licence::LicenceAction;
use crate::domain::money::Fen;
use crate::domain::page::{Page, PageRequest};
use crate::domain::payslip::Finding;
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, AuthorityId, CaseId, EmployerId, PlacementId, UserId};
use crate::services::accounts::invalid;
use crate::services::agencies;
use crate::services::audit;
use crate::services::authorities::{require_side_of, scope_in};
use crate::services::employers::{self, DecisionInput, EmployerDecision};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseNote {
    pub by_user_id: UserId,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A case as regulators work it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Case {
    pub id: CaseId,
    pub kind: CaseKind,
    pub subject_kind: SubjectKind,
    pub subject_id: Option<String>,
    pub region_code: Option<String>,
    pub placement_id: Option<PlacementId>,
    pub status: CaseStatus,
    pub assigned_to: Option<UserId>,
    pub amount_owed_fen: Fen,
    pub outcome: Option<String>,
    pub amount_recovered_fen: Option<Fen>,
    /// Whether the regulator upheld what the case reports, decided when it resolved it;
    /// null while the case is open.
    pub upheld: Option<bool>,
    pub opened_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The side the case is routed to, "CN" or "VN": the side of the party it concerns,
    /// which alone assigns, notes and resolves it; the other side reads it.
    #[schema(example = "VN")]
    pub routed_to: Option<String>,
    /// Only in the answer for one case.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<CaseNote>,
    /// The complaint's own words, for regulators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintText>,
    /// For a case of kind `broker`, the report as given, for regulators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker_report: Option<BrokerReportText>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintText {
    pub reference: String,
    pub category: String,
    pub text: String,
    pub language: String,
    pub contact: Option<String>,
    pub anonymous: bool,
}

/// A report against an unlicensed broker as its reporter gave it (regulators only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrokerReportText {
    pub reference: String,
    pub kinds: Vec<BrokerConduct>,
    pub broker_name: Option<String>,
    pub broker_phone: Option<String>,
    pub place: Option<String>,
    pub region_code: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub occurred_on: Option<NaiveDate>,
    pub amount_asked_fen: Option<Fen>,
    pub amount_asked_vnd: Option<i64>,
    pub description: Option<String>,
    pub language: String,
    pub contact: Option<String>,
    /// Neither a contact nor an account is kept with it.
    pub anonymous: bool,
}

impl From<BrokerReportRow> for BrokerReportText {
    fn from(r: BrokerReportRow) -> Self {
        BrokerReportText {
            anonymous: r.filed_by.is_none() && r.contact.is_none(),
            kinds: BrokerConduct::split(&r.kinds),
            reference: r.reference,
            broker_name: r.broker_name,
            broker_phone: r.broker_phone,
            place: r.place,
            region_code: r.region_code,
            occurred_on: r.occurred_on,
            amount_asked_fen: r.amount_asked_fen,
            amount_asked_vnd: r.amount_asked_vnd,
            description: r.description,
            language: r.language,
            contact: r.contact,
        }
    }
}

/// A value read back from a text column; anything unknown is a fault of the database.
fn stored<T>(value: Option<T>, text: &str) -> Result<T, AppError> {
    value.ok_or_else(|| AppError::internal(anyhow::anyhow!("stored value {text:?}")))
}

fn case_view(row: CaseRow) -> Result<Case, AppError> {
    Ok(Case {
        kind: stored(CaseKind::parse(&row.kind), &row.kind)?,
        subject_kind: stored(SubjectKind::parse(&row.subject_kind), &row.subject_kind)?,
        status: stored(CaseStatus::parse(&row.status), &row.status)?,
        id: row.id,
        subject_id: row.subject_id,
        region_code: row.region_code,
        placement_id: row.placement_id,
        assigned_to: row.assigned_to,
        amount_owed_fen: row.amount_owed_fen,
        outcome: row.outcome,
        amount_recovered_fen: row.amount_recovered_fen,
        upheld: row.upheld,
        opened_at: row.opened_at.and_utc(),
        resolved_at: row.resolved_at.map(|r| r.and_utc()),
        routed_to: Some(row.routed_to),
        findings: Vec::new(),
        notes: Vec::new(),
        complaint: None,
        broker_report: None,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// open, assigned or resolved.
    pub status: Option<String>,
    /// wage, hours, fee, complaint or broker.
    pub kind: Option<String>,
    /// A region; its sub-regions are included.
    pub region_code: Option<String>,
    /// The employer or agency the cases are against.
    pub subject_id: Option<String>,
    /// CN or VN: the side the cases are routed to.
    pub routed_to: Option<String>,
    /// Rows per page: 1 to 500 (default 100); else 422 `invalid_limit`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor in the previous page's `Link` (rel="next");
    /// absent, the first page. Anything else is 422 `invalid_cursor`.
    pub after: Option<String>,
}

/// The list name a case cursor carries.
const LIST: &str = "cases";

/// What the reader's authority oversees (regulators only).
pub(super) fn jurisdiction_of(conn: &mut DbConnection, actor: &Actor) -> Result<Jurisdiction, AppError> {
    actor.require(Role::Regulator)?;
    match scope_in(conn, actor)? {
        Scope::Authority(within) => Ok(within),
        _ => Err(AppError::forbidden()),
    }
}

/// The case if the reader's authority oversees it; 404 otherwise, as for no case at all.
fn overseen(conn: &mut DbConnection, within: &Jurisdiction, id: &CaseId) -> Result<CaseRow, AppError> {
    let case = store::find_case(conn, id)?.ok_or_else(AppError::not_found)?;
    if !store::case_overseen(conn, id, within)? {
        return Err(AppError::not_found());
    }
    Ok(case)
}

/// A page of cases, newest first, filtered: those the reader's authority oversees
/// (regulators).
pub async fn list_cases(state: &AppState, actor: &Actor, query: CaseQuery) -> Result<Page<Case>, AppError> {
    actor.require(Role::Regulator)?;
    let seek = PageRequest::parse(query.limit.as_deref(), query.after.as_deref())?.seek(LIST)?;
    if query.status.as_deref().is_some_and(|s| CaseStatus::parse(s).is_none()) {
        return Err(invalid("status", "open, assigned or resolved"));
    }
    if query.kind.as_deref().is_some_and(|k| CaseKind::parse(k).is_none()) {
        return Err(invalid("kind", "wage, hours, fee, complaint or broker"));
    }
    if query.routed_to.as_deref().is_some_and(|c| Country::parse(c).is_none()) {
        return Err(invalid("routed_to", "CN or VN"));
    }
    let actor = actor.clone();
    db::run(&state.pool, move |conn| {
        let within = jurisdiction_of(conn, &actor)?;
        let region_codes = match &query.region_code {
            Some(code) => {
                Some(crate::services::reference::Reference::load(conn)?.region_and_descendants(code))
            }
            None => None,
        };
        let filter = CaseFilter {
            status: query.status,
            kind: query.kind,
            region_codes,
            subject_id: query.subject_id,
            routed_to: query.routed_to,
        };
        let rows = store::list_cases(conn, &within, &filter, Some(&seek))?;
        seek.page(LIST, rows, |c| (c.opened_at, c.id.to_string())).try_map(case_view)
    })
    .await
}

/// One case with its findings, notes and (for a complaint or a broker report) its words:
/// regulators whose authority oversees it (404 for the others).
pub async fn find_case(state: &AppState, actor: &Actor, id: &CaseId) -> Result<Case, AppError> {
    let (actor, id) = (actor.clone(), id.clone());
    db::run(&state.pool, move |conn| {
        let within = jurisdiction_of(conn, &actor)?;
        overseen(conn, &within, &id)?;
        case_in(conn, &id)
    })
    .await
}

/// A case as a regulator's page shows it: the case, and whether the reader works it.
#[derive(Debug, Clone)]
pub struct CaseDesk {
    pub case: Case,
    /// Whether the reader's side is the one the case is routed to: only it assigns, notes
    /// and resolves the case.
    pub works: bool,
    /// The agency or employer the case is against, by name, with where it stands today.
    pub party: Option<Party>,
}

/// The agency or employer a case is against.
#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    /// The licence's status today (active, suspended, expired, revoked) for an agency; the
    /// employer's (verified, suspended, pending) for an employer.
    pub status: String,
}

/// [`find_case`] with whether the reader works the case, and whom it is against.
pub async fn case_desk(state: &AppState, actor: &Actor, id: &CaseId) -> Result<CaseDesk, AppError> {
    let (actor, id, today) = (actor.clone(), id.clone(), state.clock.today());
    db::run(&state.pool, move |conn| {
        let within = jurisdiction_of(conn, &actor)?;
        let row = overseen(conn, &within, &id)?;
        let works = require_side_of(conn, &actor, &row.routed_to, None).is_ok();
        let case = case_in(conn, &id)?;
        let party = match (case.subject_kind, case.subject_id.as_deref()) {
            (SubjectKind::Agency, Some(subject)) => {
                crate::db::agencies::find(conn, &AgencyId::from(subject))?
                    .map(|a| {
                        Ok::<_, AppError>(Party {
                            status: agencies::status(&a, today)?.as_str().to_owned(),
                            name: a.name,
                        })
                    })
                    .transpose()?
            }
            (SubjectKind::Employer, Some(subject)) => {
                let e = crate::db::employers::find(conn, &EmployerId::from(subject))?;
                Some(Party { name: e.name, status: e.status })
            }
            _ => None,
        };
        Ok(CaseDesk { case, works, party })
    })
    .await
}

/// Suspends (or reinstates) the agency's licence or the employer a case is against, from the
/// case: the reader must see the case, and the decision is the licence's or the employer's own
/// (the same service, side and reason rules); 409 when the case names neither.
pub async fn decide_party(
    state: &AppState,
    actor: &Actor,
    id: &CaseId,
    suspend: bool,
    reason: Option<String>,
) -> Result<(), AppError> {
    let case = find_case(state, actor, id).await?;
    let subject = case.subject_id.clone().unwrap_or_default();
    match case.subject_kind {
        SubjectKind::Agency if !subject.is_empty() => {
            let action = if suspend { LicenceAction::Suspend } else { LicenceAction::Reinstate };
            let decision = agencies::LicenceDecision { reason };
            agencies::decide(state, actor, &AgencyId::from(subject.as_str()), action, decision)
                .await
                .map(drop)
        }
        SubjectKind::Employer if !subject.is_empty() => {
            let decision = if suspend { EmployerDecision::Suspend } else { EmployerDecision::Reinstate };
            let input = DecisionInput { reason };
            employers::decide(state, actor, &EmployerId::from(subject.as_str()), decision, input)
                .await
                .map(drop)
        }
        _ => Err(AppError::new(ErrorCode::Conflict).with_detail("the case is against no agency or employer")),
    }
}

/// One case in full, for a caller already allowed to work it.
fn case_in(conn: &mut DbConnection, id: &CaseId) -> Result<Case, AppError> {
    let row = store::find_case(conn, id)?.ok_or_else(AppError::not_found)?;
    let mut case = case_view(row)?;
    case.findings = store::findings_of_case(conn, id)?.into_iter().map(finding).collect();
    case.notes = store::notes(conn, id)?
        .into_iter()
        .map(|n| CaseNote { by_user_id: n.by_user_id, note: n.note, at: n.at.and_utc() })
        .collect();
    case.complaint = store::complaint_of_case(conn, id)?.map(|c| ComplaintText {
        anonymous: c.filed_by.is_none() && c.contact.is_none(),
        reference: c.reference,
        category: c.category,
        text: c.text,
        language: c.language,
        contact: c.contact,
    });
    case.broker_report = store::broker_report_of_case(conn, id)?.map(BrokerReportText::from);
    Ok(case)
}

/// A step a regulator takes on a case.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStep {
    /// For assign: the regulator to assign (yourself when absent).
    pub user_id: Option<UserId>,
    /// For comment (required) and resolve.
    pub note: Option<String>,
    /// For resolve: what was decided.
    pub outcome: Option<String>,
    /// For resolve: what the worker got back, in fen.
    pub amount_recovered_fen: Option<Fen>,
    /// For resolve: whether the regulator upholds what the case reports (for a fee report,
    /// that the worker was charged); absent, it is not upheld. A fee report upheld counts
    /// apart on the agency's public licence record.
    pub upheld: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseAction {
    Assign,
    Comment,
    Resolve,
}

impl CaseAction {
    /// The action a path names: assign, comment or resolve.
    pub fn parse(name: &str) -> Option<CaseAction> {
        match name {
            "assign" => Some(CaseAction::Assign),
            "comment" => Some(CaseAction::Comment),
            "resolve" => Some(CaseAction::Resolve),
            _ => None,
        }
    }
}

/// Assigns, comments on or resolves a case; each step is audited (regulators of the side the
/// case is routed to; the other side is refused, 403, and a case the reader's authority does
/// not oversee is not found). A resolved case only takes comments (409).
pub async fn work_case(
    state: &AppState,
    actor: &Actor,
    id: &CaseId,
    action: CaseAction,
    step: CaseStep,
) -> Result<Case, AppError> {
    let (actor, id, now) = (actor.clone(), id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| work_case_in(conn, &actor, &id, action, step, now)).await
}

/// [`work_case`] inside the caller's transaction.
pub fn work_case_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &CaseId,
    action: CaseAction,
    step: CaseStep,
    now: DateTime<Utc>,
) -> Result<Case, AppError> {
    let within = jurisdiction_of(conn, actor)?;
    let case = overseen(conn, &within, id)?;
    // Only the side the case is routed to works it.
    require_side_of(conn, actor, &case.routed_to, None)?;
    if case.status == CaseStatus::Resolved.as_str() && action != CaseAction::Comment {
        return Err(AppError::new(ErrorCode::Conflict).with_detail("the case is resolved"));
    }
    let note = step.note.as_deref().map(|n| text("note", n, MAX_TEXT)).transpose()?;
    let detail = match action {
        CaseAction::Assign => {
            let to = step.user_id.unwrap_or_else(|| actor.user_id.clone());
            let assignee =
                crate::db::users::find_user(conn, &to).map_err(|_| invalid("user_id", "unknown user"))?;
            if assignee.role != Role::Regulator.as_str() {
                return Err(invalid("user_id", "a regulator"));
            }
            let assignee_side = match assignee.org_id.as_ref() {
                Some(org) => authorities::find(conn, &AuthorityId::from(org.as_str()))?.map(|a| a.country),
                None => None,
            };
            if assignee_side.as_deref() != Some(case.routed_to.as_str()) {
                return Err(invalid("user_id", "a regulator of the side the case is routed to"));
            }
            store::assign(conn, id, &to)?;
            Some(("case.assigned", json!({"assigned_to": to})))
        }
        CaseAction::Comment => {
            if note.is_none() {
                return Err(invalid("note", "write the note"));
            }
            Some(("case.commented", json!({})))
        }
        CaseAction::Resolve => {
            let outcome = text("outcome", step.outcome.as_deref().unwrap_or(""), 500)?;
            let recovered = step.amount_recovered_fen.unwrap_or(Fen::ZERO);
            if !(Fen::ZERO..=Fen::new(100_000_000)).contains(&recovered) {
                return Err(invalid("amount_recovered_fen", "between 0 and 100000000 fen"));
            }
            let upheld = step.upheld.unwrap_or(false);
            resolve_case(conn, &case, Some(&actor.user_id), (&outcome, recovered, upheld), now)?;
            // Audited and announced as it was resolved.
            None
        }
    };
    if let Some(note) = note {
        store::insert_note(
            conn,
            &NoteRow {
                id: uuid::Uuid::now_v7().to_string(),
                case_id: id.clone(),
                by_user_id: actor.user_id.clone(),
                note,
                at: now.naive_utc(),
            },
        )?;
    }
    if let Some((action_name, detail)) = detail {
        audit::record(conn, Some(&actor.user_id), action_name, ("case", id.as_str()), detail, now)?;
    }
    case_in(conn, id)
}

/// How many cases concern `subject_id` (an agency or an employer): all of them, and the open
/// ones (regulators: of those its authority oversees).
pub async fn case_counts(
    state: &AppState,
    actor: &Actor,
    subject_id: &str,
) -> Result<(usize, usize), AppError> {
    actor.require(Role::Regulator)?;
    let (actor, filter) =
        (actor.clone(), CaseFilter { subject_id: Some(subject_id.to_owned()), ..Default::default() });
    let cases = db::run(&state.pool, move |conn| {
        let within = jurisdiction_of(conn, &actor)?;
        Ok(store::list_cases(conn, &within, &filter, None)?)
    })
    .await?;
    let open = cases.iter().filter(|c| c.status != CaseStatus::Resolved.as_str()).count();
    Ok((cases.len(), open))
}
