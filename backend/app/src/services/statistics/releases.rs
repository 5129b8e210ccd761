//! The monthly release (STATISTICS.md, "The monthly release"): for each closed month — one
//! whose last day has ended in China — the month's public figures as CSV, every indicator in
//! total and by each single breakdown it answers, and a JSON metadata file naming the
//! definitions' version, the period, when it was made, the CSV's SHA-256 and row count, the
//! suppression rule and the definitions themselves, for the counterpart ministry to archive.
//!
//! A release is made once, from one snapshot of the records, and stored; it never changes
//! afterwards (the database refuses to): a record that arrives late for an archived month
//! is in the API's figures but not in that month's release. [`publish_due`] makes every
//! closed month's release from the first month with records on, as the serving processes'
//! job; [`release`] makes a missing one when it is asked for.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{Ask, Definitions, FIGURE_COLUMNS, Report, csv_table, definitions, figure_fields, figures_in};
use crate::db::statistics::{self as queries, ReleaseEntry, ReleaseRow};
use crate::db::{self, DbConnection};
use crate::domain::calendar::china_day;
use crate::domain::statistics::{Breakdown, DEFINITIONS_VERSION, Indicator, Month, SMALLEST_PUBLIC_CELL};
use crate::error::AppError;
use crate::services::accounts::invalid;
use crate::state::AppState;

/// The columns of a release's CSV: each figure names its breakdown and key (none for a
/// total), then the figure as the API's CSV writes it.
pub const COLUMNS: [&str; 11] = [
    "indicator",
    "unit",
    "period",
    "breakdown",
    "key",
    FIGURE_COLUMNS[0],
    FIGURE_COLUMNS[1],
    FIGURE_COLUMNS[2],
    FIGURE_COLUMNS[3],
    FIGURE_COLUMNS[4],
    FIGURE_COLUMNS[5],
];

/// The suppression rule, as the metadata states it (STATISTICS.md, "Suppression").
const SUPPRESSION_RULE: &str = "A cell counting fewer than five people (workers, employers or \
complainants, whichever the indicator counts) is shown as <5, and so is the smallest other cell \
of the same line of the table, so that it cannot be recovered by subtracting from a total; an \
amount whose cell counts fewer than five people is suppressed with it. Agencies by licence \
status count organisations and are not suppressed.";

/// A release in the list: its month, what it was made with, and where its files are.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReleaseSummary {
    #[schema(example = "2026-11")]
    pub month: String,
    #[schema(example = "2026-12-3")]
    pub definitions_version: String,
    /// The CSV file's SHA-256, hex.
    pub sha256: String,
    /// The CSV's lines of figures (the header not counted).
    pub rows: i64,
    pub generated_at: DateTime<Utc>,
    /// The CSV file's path.
    #[schema(example = "/api/v1/statistics/releases/2026-11.csv")]
    pub csv: String,
    /// The metadata file's path.
    #[schema(example = "/api/v1/statistics/releases/2026-11.json")]
    pub metadata: String,
}

impl From<ReleaseEntry> for ReleaseSummary {
    fn from(entry: ReleaseEntry) -> Self {
        ReleaseSummary {
            csv: format!("/api/v1/statistics/releases/{}.csv", entry.month),
            metadata: format!("/api/v1/statistics/releases/{}.json", entry.month),
            month: entry.month,
            definitions_version: entry.definitions_version,
            sha256: entry.sha256,
            rows: entry.rows,
            generated_at: entry.generated_at.and_utc(),
        }
    }
}

/// The metadata file of a release.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReleaseMetadata {
    #[schema(example = "2026-11")]
    pub month: String,
    /// The month's first and last days (China's), as the CSV's `period` writes them.
    #[schema(example = "2026-11-01/2026-11-30")]
    pub period: String,
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// Whose days: China's.
    #[schema(example = "Asia/Shanghai")]
    pub time_zone: String,
    pub definitions_version: String,
    pub generated_at: DateTime<Utc>,
    pub csv: ReleaseCsv,
    pub suppression: ReleaseSuppression,
    /// The definitions the figures were computed with, as `GET /statistics/definitions`
    /// gave them when the release was made.
    pub definitions: Definitions,
}

/// The release's CSV file, as its metadata describes it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReleaseCsv {
    #[schema(example = "seasonlink-statistics-2026-11.csv")]
    pub file: String,
    /// SHA-256 of the file's bytes (UTF-8), hex.
    pub sha256: String,
    /// Lines of figures, the header not counted.
    pub rows: i64,
    pub columns: Vec<String>,
}

/// How the public figures are suppressed.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReleaseSuppression {
    /// Every figure of a release is public: suppressed.
    pub applied: bool,
    /// A cell counting fewer people than this is suppressed.
    pub smallest_public_cell: i64,
    /// How a suppressed figure reads in the CSV.
    #[schema(example = "<5")]
    pub shown_as: String,
    pub rule: String,
}

/// A release's files.
#[derive(Clone, Debug)]
pub struct Release {
    pub month: String,
    pub csv: String,
    /// The metadata file, JSON, as it was stored.
    pub metadata: String,
}

impl From<ReleaseRow> for Release {
    fn from(row: ReleaseRow) -> Self {
        Release { month: row.month, csv: row.csv, metadata: row.metadata }
    }
}

impl Release {
    /// The name the CSV is downloaded as.
    pub fn csv_file_name(&self) -> String {
        csv_file_name(&self.month)
    }

    /// The name the metadata is downloaded as.
    pub fn metadata_file_name(&self) -> String {
        format!("seasonlink-statistics-{}.json", self.month)
    }
}

fn csv_file_name(month: &str) -> String {
    format!("seasonlink-statistics-{month}.csv")
}

/// Every release made, newest month first.
pub async fn list(state: &AppState) -> Result<Vec<ReleaseSummary>, AppError> {
    let entries = db::run(&state.pool, |conn| Ok(queries::list_releases(conn)?)).await?;
    Ok(entries.into_iter().map(ReleaseSummary::from).collect())
}

/// The release of `month` (`YYYY-MM`), made now if it has not been yet: 422 for a month not
/// written so, 404 for a month not yet closed in China or before the first records. Nothing
/// is written for a refused month.
pub async fn release(state: &AppState, month: &str) -> Result<Release, AppError> {
    let month = Month::parse(month).ok_or_else(|| invalid("month", "a month, YYYY-MM"))?;
    let now = state.clock.now();
    if !month.is_closed(now) {
        return Err(AppError::not_found()
            .with_detail("a month's release is made once its last day has ended in China"));
    }
    let label = month.to_string();
    let (stored, first) = db::run(&state.pool, move |conn| {
        Ok((queries::find_release(conn, &label)?, queries::first_record_day(conn)?))
    })
    .await?;
    if let Some(stored) = stored {
        return Ok(stored.into());
    }
    if first.is_none_or(|day| month < Month::of(day)) {
        return Err(AppError::not_found().with_detail("the scheme has no records before this month"));
    }
    Ok(publish(state, month, now).await?.0.into())
}

/// Makes the release of every closed month from the first with records on that has none
/// yet, oldest first; the number made. Several servers may run it at once: a month's first
/// stored release stays, and the others' changes nothing.
pub async fn publish_due(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now();
    let (first, made) = db::run(&state.pool, |conn| {
        let made: Vec<String> = queries::list_releases(conn)?.into_iter().map(|r| r.month).collect();
        Ok((queries::first_record_day(conn)?, made))
    })
    .await?;
    let Some(first) = first else { return Ok(0) };
    let (mut month, last) = (Month::of(first), Month::last_closed(now));
    let mut published = 0;
    while month <= last {
        if !made.contains(&month.to_string()) && publish(state, month, now).await?.1 {
            published += 1;
        }
        month = month.next();
    }
    Ok(published)
}

/// Makes a month's release from one snapshot of the records and stores it unless one was
/// stored first; the stored release, and whether it is this one.
async fn publish(state: &AppState, month: Month, now: DateTime<Utc>) -> Result<(ReleaseRow, bool), AppError> {
    let made = db::snapshot(&state.pool, move |conn| make_in(conn, month, now)).await?;
    db::transaction(&state.pool, move |conn| {
        let stored_now = queries::insert_release(conn, &made)?;
        let stored = queries::find_release(conn, &made.month)?.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("the release of {} was not stored", made.month))
        })?;
        if stored_now {
            tracing::info!(month = %made.month, rows = made.rows, "statistics release made");
        }
        Ok((stored, stored_now))
    })
    .await
}

/// The release of `month` as the records read now: the public figures of every indicator, in
/// total and by each single breakdown it answers, and the metadata.
pub fn make_in(conn: &mut DbConnection, month: Month, now: DateTime<Utc>) -> Result<ReleaseRow, AppError> {
    let period = month.period();
    let today = china_day(now);
    let ask = |by: Option<Breakdown>| Ask {
        from: Some(period.first.to_string()),
        to: Some(period.last.to_string()),
        by: by.map(|b| b.as_str().to_owned()),
        ..Ask::default()
    };
    let total = figures_in(conn, None, ask(None), today)?;
    let mut by_breakdown: Vec<(Breakdown, Report)> = Vec::with_capacity(Breakdown::ALL.len());
    for &breakdown in Breakdown::ALL {
        by_breakdown.push((breakdown, figures_in(conn, None, ask(Some(breakdown)), today)?));
    }
    let label = period.label();
    let mut lines: Vec<Vec<String>> = Vec::new();
    for &indicator in Indicator::ALL {
        lines.extend(lines_of(&total, indicator, None, &label));
        for breakdown in indicator.breakdowns() {
            if let Some((_, report)) = by_breakdown.iter().find(|(b, _)| b == breakdown) {
                lines.extend(lines_of(report, indicator, Some(*breakdown), &label));
            }
        }
    }
    let rows = i64::try_from(lines.len()).unwrap_or(i64::MAX);
    let csv = csv_table(&COLUMNS, lines);
    let sha256 = format!("{:x}", Sha256::digest(csv.as_bytes()));
    let metadata = ReleaseMetadata {
        month: month.to_string(),
        period: label,
        from: period.first,
        to: period.last,
        time_zone: "Asia/Shanghai".into(),
        definitions_version: DEFINITIONS_VERSION.into(),
        generated_at: now,
        csv: ReleaseCsv {
            file: csv_file_name(&month.to_string()),
            sha256: sha256.clone(),
            rows,
            columns: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        },
        suppression: ReleaseSuppression {
            applied: true,
            smallest_public_cell: SMALLEST_PUBLIC_CELL,
            shown_as: "<5".into(),
            rule: SUPPRESSION_RULE.into(),
        },
        definitions: definitions(),
    };
    let metadata = serde_json::to_string_pretty(&metadata).map_err(AppError::internal)?;
    Ok(ReleaseRow {
        month: month.to_string(),
        definitions_version: DEFINITIONS_VERSION.into(),
        csv,
        sha256,
        rows,
        metadata,
        generated_at: now.naive_utc(),
    })
}

/// One indicator's lines of a report asked by one breakdown (or none: its total).
fn lines_of(
    report: &Report,
    indicator: Indicator,
    breakdown: Option<Breakdown>,
    period: &str,
) -> Vec<Vec<String>> {
    let Some(figures) = report.indicators.iter().find(|f| f.code == indicator.as_str()) else {
        return Vec::new();
    };
    figures
        .rows
        .iter()
        .map(|row| {
            let key = match breakdown {
                None => String::new(),
                Some(Breakdown::Month) => row.period.clone(),
                Some(b) => row.keys.get(b.as_str()).cloned().flatten().unwrap_or_default(),
            };
            let mut line = vec![
                figures.code.clone(),
                figures.unit.clone(),
                period.to_owned(),
                breakdown.map(|b| b.as_str().to_owned()).unwrap_or_default(),
                key,
            ];
            line.extend(figure_fields(row));
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_release_columns_end_with_the_api_csv_figure_columns() {
        assert_eq!(&COLUMNS[5..], &FIGURE_COLUMNS);
        assert_eq!(
            COLUMNS.join(","),
            "indicator,unit,period,breakdown,key,status,value,numerator,denominator,amount_fen,suppressed"
        );
    }
}
