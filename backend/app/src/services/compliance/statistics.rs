//! The regulator's compliance view: how many payslips comply, what workers are owed, the
//! open cases by kind and region, the employers and agencies with the most findings, and the
//! reports against unlicensed brokers per region and month; as JSON, as CSV, or with the
//! names a page shows.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::actor::Actor;
use crate::db::compliance as store;
use crate::db::{self, DbConnection};
use crate::domain::calendar::china_day;
use crate::domain::case::{CaseKind, CaseStatus};
use crate::domain::money::Fen;
use crate::domain::statistics::Period;
use crate::error::{AppError, ErrorCode};
use crate::services::reference::Reference;
use crate::state::AppState;

/// A count by name, most first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// The regulator's compliance view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Compliance {
    pub payslips: i64,
    pub compliant_payslips: i64,
    /// Compliant payslips per thousand (0 when there are none): integer, no floats.
    pub compliance_per_mille: i64,
    /// What the findings say workers are owed, in fen.
    pub shortfall_fen: Fen,
    pub open_cases_by_kind: Vec<Count>,
    pub open_cases_by_region: Vec<Count>,
    /// Employers with the most non-compliant payslips and cases.
    pub employers_most_findings: Vec<Count>,
    /// Agencies with the most cases (fees, complaints).
    pub agencies_most_findings: Vec<Count>,
    /// The months `broker_reports_by_region_month` counts: the twelve up to today (China's
    /// calendar), oldest first.
    pub broker_report_months: Vec<String>,
    /// Reports against unlicensed brokers filed in those months, per region reported and
    /// month filed; a region and month with none is left out.
    pub broker_reports_by_region_month: Vec<RegionMonth>,
}

/// Reports against unlicensed brokers in one region and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RegionMonth {
    /// Where the broker was reported: a Chinese prefecture (a county counts in its
    /// prefecture) or a Vietnamese province, by code; "-" for a report that named no region.
    #[schema(example = "VN-09")]
    pub region: String,
    /// The month the report was filed, by its day in China (Asia/Shanghai): `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub month: String,
    pub count: i64,
}

fn ranked(counts: BTreeMap<String, i64>, limit: usize) -> Vec<Count> {
    let mut list: Vec<Count> = counts.into_iter().map(|(key, count)| Count { key, count }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    list.truncate(limit);
    list
}

/// The compliance view (regulators).
pub async fn compliance(state: &AppState, actor: &Actor) -> Result<Compliance, AppError> {
    let (actor, today) = (actor.clone(), state.clock.today());
    db::run(&state.pool, move |conn| {
        let reference = Reference::load(conn)?;
        compliance_in(conn, &actor, today, &reference)
    })
    .await
}

/// [`compliance`] on the caller's connection, as of `today` (China's day).
fn compliance_in(
    conn: &mut DbConnection,
    actor: &Actor,
    today: NaiveDate,
    reference: &Reference,
) -> Result<Compliance, AppError> {
    // A provincial authority reads its province's figures, as it reads its records.
    let within = super::cases::jurisdiction_of(conn, actor)?;
    let months = Period::last_twelve_months(today);
    let (payslips, compliant_payslips) = store::payslip_counts(conn, &within)?;
    let (mut by_kind, mut by_region, mut employers, mut agencies) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut brokers: BTreeMap<(String, String), i64> = BTreeMap::new();
    for case in store::case_facts(conn, &within)? {
        let filed = china_day(case.opened_at.and_utc());
        if case.kind == CaseKind::Broker.as_str() && (months.first..=months.last).contains(&filed) {
            let region = case.region_code.as_deref().map_or("-", |r| reference.prefecture_of(r)).to_owned();
            let month = format!("{:04}-{:02}", filed.year(), filed.month());
            *brokers.entry((region, month)).or_insert(0) += 1;
        }
        if case.status != CaseStatus::Resolved.as_str() {
            *by_region.entry(case.region_code.unwrap_or_else(|| "-".into())).or_insert(0) += 1;
            *by_kind.entry(case.kind).or_insert(0) += 1;
        }
        let target = match case.subject_kind.as_str() {
            "employer" => &mut employers,
            "agency" => &mut agencies,
            _ => continue,
        };
        *target.entry(case.subject_id.unwrap_or_default()).or_insert(0) += 1;
    }
    Ok(Compliance {
        payslips,
        compliant_payslips,
        compliance_per_mille: if payslips == 0 { 0 } else { compliant_payslips * 1000 / payslips },
        shortfall_fen: store::owed_total(conn, &within)?
            .ok_or_else(|| AppError::new(ErrorCode::Internal).with_detail("shortfall overflow"))?,
        open_cases_by_kind: ranked(by_kind, 10),
        open_cases_by_region: ranked(by_region, 20),
        employers_most_findings: ranked(employers, 10),
        agencies_most_findings: ranked(agencies, 10),
        broker_report_months: months.months(),
        broker_reports_by_region_month: brokers
            .into_iter()
            .map(|((region, month), count)| RegionMonth { region, month, count })
            .collect(),
    })
}

/// The compliance view with what its keys stand for, as the regulator's page names them.
#[derive(Debug, Clone)]
pub struct NamedCompliance {
    pub figures: Compliance,
    /// The regions, named in every language.
    pub reference: Reference,
    /// Every employer's name by its id.
    pub employers: HashMap<String, String>,
    /// Every agency's name by its id.
    pub agencies: HashMap<String, String>,
}

/// [`compliance`] with the names of its regions, employers and agencies (regulators).
pub async fn compliance_named(state: &AppState, actor: &Actor) -> Result<NamedCompliance, AppError> {
    let actor = actor.clone();
    let today = state.clock.today();
    db::run(&state.pool, move |conn| {
        let reference = Reference::load(conn)?;
        let figures = compliance_in(conn, &actor, today, &reference)?;
        let employers = crate::db::employers::list(conn, None)?
            .into_iter()
            .map(|e| (e.id.into_string(), e.name))
            .collect();
        let agencies =
            crate::db::agencies::list(conn)?.into_iter().map(|a| (a.id.into_string(), a.name)).collect();
        Ok(NamedCompliance { figures, reference, employers, agencies })
    })
    .await
}

/// The compliance view as CSV: one `section,key,value` line per figure; a broker report
/// cell's key is `<region>/<YYYY-MM>`.
pub fn compliance_csv(c: &Compliance) -> String {
    let mut out = String::from("section,key,value\n");
    for (key, value) in [
        ("payslips", c.payslips),
        ("compliant_payslips", c.compliant_payslips),
        ("compliance_per_mille", c.compliance_per_mille),
        ("shortfall_fen", c.shortfall_fen.get()),
    ] {
        out.push_str(&format!("totals,{key},{value}\n"));
    }
    for (section, list) in [
        ("open_cases_by_kind", &c.open_cases_by_kind),
        ("open_cases_by_region", &c.open_cases_by_region),
        ("employers_most_findings", &c.employers_most_findings),
        ("agencies_most_findings", &c.agencies_most_findings),
    ] {
        for count in list {
            out.push_str(&format!("{section},{},{}\n", count.key, count.count));
        }
    }
    for cell in &c.broker_reports_by_region_month {
        out.push_str(&format!(
            "broker_reports_by_region_month,{}/{},{}\n",
            cell.region, cell.month, cell.count
        ));
    }
    out
}
