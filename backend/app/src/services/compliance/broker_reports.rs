//! Reports against unlicensed brokers: anyone, signed in or not, reports a person or business
//! that recruits without a licence, takes money for "papers" or a crossing, or holds
//! documents. The report opens a case against the broker as given, routed to Viet Nam's side
//! first (China's side reads it), and its reference lets the reporter follow it without an
//! account. No identity-document number is ever asked for.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::model::{
    MAX_TEXT, contact, language, new_reference, open_case, optional_text, reporter, standing, typed_reference,
};
use crate::actor::Actor;
use crate::db::compliance::{self as store, BrokerReportRow};
use crate::db::{self, DbConnection, reference};
use crate::domain::broker::{self, BrokerConduct, Refusal};
use crate::domain::calendar::{china_day, within_scheme_years};
use crate::domain::case::{CaseKind, CaseStatus, SubjectKind};
use crate::domain::event::EventType;
use crate::domain::money::Fen;
use crate::error::AppError;
use crate::ids::BrokerReportId;
use crate::services::accounts::invalid;
use crate::services::events::{self, NewEvent, Subject};
use crate::services::limits::{self, Limit};
use crate::state::AppState;

/// The longest name, phone number or place a report gives.
const MAX_SHORT: usize = 200;

/// A report against an unlicensed broker, from anyone. It needs what the broker did (`kinds`)
/// and something to act on: the broker's name or phone number as the reporter knows them, or
/// what happened (`description`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrokerReportInput {
    /// What the broker did, at least one of: recruits_without_licence, took_money_for_papers,
    /// took_money_for_crossing, holds_documents, other.
    #[serde(default)]
    #[schema(example = json!(["took_money_for_papers", "holds_documents"]))]
    pub kinds: Vec<String>,
    /// The broker's name as the reporter knows it (a nickname will do); at most 200 characters.
    #[schema(example = "Anh Tư")]
    pub broker_name: Option<String>,
    /// The broker's phone number as given; at most 200 characters.
    #[schema(example = "0912 345 678")]
    pub broker_phone: Option<String>,
    /// Where: a village, a market, a crossing, as the reporter says it; at most 200 characters.
    #[schema(example = "chợ Đồng Đăng")]
    pub place: Option<String>,
    /// Where, as a region of the reference data (a Chinese division code or a Vietnamese
    /// province code), if known.
    #[schema(example = "VN-09")]
    pub region_code: Option<String>,
    /// When it happened (a day of 2000–2099, not after today).
    #[schema(value_type = Option<String>, format = Date)]
    pub occurred_on: Option<NaiveDate>,
    /// How much the broker asked, in fen (CNY): 1 to 100000000. At most one of this and
    /// `amount_asked_vnd`.
    pub amount_asked_fen: Option<Fen>,
    /// How much the broker asked, in đồng (VND): 1 to 10000000000.
    #[schema(example = 5_000_000)]
    pub amount_asked_vnd: Option<i64>,
    /// What happened, in the reporter's words; at most 5000 characters.
    pub description: Option<String>,
    /// vi (default), zh-CN or en.
    pub language: Option<String>,
    /// How to reach the reporter, if it wishes; only regulators read it. Without one the
    /// report is anonymous, even from a signed-in account.
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrokerReportReceipt {
    /// With it, the reporter follows the report without logging in.
    #[schema(example = "B-7KQ2MX9WPA")]
    pub reference: String,
}

/// What a reporter may learn by its reference: where the report stands. Nothing it said.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrokerReportStatus {
    pub reference: String,
    pub kinds: Vec<BrokerConduct>,
    pub status: CaseStatus,
    pub filed_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

fn refused(refusal: Refusal) -> AppError {
    invalid(refusal.field, refusal.problem)
}

/// Files a report against an unlicensed broker: a case of kind `broker`, routed to Viet Nam's
/// side. Without a contact it is anonymous, as the form promises. Each client address files
/// at most `limits.broker_reports_per_client_hourly` an hour; every try counts, refused or not
/// (429 `rate_limited` past it).
pub async fn report_broker(
    state: &AppState,
    client: Option<IpAddr>,
    actor: Option<&Actor>,
    input: BrokerReportInput,
) -> Result<BrokerReportReceipt, AppError> {
    let limit =
        Limit::hourly("broker-reports-client", state.settings.limits.broker_reports_per_client_hourly);
    limits::hit(state, limits::per_client(limit, client)).await?;
    let (actor, now) = (actor.cloned(), state.clock.now());
    db::transaction(&state.pool, move |conn| report_broker_in(conn, actor.as_ref(), input, now)).await
}

/// [`report_broker`] inside the caller's transaction (without the rate limit).
pub fn report_broker_in(
    conn: &mut DbConnection,
    actor: Option<&Actor>,
    input: BrokerReportInput,
    now: DateTime<Utc>,
) -> Result<BrokerReportReceipt, AppError> {
    // Something to act on comes first: a report with nothing in it is told what is needed.
    broker::actionable(
        input.broker_name.as_deref(),
        input.broker_phone.as_deref(),
        input.description.as_deref(),
    )
    .map_err(|r| refused(r).with("needed", json!(["broker_name", "broker_phone", "description"])))?;
    let kinds = BrokerConduct::parse_all(&input.kinds).map_err(refused)?;
    let language = language(input.language.as_deref().unwrap_or("vi"))?;
    let broker_name = optional_text("broker_name", input.broker_name.as_deref(), MAX_SHORT)?;
    let broker_phone = optional_text("broker_phone", input.broker_phone.as_deref(), MAX_SHORT)?;
    let place = optional_text("place", input.place.as_deref(), MAX_SHORT)?;
    let description = optional_text("description", input.description.as_deref(), MAX_TEXT)?;
    let contact = contact(input.contact.as_deref())?;
    if let Some(day) = input.occurred_on
        && (!within_scheme_years(day) || day > china_day(now))
    {
        return Err(invalid("occurred_on", "a day of 2000–2099, not after today"));
    }
    broker::amount_asked(input.amount_asked_fen, input.amount_asked_vnd).map_err(refused)?;
    let region_code = input.region_code.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(code) = &region_code
        && reference::region_chain(conn, code)?.is_empty()
    {
        return Err(invalid("region_code", "a region of the reference data"));
    }

    let by = reporter(actor, contact.as_ref());
    let subject = (SubjectKind::Broker, None);
    let case_id =
        open_case(conn, CaseKind::Broker, subject, region_code.as_deref(), None, Fen::ZERO, by, now)?;
    let reference = new_reference("B");
    let row = BrokerReportRow {
        id: BrokerReportId::generate(),
        reference: reference.clone(),
        kinds: BrokerConduct::join(&kinds),
        broker_name,
        broker_phone,
        place,
        region_code,
        occurred_on: input.occurred_on,
        amount_asked_fen: input.amount_asked_fen,
        amount_asked_vnd: input.amount_asked_vnd,
        description,
        language,
        contact,
        filed_by: by.cloned(),
        case_id: case_id.clone(),
        created_at: now.naive_utc(),
    };
    store::insert_broker_report(conn, &row)?;
    // What partners (the counterpart ministry, border posts) read: what and where, never who —
    // neither the broker as named nor the reporter.
    let data = json!({"kinds": kinds, "region_code": row.region_code, "occurred_on": row.occurred_on,
                      "amount_asked_fen": row.amount_asked_fen, "amount_asked_vnd": row.amount_asked_vnd});
    let subject = Subject { case_id: Some(case_id), ..Subject::default() };
    events::record(conn, NewEvent::new(EventType::BrokerReported, subject, data), now)?;
    Ok(BrokerReportReceipt { reference })
}

/// Where a report stands, by its reference; an unknown reference is 404.
pub async fn broker_report_status(state: &AppState, reference: &str) -> Result<BrokerReportStatus, AppError> {
    let reference = reference.to_owned();
    db::run(&state.pool, move |conn| broker_report_status_in(conn, &reference)).await
}

fn broker_report_status_in(conn: &mut DbConnection, reference: &str) -> Result<BrokerReportStatus, AppError> {
    let report = store::broker_report_by_reference(conn, &typed_reference(reference))?
        .ok_or_else(AppError::not_found)?;
    let (status, resolved_at) = standing(conn, &report.case_id)?;
    Ok(BrokerReportStatus {
        reference: report.reference,
        kinds: BrokerConduct::split(&report.kinds),
        status,
        filed_at: report.created_at.and_utc(),
        resolved_at,
    })
}
