//! How fast an agency with 100,000 registered workers gets the ranked candidates of a
//! vacancy (`services::matching::candidates`, limit 20): p50, p99 and max over many calls;
//! then one season-wide proposal over all of them and every open vacancy
//! (`services::matching::propose`), end to end: reading, scoring, solving.
//!
//! ```sh
//! cargo bench -p seasonlink --bench candidates                 # SQLite in a temp dir
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_candidates \
//!     cargo bench -p seasonlink --bench candidates             # a fresh database; a rerun reuses it
//! ```
//!
//! `BENCH_WORKERS` (default 100000) and `BENCH_CALLS` (default 200) change the size.
//! The data is the demo's (`seasonlink demo`) with the demo agency grown to that many workers,
//! drawn the same way, and the vacancy is the demo's first cane-cutting job.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};

use seasonlink::actor::{Actor, Scope};
use seasonlink::config::Settings;
use seasonlink::db::{self, ConnectionManager, DatabaseUrl, DbConnection};
use seasonlink::demo;
use seasonlink::domain::account::Role;
use seasonlink::error::AppError;
use seasonlink::ids::{AgencyId, VacancyId, WorkerId};
use seasonlink::services::{matching, vacancies, workers};

fn env_number(name: &str, default: usize) -> anyhow::Result<usize> {
    match std::env::var(name) {
        Ok(value) => value.parse().with_context(|| format!("{name}={value} is not a number")),
        Err(_) => Ok(default),
    }
}

/// The refusal's code and detail (this is a command-line tool, not a log).
fn app(err: AppError) -> anyhow::Error {
    anyhow::anyhow!(err.describe())
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let target_workers = env_number("BENCH_WORKERS", 100_000)?;
    let calls = env_number("BENCH_CALLS", 200)?;
    if calls == 0 {
        bail!("BENCH_CALLS must be at least 1");
    }
    let settings = Settings::load().map_err(|e| anyhow::anyhow!("settings: {e}"))?;
    let dir = tempfile::tempdir()?;
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) => DatabaseUrl::parse(&url).map_err(anyhow::Error::msg)?,
        Err(_) => DatabaseUrl::Sqlite(dir.path().join("bench.db")),
    };
    println!("database: {}", url.redacted());
    let mut conn = ConnectionManager::new(url).open()?;
    db::run_migrations(&mut conn)?;

    // A fixed instant, so every run loads the same season whatever today is.
    let now = DateTime::parse_from_rfc3339("2026-11-29T04:00:00Z")?.with_timezone(&Utc);
    let started = Instant::now();
    let (agency_id, vacancy_id) =
        load(&mut conn, now, seasonlink::services::placements::Rules::of(&settings), target_workers)?;
    println!("{target_workers} workers of one agency ready in {:.1} s", started.elapsed().as_secs_f64());

    let (weights, today) = (settings.matching, now.date_naive());
    let agency = Actor { user_id: "bench".into(), role: Role::Agency, org_id: Some(agency_id.into()) };
    // The first call reads the registry into the profiles kept; the others rank from them
    // (after a check of the registry's stamp), as a serving process does.
    let profiles = matching::ProfileCache::default();
    let mut candidates =
        || matching::candidates_in(&mut conn, &profiles, &agency, &vacancy_id, 20, &weights, today);
    let started = Instant::now();
    candidates().map_err(app)?;
    println!("first call (reads the registry into memory): {:.1} ms", millis(started.elapsed()));
    let mut times = Vec::with_capacity(calls);
    let mut shown = 0;
    for _ in 0..calls {
        let started = Instant::now();
        let list = candidates().map_err(app)?;
        times.push(started.elapsed());
        shown = list.len();
    }
    if shown != 20 {
        bail!("expected 20 candidates, got {shown}");
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "candidates (limit 20) over {target_workers} workers, {calls} calls: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        millis(at(0.50)),
        millis(at(0.99)),
        millis(times[times.len() - 1]),
    );

    let started = Instant::now();
    let proposal = matching::propose_in(
        &mut conn,
        &matching::ProfileCache::default(),
        &agency,
        matching::ProposalRequest::default(),
        &weights,
        today,
    )
    .map_err(app)?;
    println!(
        "proposal over {target_workers} workers and every open vacancy: {} lines, objective {}, solve {:.1} ms, end to end {:.1} ms",
        proposal.lines.len(),
        proposal.objective,
        proposal.solve_ms,
        millis(started.elapsed()),
    );
    Ok(())
}

/// A return record for each season worked, most of them on time, so that ranking reads a
/// history (written in bulk: walking 180,000 placements through their journey would take
/// the bench longer than it measures).
fn returns(
    conn: &mut DbConnection,
    ids: &[WorkerId],
    seasons: &[i32],
    now: chrono::DateTime<Utc>,
) -> diesel::QueryResult<()> {
    use diesel::prelude::*;
    use seasonlink::db::schema::worker_returns as r;
    let today = now.date_naive();
    let mut rows = Vec::new();
    for (i, (worker_id, &worked)) in ids.iter().zip(seasons).enumerate() {
        for k in 0..worked {
            let start = today - chrono::Duration::days(365 * i64::from(k + 1));
            let end = start + chrono::Duration::weeks(18);
            let on_time = (i as u64).wrapping_mul(2_654_435_761).wrapping_add(k as u64) % 100 < 85;
            let returned_on = end + chrono::Duration::days(if on_time { 3 } else { 40 });
            rows.push((
                r::id.eq(uuid::Uuid::now_v7().to_string()),
                r::worker_id.eq(worker_id.clone()),
                r::season_start.eq(start),
                r::season_end.eq(end),
                r::returned_on.eq(Some(returned_on)),
                r::returned_on_time.eq(on_time),
                r::recorded_at.eq(now.naive_utc()),
            ));
        }
    }
    match conn {
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(5_000) {
                diesel::insert_into(r::table).values(chunk).execute(pg)?;
            }
        }
        DbConnection::Sqlite(_) => {
            for row in rows {
                diesel::insert_into(r::table).values(row).execute(conn)?;
            }
        }
    }
    Ok(())
}

/// The demo data, then the demo agency grown to `target` workers (a database loaded by an
/// earlier run is used as it is); returns the agency's id and the first open cane-cutting
/// vacancy's.
fn load(
    conn: &mut DbConnection,
    now: chrono::DateTime<Utc>,
    rules: seasonlink::services::placements::Rules,
    target: usize,
) -> anyhow::Result<(AgencyId, VacancyId)> {
    use diesel::prelude::*;
    use seasonlink::db::schema::workers as w;
    let posting = seasonlink::services::vacancies::PostingRules {
        deductions_cap_percent: rules.deductions_cap_percent,
        local_window_days: 0,
    };
    let fresh = demo::load(conn, now, rules, posting).map_err(app)?;
    let agency = &demo::AGENCIES[0];
    let agency_id = db::agencies::find_by_licence_number(conn, agency.licence_number)?
        .map(|a| a.id)
        .context("the demo agency")?;
    if fresh {
        grow(conn, &agency_id, now, target)?;
        if let DbConnection::Postgres(_) = conn {
            // What autovacuum would have done by the time anyone asks: statistics for the
            // planner, and no dead row versions left by the return counts' trigger.
            diesel::connection::SimpleConnection::batch_execute(conn, "VACUUM ANALYZE")?;
        }
    }
    let count: i64 = w::table.filter(w::agency_id.eq(&agency_id)).count().get_result(conn)?;
    if usize::try_from(count)? != target {
        bail!("the demo agency has {count} workers, not {target}: give a fresh database");
    }
    let vacancy_id = vacancies::list_in(conn, &Scope::Public, &Default::default())
        .map_err(app)?
        .into_iter()
        .find(|v| v.occupation_code == "sugarcane_cutting" && !v.required_skills.is_empty())
        .map(|v| v.id)
        .context("a cane-cutting vacancy")?;
    Ok((agency_id, vacancy_id))
}

/// Registers workers for the demo agency, drawn as the demo's are, up to `target`.
fn grow(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    now: chrono::DateTime<Utc>,
    target: usize,
) -> anyhow::Result<()> {
    use diesel::Connection;
    let agency = &demo::AGENCIES[0];
    let today = now.date_naive();
    let season_start = today + chrono::Duration::days(7);
    // A seed of its own; numbers the demo registered already are left out.
    let mut drafts = demo::worker_drafts(0xBE7C_4000, target, agency.home_province, today, season_start);
    let numbers: Vec<String> = drafts.iter().map(|d| d.id_document_number.clone()).collect();
    let taken = db::workers::registered_documents(conn, &numbers, None)?;
    drafts.retain(|d| !taken.contains(&d.id_document_number));
    drafts.truncate(target.saturating_sub(agency.workers));
    let seasons: Vec<i32> = drafts.iter().map(|d| d.seasons_worked.unwrap_or(0)).collect();
    let registrar =
        Actor { user_id: "bench".into(), role: Role::Agency, org_id: Some(agency_id.clone().into()) };
    let ids = conn.transaction(|conn| workers::register_many(conn, &registrar, drafts, now)).map_err(app)?;
    conn.transaction(|conn| returns(conn, &ids, &seasons, now))?;
    Ok(())
}
