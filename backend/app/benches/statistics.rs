//! How long each statistics question takes over a season of 150,000 workers
//! (`services::statistics::figures_in`, the public question, suppressed as the API answers
//! anyone): every indicator over the last twelve months in total, by month, by each other
//! breakdown it answers, narrowed to Chongzuo, and over ten years by month.
//!
//! ```sh
//! cargo bench -p seasonlink --bench statistics                  # SQLite in a temp dir
//! DATABASE_URL=/work/season.sqlite cargo bench -p seasonlink --bench statistics
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/season_scale \
//!     cargo bench -p seasonlink --bench statistics              # a rerun reuses the data
//! ```
//!
//! The data is `seasonlink demo --scale season`'s (`demo::season`), loaded first when the
//! database holds no season yet. `BENCH_REPEATS` (default 3) asks each question that many
//! times and keeps the slowest.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use seasonlink::db::{self, ConnectionManager, DatabaseUrl, DbConnection};
use seasonlink::demo::season::{self, SeasonSize};
use seasonlink::domain::calendar::china_day;
use seasonlink::domain::statistics::{Breakdown, Indicator};
use seasonlink::services::statistics::{self, Ask};

/// Chongzuo, the prefecture most of the season works in.
const CHONGZUO: &str = "451400";
/// The slowest a question may take (issue 13).
const BAR: Duration = Duration::from_millis(500);

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let repeats: usize = match std::env::var("BENCH_REPEATS") {
        Ok(value) => value.parse().with_context(|| format!("BENCH_REPEATS={value}"))?,
        Err(_) => 3,
    };
    let dir = tempfile::tempdir()?;
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).map_err(anyhow::Error::msg)?,
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    println!("database: {}", url.redacted());
    let mut conn = ConnectionManager::new(url).open()?;
    db::run_migrations(&mut conn)?;

    // A fixed instant, so every run asks about the same season whatever today is.
    let now = DateTime::parse_from_rfc3339("2026-12-01T04:00:00Z")?.with_timezone(&Utc);
    let payslips: i64 = {
        use seasonlink::db::schema::payslips;
        payslips::table.count().get_result(&mut conn)?
    };
    if payslips < 100_000 {
        let started = Instant::now();
        let report = season::load_season(&mut conn, now, &SeasonSize::season(), season::SEASON_SEED)
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
        println!("season loaded in {:.1} s: {report:?}", started.elapsed().as_secs_f64());
    }
    analyse(&mut conn)?;

    let today = china_day(now);
    let ten_years_ago = (today - chrono::Months::new(120) + chrono::Days::new(1)).to_string();
    let mut worst: Vec<(Duration, String)> = Vec::new();
    println!(
        "| indicator | 12 months | by month | by other breakdown (slowest) | in Chongzuo | 10 years by month |"
    );
    println!("|---|---|---|---|---|---|");
    for indicator in Indicator::ALL.iter().copied() {
        let ask = |by: Option<&str>, from: Option<&str>, region: Option<&str>| Ask {
            from: from.map(str::to_owned),
            by: by.map(str::to_owned),
            indicators: Some(indicator.as_str().to_owned()),
            region: region.map(str::to_owned),
            ..Ask::default()
        };
        let mut time = |ask: Ask| -> anyhow::Result<Duration> {
            let question = format!("{indicator} {}", ask.query());
            let mut slowest = Duration::ZERO;
            for _ in 0..repeats.max(1) {
                let started = Instant::now();
                statistics::figures_in(&mut conn, None, ask.clone(), today)
                    .map_err(|e| anyhow::anyhow!("{question}: {}", e.describe()))?;
                slowest = slowest.max(started.elapsed());
            }
            worst.push((slowest, question));
            Ok(slowest)
        };
        let cell = |d: Option<Duration>| d.map_or_else(|| "—".to_owned(), |d| format!("{:.0} ms", millis(d)));
        let total = time(ask(None, None, None))?;
        let monthly = if indicator.breakdowns().contains(&Breakdown::Month) {
            Some(time(ask(Some("month"), None, None))?)
        } else {
            None
        };
        let mut other: Option<(Duration, Breakdown)> = None;
        for breakdown in indicator.breakdowns().iter().filter(|b| **b != Breakdown::Month) {
            let d = time(ask(Some(breakdown.as_str()), None, None))?;
            if other.is_none_or(|(slowest, _)| d > slowest) {
                other = Some((d, *breakdown));
            }
        }
        let narrowed =
            if indicator.has_worksite() { Some(time(ask(None, None, Some(CHONGZUO)))?) } else { None };
        let decade = match monthly {
            Some(_) => Some(time(ask(Some("month"), Some(&ten_years_ago), None))?),
            None => Some(time(ask(None, Some(&ten_years_ago), None))?),
        };
        println!(
            "| `{indicator}` | {} | {} | {} | {} | {} |",
            cell(Some(total)),
            cell(monthly),
            other.map_or_else(|| "—".to_owned(), |(d, b)| format!("{:.0} ms ({b})", millis(d))),
            cell(narrowed),
            cell(decade),
        );
    }
    worst.sort();
    let over = worst.iter().filter(|(d, _)| *d >= BAR).count();
    println!("\n{} questions, {repeats} times each; {over} at or over {} ms", worst.len(), BAR.as_millis());
    for (d, question) in worst.iter().rev().take(5) {
        println!("  {:.0} ms  {question}", millis(*d));
    }
    Ok(())
}

/// Fresh planner statistics after a bulk load, as the loader leaves them.
fn analyse(conn: &mut DbConnection) -> anyhow::Result<()> {
    diesel::sql_query("ANALYZE").execute(conn)?;
    Ok(())
}
