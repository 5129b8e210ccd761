//! The demand outlook: for a season, per month, occupation and region, the positions verified
//! employers have opened or planned, the workers expected to fill them and to be home on
//! time — learned from the last two seasons' figures (STATISTICS.md, "The demand outlook").
//! Demand is gathered from employers, not decreed: the outlook sets no quota.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::db::statistics::{self as queries, Narrowing};
use crate::db::{self, DbConnection};
use crate::domain::account::Role;
use crate::domain::statistics::{Breakdown, Cell, DEFINITIONS_VERSION, Indicator, Period, Season};
use crate::error::AppError;
use crate::services::accounts::invalid;
use crate::services::authorities;
use crate::services::reference::Reference;
use crate::services::statistics::cells_in;
use crate::state::AppState;

/// The version of the outlook's method (STATISTICS.md); a change makes a new one.
pub const METHOD_VERSION: &str = "outlook-2026-12-1";

/// The fewest positions posted (or returns and overstays) a rate is learned from; a narrower
/// scope with fewer falls back to a wider one.
pub const SMALLEST_HISTORY: i64 = 20;

/// The outlook of a season.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Outlook {
    #[schema(example = "outlook-2026-12-1")]
    pub method_version: String,
    /// The version of the statistics' definitions its rates are computed with.
    pub definitions_version: String,
    #[schema(example = "2026/27")]
    pub season: String,
    /// The seasons its rates are learned from.
    pub learned_from: Vec<String>,
    /// A provincial authority's region, when the outlook is narrowed to it.
    pub region: Option<String>,
    pub rows: Vec<OutlookRow>,
}

/// One month, occupation and region (the worksite's prefecture).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OutlookRow {
    #[schema(example = "2026-12")]
    pub month: String,
    pub occupation: String,
    pub region: String,
    /// Positions of open vacancies whose season covers the month.
    pub open_positions: i64,
    /// Positions of planned vacancies (saved as drafts by verified employers).
    pub planned_positions: i64,
    /// Of the positions posted in the last two seasons, how many were filled (‰), and over
    /// what scope it was learned: `occupation_and_region`, `region` or `all`; none without
    /// enough history.
    pub fill_rate_per_mille: Option<i64>,
    pub fill_rate_scope: Option<String>,
    /// (open + planned) × fill rate, rounded down.
    pub expected_fill: Option<i64>,
    /// The on-time return rate (‰) of the same kind of scope, and the workers expected home
    /// on time: expected fill × that rate, rounded down.
    pub on_time_return_rate_per_mille: Option<i64>,
    pub return_rate_scope: Option<String>,
    pub expected_returns_on_time: Option<i64>,
}

/// The outlook of `season` (by default the season today falls in), for regulators of both
/// sides and agencies, which plan recruitment and pre-departure sessions with it. A
/// provincial authority of China's side reads its own region's.
pub async fn outlook(state: &AppState, actor: &Actor, season: Option<&str>) -> Result<Outlook, AppError> {
    actor.require_any(&[Role::Regulator, Role::Agency])?;
    let today = state.clock.today();
    let season = match season.map(str::trim).filter(|s| !s.is_empty()) {
        None => Season::of(today),
        Some(text) => {
            Season::parse(text).ok_or_else(|| invalid("season", "a season, e.g. 2026/27 or 2026"))?
        }
    };
    let actor = actor.clone();
    db::run(&state.pool, move |conn| outlook_in(conn, &actor, season)).await
}

fn outlook_in(conn: &mut DbConnection, actor: &Actor, season: Season) -> Result<Outlook, AppError> {
    let regions = own_regions(conn, actor)?;
    let reference = Reference::load(conn)?;
    let history =
        Period { first: season.previous().previous().period().first, last: season.previous().period().last };
    let fill = Rates::learn(conn, history, Indicator::PositionsPosted, Indicator::PositionsFilled)?;
    let returns = Rates::learn(conn, history, Indicator::OnTimeReturnRate, Indicator::OnTimeReturnRate)?;

    let mut demand: BTreeMap<(String, String, String), (i64, i64)> = BTreeMap::new();
    for vacancy in queries::demand(conn, season.period())? {
        if regions.as_ref().is_some_and(|own| !own.contains(&vacancy.region_code)) {
            continue;
        }
        let prefecture = reference.prefecture_of(&vacancy.region_code).to_owned();
        for month in season.period().months() {
            let Some(covered) = month_period(&month) else { continue };
            if vacancy.season_start > covered.last || vacancy.season_end < covered.first {
                continue;
            }
            let cell =
                demand.entry((month, vacancy.occupation_code.clone(), prefecture.clone())).or_default();
            let positions = i64::from(vacancy.headcount);
            if vacancy.status == "open" {
                cell.0 += positions;
            } else {
                cell.1 += positions;
            }
        }
    }
    let rows = demand
        .into_iter()
        .map(|((month, occupation, region), (open, planned))| {
            let (fill_rate, fill_scope) = fill.rate(&occupation, &region);
            let (return_rate, return_scope) = returns.rate(&occupation, &region);
            let expected_fill = fill_rate.map(|rate| (open + planned).saturating_mul(rate) / 1000);
            OutlookRow {
                month,
                occupation,
                region,
                open_positions: open,
                planned_positions: planned,
                fill_rate_per_mille: fill_rate,
                fill_rate_scope: fill_scope.map(str::to_owned),
                expected_fill,
                on_time_return_rate_per_mille: return_rate,
                return_rate_scope: return_scope.map(str::to_owned),
                expected_returns_on_time: expected_fill
                    .zip(return_rate)
                    .map(|(fill, rate)| fill * rate / 1000),
            }
        })
        .collect();
    Ok(Outlook {
        method_version: METHOD_VERSION.into(),
        definitions_version: DEFINITIONS_VERSION.into(),
        season: season.label(),
        learned_from: vec![season.previous().previous().label(), season.previous().label()],
        region: regions.and_then(|r| r.first().cloned()),
        rows,
    })
}

/// The worksite regions a regulator of a provincial authority of China's side oversees;
/// none for anyone else (Viet Nam's provincial authorities plan from the whole of China's
/// demand).
fn own_regions(conn: &mut DbConnection, actor: &Actor) -> Result<Option<Vec<String>>, AppError> {
    Ok(match authorities::scope_in(conn, actor)? {
        Scope::Authority(jurisdiction) => jurisdiction.worksites().map(<[String]>::to_vec),
        _ => None,
    })
}

/// `YYYY-MM` as a period.
fn month_period(month: &str) -> Option<Period> {
    let day = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    Period::month(day.year(), day.month())
}

/// A rate learned at three scopes: an occupation in a region, a region, everything.
struct Rates {
    pairs: Vec<Cell>,
    regions: Vec<Cell>,
    all: Vec<Cell>,
}

impl Rates {
    /// `part` ÷ `whole` over the history; for a rate indicator (`part == whole`), its own
    /// numerator and denominator.
    fn learn(
        conn: &mut DbConnection,
        history: Period,
        whole: Indicator,
        part: Indicator,
    ) -> Result<Rates, AppError> {
        let mut at = |by: &[Breakdown]| -> Result<Vec<Cell>, AppError> {
            let whole_cells = cells_in(conn, whole, history, by, &Narrowing::default())?;
            if part == whole {
                return Ok(whole_cells);
            }
            let part_cells = cells_in(conn, part, history, by, &Narrowing::default())?;
            Ok(whole_cells
                .into_iter()
                .map(|cell| {
                    let filled =
                        part_cells.iter().find(|p| p.keys == cell.keys).and_then(|p| p.value).unwrap_or(0);
                    let posted = cell.value.unwrap_or(0);
                    Cell { numerator: Some(filled.min(posted)), denominator: Some(posted), ..cell }
                })
                .collect())
        };
        Ok(Rates {
            pairs: at(&[Breakdown::Occupation, Breakdown::Region])?,
            regions: at(&[Breakdown::Region])?,
            all: at(&[])?,
        })
    }

    /// The rate (‰) of the narrowest scope with enough history, and the scope's name.
    fn rate(&self, occupation: &str, region: &str) -> (Option<i64>, Option<&'static str>) {
        let key = |k: &str| Some(k.to_owned());
        let scopes = [
            (self.pairs.iter().find(|c| c.keys == [key(occupation), key(region)]), "occupation_and_region"),
            (self.regions.iter().find(|c| c.keys == [key(region)]), "region"),
            (self.all.first(), "all"),
        ];
        for (cell, scope) in scopes {
            let Some(cell) = cell else { continue };
            let (numerator, denominator) = (cell.numerator.unwrap_or(0), cell.denominator.unwrap_or(0));
            if denominator >= SMALLEST_HISTORY {
                return (Cell::per_mille(numerator, denominator), Some(scope));
            }
        }
        (None, None)
    }
}
