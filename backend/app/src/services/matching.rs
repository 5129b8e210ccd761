//! Matching inside the app: a vacancy's ranked, explained candidates, and a season-wide
//! proposal solved exactly by `seasonlink-matching`. Nothing here writes.

use std::collections::HashMap;
use std::time::Instant;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{DbConnection, reference};
use crate::domain::scoring::{self, Facts, Parts, Weights};
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::invalid;
use crate::services::agencies::require_active_licence;
use crate::services::vacancies::{self, ListQuery, Vacancy, Viewer as VacancyViewer};
use crate::services::workers::{self, PseudonymousWorker, Viewer as WorkerViewer, Worker};

/// A worker as an employer or agency sees it when ranking: pseudonymous, with its score
/// explained part by part.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub worker_id: String,
    pub score: i64,
    pub parts: Parts,
    pub initials: String,
    pub age_band: String,
    pub home_province_code: String,
    pub seasons_worked: i32,
    pub returned_on_time: i64,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
}

/// Where places are, for travel distance: region and crossing coordinates.
struct Places {
    regions: HashMap<String, (i64, i64)>,
    crossings: HashMap<String, (i64, i64)>,
}

impl Places {
    fn load(conn: &mut DbConnection) -> Result<Places, AppError> {
        Ok(Places {
            regions: reference::regions(conn)?
                .into_iter()
                .filter_map(|r| Some((r.code, (r.lat_e6?, r.lon_e6?))))
                .collect(),
            crossings: reference::crossings(conn)?
                .into_iter()
                .map(|c| (c.code, (c.lat_e6, c.lon_e6)))
                .collect(),
        })
    }

    fn distance_km(&self, province: &str, crossing: &str) -> Option<i64> {
        Some(scoring::distance_km(*self.regions.get(province)?, *self.crossings.get(crossing)?))
    }
}

/// The worker's score for the vacancy, if it passes the hard filters.
fn score(worker: &Worker, vacancy: &Vacancy, places: &Places, weights: &Weights) -> Option<Parts> {
    let available = (worker.available_from, worker.available_until);
    let season = (vacancy.season_start, vacancy.season_end);
    if !scoring::eligible(available, season, &worker.skills, &vacancy.required_skills) {
        return None;
    }
    let facts = Facts {
        extra_skills: worker.skills.iter().filter(|s| !vacancy.required_skills.contains(s)).count(),
        seasons_worked: worker.seasons_worked,
        returned_on_time: worker.returned_on_time_count,
        // Named requests arrive with the placements issue (a worker who returned on time
        // from this employer); until then nobody is named.
        named: false,
        distance_km: places.distance_km(&worker.home_province_code, &vacancy.crossing_code),
        speaks_chinese: worker.languages.iter().any(|l| l == "zh"),
    };
    Some(scoring::score(&facts, weights))
}

/// The agency's eligible workers for one open vacancy, best first.
pub fn candidates(
    conn: &mut DbConnection,
    agency_id: &str,
    vacancy_id: &str,
    limit: usize,
    weights: &Weights,
    today: NaiveDate,
) -> Result<Vec<Candidate>, AppError> {
    require_active_licence(conn, agency_id, today)?;
    let vacancy = vacancies::find_visible(conn, vacancy_id, &VacancyViewer::Public)?;
    let places = Places::load(conn)?;
    let pool = workers::list(conn, &WorkerViewer::Agency(agency_id.to_owned()))?;
    let mut ranked: Vec<Candidate> = pool
        .iter()
        .filter_map(|w| score(w, &vacancy, &places, weights).map(|parts| (w, parts)))
        .map(|(w, parts)| {
            let p = PseudonymousWorker::of(w, today);
            Candidate {
                worker_id: p.id,
                score: parts.total(),
                parts,
                initials: p.initials,
                age_band: p.age_band,
                home_province_code: p.home_province_code,
                seasons_worked: p.seasons_worked,
                returned_on_time: p.returned_on_time_count,
                skills: p.skills,
                languages: p.languages,
            }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.worker_id.cmp(&b.worker_id)));
    ranked.truncate(limit);
    Ok(ranked)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// The open vacancies to fill; all open vacancies when absent.
    pub vacancy_ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalLine {
    pub vacancy_id: String,
    pub worker_id: String,
    pub score: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unfilled {
    pub vacancy_id: String,
    pub open: i64,
}

/// The best assignment of the agency's workers to open vacancies: nothing is written.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    pub objective: i64,
    pub lines: Vec<ProposalLine>,
    pub unfilled: Vec<Unfilled>,
    pub solve_ms: f64,
}

/// Builds the instance from the database (the agency's workers, the open vacancies) and
/// solves it exactly.
pub fn propose(
    conn: &mut DbConnection,
    agency_id: &str,
    request: ProposalRequest,
    weights: &Weights,
    today: NaiveDate,
) -> Result<Proposal, AppError> {
    require_active_licence(conn, agency_id, today)?;
    let open = vacancies::list(conn, &VacancyViewer::Public, &ListQuery::default())?;
    let chosen: Vec<Vacancy> = match request.vacancy_ids {
        None => open,
        Some(ids) => {
            let mut chosen: Vec<Vacancy> = Vec::with_capacity(ids.len());
            for id in &ids {
                let vacancy = open.iter().find(|v| &v.id == id).ok_or_else(|| {
                    invalid("vacancy_ids", "not an open vacancy").with("vacancy_id", id.as_str())
                })?;
                if !chosen.iter().any(|c| c.id == vacancy.id) {
                    chosen.push(vacancy.clone());
                }
            }
            chosen
        }
    };
    let places = Places::load(conn)?;
    let pool = workers::list(conn, &WorkerViewer::Agency(agency_id.to_owned()))?;

    // CSR by worker, as the engine takes it.
    let capacity: Vec<u32> = chosen.iter().map(|v| u32::try_from(v.headcount).unwrap_or(0)).collect();
    let mut offsets = Vec::with_capacity(pool.len() + 1);
    let (mut edge_vacancy, mut edge_score) = (Vec::new(), Vec::new());
    offsets.push(0u64);
    for worker in &pool {
        for (v, vacancy) in chosen.iter().enumerate() {
            if let Some(parts) = score(worker, vacancy, &places, weights) {
                let points = u32::try_from(parts.total().clamp(0, i64::from(seasonlink_matching::MAX_SCORE)))
                    .unwrap_or(0);
                edge_vacancy.push(v as u32);
                edge_score.push(points);
            }
        }
        offsets.push(edge_vacancy.len() as u64);
    }
    let problem = seasonlink_matching::Problem::new(&capacity, &offsets, &edge_vacancy, &edge_score)
        .map_err(|e| AppError::internal(anyhow::anyhow!("matching instance: {e:?}")))?;
    let started = Instant::now();
    let matching = seasonlink_matching::solve(&problem);
    let solve_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut filled = vec![0i64; chosen.len()];
    let mut lines = Vec::new();
    for (w, assigned) in matching.assignment.iter().enumerate() {
        let Some(v) = assigned else { continue };
        let v = *v as usize;
        let edges = offsets[w] as usize..offsets[w + 1] as usize;
        let score =
            edges.clone().find(|&e| edge_vacancy[e] as usize == v).map_or(0, |e| i64::from(edge_score[e]));
        filled[v] += 1;
        lines.push(ProposalLine { vacancy_id: chosen[v].id.clone(), worker_id: pool[w].id.clone(), score });
    }
    lines.sort_by(|a, b| a.vacancy_id.cmp(&b.vacancy_id).then(b.score.cmp(&a.score)));
    let unfilled = chosen
        .iter()
        .zip(&filled)
        .filter(|(v, n)| i64::from(v.headcount) > **n)
        .map(|(v, n)| Unfilled { vacancy_id: v.id.clone(), open: i64::from(v.headcount) - n })
        .collect();
    let objective = i64::try_from(matching.objective)
        .map_err(|_| AppError::new(ErrorCode::Internal).with_detail("objective overflow"))?;
    Ok(Proposal { objective, lines, unfilled, solve_ms })
}
