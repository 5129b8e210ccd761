//! Notices: the people an event concerns, told in their own language without logging in.
//! Written with the event (so they exist exactly when it does) and sent by the dispatcher:
//! by e-mail, or, for a worker without one, as a text message through the SMS gateway.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Subject;
use crate::actor::Actor;
use crate::codes::CODE_PLACEHOLDER;
use crate::db::credentials::CodeRow;
use crate::db::events::{self as store, NoticeRow};
use crate::db::{self, DbConnection, agencies, placements};
use crate::domain::account::Role;
use crate::domain::event::EventType;
use crate::domain::money::parse_yuan;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::accounts::invalid;
use crate::state::AppState;

/// Who is told of an event.
enum Audience {
    Worker,
    Employer,
    Agency,
}

fn audience(event_type: EventType, subject: &Subject, data: &Value) -> Option<Audience> {
    use EventType as T;
    // A case opened by a finding (wage, hours) is the employer's to know at once; one opened
    // by a complaint or a fee report is not announced to its subject.
    let finding = matches!(data.get("kind").and_then(Value::as_str), Some("wage" | "hours"));
    match event_type {
        T::PlacementOffered
        | T::ContractAmended
        | T::PermitIssued
        | T::PlacementReturnDue
        | T::PlacementOverstayed
        | T::PayMissing => Some(Audience::Worker),
        T::VacancyBelowFloor => Some(Audience::Employer),
        T::CaseOpened if finding && subject.employer_id.is_some() => Some(Audience::Employer),
        T::LicenceSuspended => Some(Audience::Agency),
        T::EmployerSuspended => Some(Audience::Employer),
        _ => None,
    }
}

/// An address, its channel, and the language the notice is written in.
struct Address {
    channel: &'static str,
    recipient: String,
    lang: Lang,
}

/// The notices `event_type` calls for, each in its recipient's language: the one it chose for
/// its account, else its role's (a worker's is Vietnamese, an employer's Chinese, an agency's
/// its country's).
pub(super) fn for_event(
    conn: &mut DbConnection,
    event_type: EventType,
    subject: &Subject,
    data: &Value,
    seq: i64,
    at: NaiveDateTime,
) -> Result<Vec<NoticeRow>, AppError> {
    let Some(audience) = audience(event_type, subject, data) else { return Ok(Vec::new()) };
    let addresses = match audience {
        Audience::Worker => match &subject.worker_id {
            Some(worker_id) => worker_addresses(conn, worker_id.as_str())?,
            None => Vec::new(),
        },
        Audience::Employer => match &subject.employer_id {
            Some(employer_id) => accounts(conn, Role::Employer, employer_id.as_str(), Lang::ZhCn)?,
            None => Vec::new(),
        },
        Audience::Agency => match &subject.agency_id {
            Some(agency_id) => {
                let lang = match agencies::find(conn, agency_id)? {
                    Some(agency) if agency.country == "CN" => Lang::ZhCn,
                    _ => Lang::Vi,
                };
                accounts(conn, Role::Agency, agency_id.as_str(), lang)?
            }
            None => Vec::new(),
        },
    };
    let key = event_type.as_str().replace('.', "-");
    let mut rendered: Vec<(Lang, String, String, Option<String>)> = Vec::new();
    let mut notices = Vec::with_capacity(addresses.len());
    for address in addresses {
        let lang = address.lang;
        if !rendered.iter().any(|(l, ..)| *l == lang) {
            let (args, link) = arguments(conn, lang, event_type, subject, data)?;
            let subject_line = lang.ta(&format!("notice-{key}-subject"), &args);
            let body = lang.ta(&format!("notice-{key}-body"), &args);
            rendered.push((lang, subject_line, body, link));
        }
        let Some((_, subject_line, body, link)) = rendered.iter().find(|(l, ..)| *l == lang) else {
            continue;
        };
        notices.push(NoticeRow {
            id: uuid::Uuid::now_v7().to_string(),
            event_seq: Some(seq),
            code_id: None,
            channel: address.channel.to_owned(),
            recipient: address.recipient,
            language: lang.tag().to_owned(),
            subject: subject_line.clone(),
            body: body.clone(),
            link: link.clone(),
            status: "pending".into(),
            attempts: 0,
            next_attempt_at: at,
            claim: None,
            claimed_until: None,
            last_error: None,
            created_at: at,
            finished_at: None,
        });
    }
    Ok(notices)
}

/// Where to reach a person: its e-mail address, else its phone by text message.
fn address(email: Option<String>, phone: Option<String>, lang: Lang) -> Option<Address> {
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    match (given(email), given(phone)) {
        (Some(recipient), _) => Some(Address { channel: "email", recipient, lang }),
        (None, Some(recipient)) => Some(Address { channel: "sms", recipient, lang }),
        (None, None) => None,
    }
}

/// The addresses of the accounts that act for `org_id` in `role`, each in the language its
/// user chose, else `default`.
fn accounts(
    conn: &mut DbConnection,
    role: Role,
    org_id: &str,
    default: Lang,
) -> Result<Vec<Address>, AppError> {
    Ok(store::accounts_of(conn, role.as_str(), org_id)?
        .into_iter()
        .filter_map(|account| {
            let lang = account.language.as_deref().and_then(Lang::from_tag).unwrap_or(default);
            address(account.email, account.phone, lang)
        })
        .collect())
}

/// The worker's own account once it activated it (the addresses the worker signs in with,
/// which its agency cannot change); before that, the e-mail on its record, else its
/// account's, else its phone by text message. In the language its account chose, else
/// Vietnamese.
fn worker_addresses(conn: &mut DbConnection, worker_id: &str) -> Result<Vec<Address>, AppError> {
    let accounts = store::accounts_of(conn, Role::Worker.as_str(), worker_id)?;
    let lang =
        accounts.first().and_then(|a| a.language.as_deref()).and_then(Lang::from_tag).unwrap_or(Lang::Vi);
    if let Some(own) = accounts.iter().find(|account| account.activated) {
        return Ok(address(own.email.clone(), own.phone.clone(), lang).into_iter().collect());
    }
    let (email, phone) = store::worker_contact(conn, worker_id)?.unwrap_or_default();
    let account = accounts.into_iter().next();
    let account_email = account.and_then(|a| a.email);
    Ok(address(email.or(account_email), phone, lang).into_iter().collect())
}

/// A message's named arguments.
type Arguments = Vec<(&'static str, String)>;

/// The message's arguments, dates and amounts written as `lang` writes them and codes in
/// words, and the page it points to.
fn arguments(
    conn: &mut DbConnection,
    lang: Lang,
    event_type: EventType,
    subject: &Subject,
    data: &Value,
) -> Result<(Arguments, Option<String>), AppError> {
    let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let date = |key: &str| {
        let stored = text(key);
        stored.parse::<chrono::NaiveDate>().map_or(stored, |day| lang.date(day))
    };
    let mut args = Vec::new();
    let mut link = None;
    if let Some(placement_id) = &subject.placement_id
        && let Some(placement) = placements::find(conn, placement_id)?
    {
        args.push(("vacancy", placement.vacancy_title));
        args.push(("employer", placement.employer_name));
        args.push(("start", lang.date(placement.season_start)));
        args.push(("end", lang.date(placement.season_end)));
        link = Some(format!("/placements/{placement_id}"));
    }
    match event_type {
        EventType::PermitIssued => {
            args.push(("permit", text("permit_number")));
            args.push(("valid_until", date("valid_until")));
        }
        EventType::PlacementOverstayed => args.push(("valid_until", date("permit_valid_until"))),
        EventType::PayMissing => {
            args.push(("from", date("period_start")));
            args.push(("to", date("period_end")));
        }
        EventType::CaseOpened => {
            args.push(("kind", lang.t(&format!("case-kind-{}", text("kind")))));
            link = None;
        }
        EventType::LicenceSuspended | EventType::EmployerSuspended => args.push(("reason", text("reason"))),
        EventType::VacancyBelowFloor => {
            args.push(("vacancy", text("title")));
            let floor = text("floor_hourly_yuan");
            args.push(("floor", parse_yuan(&floor).map_or(floor, |fen| lang.amount(fen))));
            link = subject.vacancy_id.as_ref().map(|id| format!("/vacancies/{id}"));
        }
        _ => {}
    }
    Ok((args, link))
}

/// The notice that carries a one-time code (`purpose`: activation or reset) to the address
/// the code was made for, in `language` (else Vietnamese: codes go to workers first). Its
/// body holds [`CODE_PLACEHOLDER`]; the sender puts the code in.
pub(crate) fn code_notice(
    conn: &mut DbConnection,
    code: &CodeRow,
    purpose: &str,
    language: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let lang = language.and_then(Lang::from_tag).unwrap_or(Lang::Vi);
    let args = [
        ("code", CODE_PLACEHOLDER.to_owned()),
        ("sign_in", code.address.clone()),
        ("until", lang.datetime(code.expires_at.and_utc())),
    ];
    let at = now.naive_utc();
    let row = NoticeRow {
        id: uuid::Uuid::now_v7().to_string(),
        event_seq: None,
        code_id: Some(code.id.clone()),
        channel: if code.channel == "sms" { "sms" } else { "email" }.to_owned(),
        recipient: code.address.clone(),
        language: lang.tag().to_owned(),
        subject: lang.ta(&format!("notice-{purpose}-code-subject"), &args),
        body: lang.ta(&format!("notice-{purpose}-code-body"), &args),
        link: Some(if purpose == "reset" { "/reset/confirm" } else { "/activate" }.to_owned()),
        status: "pending".into(),
        attempts: 0,
        next_attempt_at: at,
        claim: None,
        claimed_until: None,
        last_error: None,
        created_at: at,
        finished_at: None,
    };
    store::insert_notices(conn, std::slice::from_ref(&row))?;
    Ok(())
}

/// A notice as regulators read it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub id: String,
    /// email or sms
    pub channel: String,
    pub recipient: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    /// pending, sent or failed
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<NoticeRow> for Notice {
    fn from(row: NoticeRow) -> Notice {
        Notice {
            id: row.id,
            channel: row.channel,
            recipient: row.recipient,
            language: row.language,
            subject: row.subject,
            body: row.body,
            link: row.link,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
            created_at: row.created_at.and_utc(),
            finished_at: row.finished_at.map(|at| at.and_utc()),
        }
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NoticeQuery {
    /// pending, sent or failed (all when absent)
    pub status: Option<String>,
}

/// The newest 200 notices: what was sent, or would have been (regulators).
pub async fn list_notices(
    state: &AppState,
    actor: &Actor,
    query: NoticeQuery,
) -> Result<Vec<Notice>, AppError> {
    actor.require(Role::Regulator)?;
    if let Some(status) = &query.status
        && !["pending", "sent", "failed"].contains(&status.as_str())
    {
        return Err(invalid("status", "pending, sent or failed"));
    }
    let rows =
        db::run(&state.pool, move |conn| Ok(store::recent_notices(conn, query.status.as_deref(), 200)?))
            .await?;
    Ok(rows.into_iter().map(Notice::from).collect())
}
