//! Pay that never comes (issue 18). Every worked placement owes pay for each half-month of
//! its days ([`half_months`]); once a day the pay watch raises a `pay_missing` finding for a
//! period still unreported `rules.pay_grace_days` after it ended — on the placement's open
//! missing-pay case, or on a new wage case against the employer — and tells the worker. A
//! payslip that covers the period settles it (`model::settle_pay_gaps`). The parties read
//! where each period stands; regulators read, per employer, the periods expected, reported,
//! late and missing.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::model::{PAY_MISSING, open_case, store_findings};
use crate::actor::Actor;
use crate::db::compliance::{self as store, PayGapRow, WorkSpanRow};
use crate::db::{self, DbConnection};
use crate::domain::calendar::china_day;
use crate::domain::case::{CaseKind, CaseStatus, SubjectKind};
use crate::domain::event::EventType;
use crate::domain::money::Fen;
use crate::domain::page::PageRequest;
use crate::domain::pay_period::{Period, PeriodState, half_months};
use crate::domain::payslip::{Finding, MAX_PAY_DELAY_DAYS};
use crate::error::AppError;
use crate::ids::{CaseId, EmployerId, PlacementId};
use crate::services::accounts::invalid;
use crate::services::events::{self, NewEvent, Subject};
use crate::services::placements;
use crate::services::statistics::csv_field;
use crate::state::AppState;

/// One pay period a placement owes, and where it stands today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayPeriod {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub state: PeriodState,
    /// The last day its pay may come without being late.
    pub due_by: NaiveDate,
    /// The case a missing period is on.
    pub case_id: Option<CaseId>,
}

/// The days a placement's worker worked, as far as `today`: from the China day it crossed
/// to the earliest of the season's last day, the day its work ended and today.
fn days_worked(span: &WorkSpanRow, ended: Option<NaiveDateTime>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = china_day(span.departed_at.and_utc());
    let mut last = span.season_end.min(today);
    if let Some(ended) = ended {
        last = last.min(china_day(ended.and_utc()));
    }
    (first, last)
}

/// The periods of one span on `today`, each with its state.
fn periods_of(
    span: &WorkSpanRow,
    ended: Option<NaiveDateTime>,
    reported: &[Period],
    today: NaiveDate,
    grace_days: i64,
) -> Vec<(Period, PeriodState)> {
    let (first, last) = days_worked(span, ended, today);
    half_months(first, last)
        .into_iter()
        .map(|period| (period, PeriodState::of(period, reported, today, grace_days)))
        .collect()
}

/// The periods reported by payslips, by placement ([`store::paid_periods`]).
fn reported_by_placement(
    conn: &mut DbConnection,
    ids: Option<&[PlacementId]>,
    since: Option<NaiveDate>,
) -> Result<HashMap<PlacementId, Vec<Period>>, AppError> {
    let mut reported: HashMap<PlacementId, Vec<Period>> = HashMap::new();
    for (id, start, end, _) in store::paid_periods(conn, ids, since)? {
        reported.entry(id).or_default().push(Period::new(start, end));
    }
    Ok(reported)
}

/// The seasons the pay watch still looks at: those that ended within the longest a payslip
/// may come after its period (and the grace before that).
fn watched_since(today: NaiveDate, grace_days: i64) -> NaiveDate {
    today - Duration::days(MAX_PAY_DELAY_DAYS + grace_days)
}

/// Where each pay period of a placement stands: for its parties and regulators (404 for
/// everyone else). Empty before its worker crossed.
pub async fn pay_periods(
    state: &AppState,
    actor: &Actor,
    placement_id: &PlacementId,
) -> Result<Vec<PayPeriod>, AppError> {
    let (actor, id) = (actor.clone(), placement_id.clone());
    let (grace, now) = (state.settings.rules.pay_grace_days, state.clock.now());
    db::run(&state.pool, move |conn| pay_periods_in(conn, &actor, &id, grace, now)).await
}

/// [`pay_periods`] on the caller's connection.
pub fn pay_periods_in(
    conn: &mut DbConnection,
    actor: &Actor,
    placement_id: &PlacementId,
    grace_days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<PayPeriod>, AppError> {
    placements::require_visible(conn, actor, placement_id)?;
    let ids = std::slice::from_ref(placement_id);
    let Some((span, ended)) = store::work_spans(conn, Some(ids), None)?.into_iter().next() else {
        return Ok(Vec::new());
    };
    let reported: Vec<Period> = store::paid_periods(conn, Some(ids), None)?
        .into_iter()
        .map(|(_, s, e, _)| Period::new(s, e))
        .collect();
    let gaps = store::pay_gaps_of(conn, Some(ids), None)?;
    let today = china_day(now);
    Ok(periods_of(&span, ended, &reported, today, grace_days)
        .into_iter()
        .map(|(period, state)| PayPeriod {
            period_start: period.start,
            period_end: period.end,
            state,
            due_by: period.end + Duration::days(grace_days),
            case_id: gaps
                .iter()
                .find(|g| g.period_start == period.start && g.settled_at.is_none())
                .map(|g| g.case_id.clone()),
        })
        .collect())
}

/// The pay watch, once a day: raises every period newly missing. Returns how many. Reads
/// which placements have one on a snapshot, without holding SQLite's write lock, then raises
/// them in one transaction, each looked at again there (a payslip, or another server's
/// watch, may have come in between).
pub async fn watch_pay(state: &AppState) -> Result<usize, AppError> {
    let (grace, now) = (state.settings.rules.pay_grace_days, state.clock.now());
    let found = db::snapshot(&state.pool, move |conn| missing_of(conn, None, grace, now)).await?;
    if found.is_empty() {
        return Ok(0);
    }
    let ids: Vec<PlacementId> = found.into_iter().map(|m| m.span.placement_id).collect();
    db::transaction(&state.pool, move |conn| {
        let mut raised = 0;
        // In chunks: SQLite binds at most 32,766 values in one statement.
        for chunk in ids.chunks(5_000) {
            for missing in missing_of(conn, Some(chunk), grace, now)? {
                raised += raise(conn, missing, now)?;
            }
        }
        Ok(raised)
    })
    .await
}

/// A placement with pay periods newly missing: what the watch raises.
struct Missing {
    span: WorkSpanRow,
    periods: Vec<Period>,
    paid: Vec<Period>,
    known: Vec<PayGapRow>,
}

/// The placements (of `ids`, when given) with a period missing today that is not raised yet.
fn missing_of(
    conn: &mut DbConnection,
    ids: Option<&[PlacementId]>,
    grace_days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Missing>, AppError> {
    let today = china_day(now);
    let since = Some(watched_since(today, grace_days));
    let mut reported = reported_by_placement(conn, ids, since)?;
    let mut gaps: HashMap<PlacementId, Vec<PayGapRow>> = HashMap::new();
    for gap in store::pay_gaps_of(conn, ids, since)? {
        gaps.entry(gap.placement_id.clone()).or_default().push(gap);
    }
    let mut found = Vec::new();
    for (span, ended) in store::work_spans(conn, ids, since)? {
        let paid = reported.remove(&span.placement_id).unwrap_or_default();
        let known = gaps.remove(&span.placement_id).unwrap_or_default();
        let periods: Vec<Period> = periods_of(&span, ended, &paid, today, grace_days)
            .into_iter()
            .filter(|(period, state)| {
                *state == PeriodState::Missing && !known.iter().any(|g| g.period_start == period.start)
            })
            .map(|(period, _)| period)
            .collect();
        if !periods.is_empty() {
            found.push(Missing { span, periods, paid, known });
        }
    }
    Ok(found)
}

/// Raises a placement's missing periods on its open missing-pay case (or a new one); how many.
fn raise(conn: &mut DbConnection, missing: Missing, now: DateTime<Utc>) -> Result<usize, AppError> {
    let case_id = case_for(conn, &missing.span, &missing.known, now)?;
    for &period in &missing.periods {
        raise_one(conn, &missing.span, &case_id, period, &missing.paid, now)?;
    }
    Ok(missing.periods.len())
}

/// The placement's open missing-pay case, or a new wage case against its employer.
fn case_for(
    conn: &mut DbConnection,
    span: &WorkSpanRow,
    known: &[PayGapRow],
    now: DateTime<Utc>,
) -> Result<CaseId, AppError> {
    let open: HashSet<&CaseId> =
        known.iter().filter(|g| g.settled_at.is_none()).map(|g| &g.case_id).collect();
    for case_id in open {
        if let Some(case) = store::find_case(conn, case_id)?
            && case.status != CaseStatus::Resolved.as_str()
        {
            return Ok(case.id);
        }
    }
    open_case(
        conn,
        CaseKind::Wage,
        (SubjectKind::Employer, Some(span.employer_id.as_str())),
        Some(&span.region_code),
        Some(&span.placement_id),
        Fen::ZERO,
        None,
        now,
    )
}

/// Records one missing period: the gap, its finding on the case, and the event that tells the
/// worker (and partners).
fn raise_one(
    conn: &mut DbConnection,
    span: &WorkSpanRow,
    case_id: &CaseId,
    period: Period,
    paid: &[Period],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::insert_pay_gap(
        conn,
        &PayGapRow {
            placement_id: span.placement_id.clone(),
            period_start: period.start,
            period_end: period.end,
            employer_id: span.employer_id.clone(),
            case_id: case_id.clone(),
            found_at: now.naive_utc(),
            settled_at: None,
        },
    )?;
    let reported_days = paid.iter().filter_map(|p| period.shared_days(*p)).sum();
    let found = Finding {
        code: PAY_MISSING.to_owned(),
        required: period.days(),
        actual: reported_days,
        owed_fen: Fen::ZERO,
    };
    store_findings(conn, case_id, None, &span.placement_id, std::slice::from_ref(&found), now)?;
    let subject = Subject {
        placement_id: Some(span.placement_id.clone()),
        worker_id: Some(span.worker_id.clone()),
        employer_id: Some(span.employer_id.clone()),
        case_id: Some(case_id.clone()),
        ..Subject::default()
    };
    let data = json!({"period_start": period.start, "period_end": period.end});
    events::record(conn, NewEvent::new(EventType::PayMissing, subject, data), now)?;
    Ok(())
}

/// How an employer pays, over the placements a regulator oversees.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployerPay {
    pub employer_id: EmployerId,
    pub employer_name: String,
    /// Placements whose worker crossed to work for it.
    pub placements: i64,
    /// Pay periods that have ended.
    pub periods_expected: i64,
    pub payslips_reported: i64,
    /// Payslips paid after the grace period.
    pub paid_late: i64,
    /// Periods unreported past the grace period today.
    pub periods_missing: i64,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmployerPayQuery {
    /// json (default) or csv.
    pub format: Option<String>,
    /// How many employers, those with the most missing then late periods first: 1–500
    /// (default 100).
    pub limit: Option<String>,
}

/// Per employer, the pay periods expected, reported, late and missing (regulators; a
/// provincial authority over its province's placements). Worst first.
pub async fn employer_pay(
    state: &AppState,
    actor: &Actor,
    query: EmployerPayQuery,
) -> Result<Vec<EmployerPay>, AppError> {
    let actor = actor.clone();
    let (grace, now) = (state.settings.rules.pay_grace_days, state.clock.now());
    db::run(&state.pool, move |conn| employer_pay_in(conn, &actor, query, grace, now)).await
}

fn employer_pay_in(
    conn: &mut DbConnection,
    actor: &Actor,
    query: EmployerPayQuery,
    grace_days: i64,
    now: DateTime<Utc>,
) -> Result<Vec<EmployerPay>, AppError> {
    let within = super::cases::jurisdiction_of(conn, actor)?;
    if !matches!(query.format.as_deref(), None | Some("json" | "csv")) {
        return Err(invalid("format", "json or csv"));
    }
    let limit = usize::try_from(PageRequest::parse(query.limit.as_deref(), None)?.limit).unwrap_or(0);
    let today = china_day(now);
    let since_day = watched_since(today, grace_days);
    let since = Some(since_day);
    let reported = reported_by_placement(conn, None, since)?;
    let late: HashMap<PlacementId, i64> = store::paid_late_counts(conn, since_day)?.into_iter().collect();
    // placements, expected, reported, late, missing
    let mut by_employer: BTreeMap<EmployerId, [i64; 5]> = BTreeMap::new();
    for (span, ended) in store::work_spans(conn, None, since)? {
        if !within.covers(Some(&span.region_code), Some(&span.home_province_code)) {
            continue;
        }
        let paid = reported.get(&span.placement_id).map_or(&[][..], Vec::as_slice);
        let periods = periods_of(&span, ended, paid, today, grace_days);
        let row = by_employer.entry(span.employer_id.clone()).or_default();
        row[0] += 1;
        row[1] += periods.iter().filter(|(p, _)| p.end < today).count() as i64;
        row[2] += paid.len() as i64;
        row[3] += late.get(&span.placement_id).copied().unwrap_or(0);
        row[4] += periods.iter().filter(|(_, s)| *s == PeriodState::Missing).count() as i64;
    }
    let ids: Vec<EmployerId> = by_employer.keys().cloned().collect();
    let names = crate::db::employers::names_of(conn, &ids)?;
    let mut rows: Vec<EmployerPay> = by_employer
        .into_iter()
        .map(|(id, [placements, expected, reported, late, missing])| EmployerPay {
            employer_name: names.get(&id).cloned().unwrap_or_default(),
            employer_id: id,
            placements,
            periods_expected: expected,
            payslips_reported: reported,
            paid_late: late,
            periods_missing: missing,
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.periods_missing, b.paid_late)
            .cmp(&(a.periods_missing, a.paid_late))
            .then_with(|| a.employer_id.cmp(&b.employer_id))
    });
    rows.truncate(limit);
    Ok(rows)
}

/// [`employer_pay`] as CSV, one row per employer.
pub fn employer_pay_csv(rows: &[EmployerPay]) -> String {
    let mut csv = String::from(
        "employer_id,employer_name,placements,periods_expected,payslips_reported,paid_late,periods_missing\n",
    );
    for r in rows {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            r.employer_id,
            csv_field(&r.employer_name),
            r.placements,
            r.periods_expected,
            r.payslips_reported,
            r.paid_late,
            r.periods_missing
        ));
    }
    csv
}
