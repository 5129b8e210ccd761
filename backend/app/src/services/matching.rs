//! Matching inside the app: a vacancy's ranked, explained candidates, and a season-wide
//! proposal solved exactly by `seasonlink-matching`. Only [`make_offers`] writes: the lines
//! an agency keeps become offers. Each is an agency's, for its own workers, while its
//! licence is active.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::actor::{Actor, Scope};
use crate::db::agencies as agency_rows;
use crate::db::placements as placement_rows;
use crate::db::workers::{self as worker_rows, DatedProfile, MatchProfile};
use crate::db::{self, DbConnection, reference};
use crate::domain::calendar::china_day;
use crate::domain::scoring::{self, Facts, Parts, Weights};
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, PlacementId, VacancyId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::agencies::require_active_licence;
use crate::services::placements::{self, OfferInput, Rules};
use crate::services::vacancies::{self, ListQuery, Vacancy};
use crate::services::workers::{self, PseudonymousWorker};
use crate::state::AppState;

/// A worker as an employer or agency sees it when ranking: pseudonymous, with its score
/// explained part by part.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub worker_id: WorkerId,
    pub score: i64,
    pub parts: Parts,
    pub initials: String,
    pub age_band: String,
    pub home_province_code: String,
    /// Seasons the agency declared, which nobody verified.
    pub seasons_worked: i32,
    /// Seasons the scheme recorded (a return per placement).
    pub seasons_verified: i64,
    pub returned_on_time: i64,
    pub skills: Vec<String>,
    pub languages: Vec<String>,
    /// From the worker's home province to the vacancy's border crossing, when both are known.
    pub distance_km: Option<i64>,
}

/// How far every region is from every border crossing, in whole kilometres (a few hundred
/// pairs, worked out once per request rather than once per worker).
struct Places {
    /// By crossing, then by region.
    km: HashMap<String, HashMap<String, i64>>,
}

impl Places {
    fn load(conn: &mut DbConnection) -> Result<Places, AppError> {
        let regions: Vec<(String, (i64, i64))> = reference::regions(conn)?
            .into_iter()
            .filter_map(|r| Some((r.code, (r.lat_e6?, r.lon_e6?))))
            .collect();
        let km = reference::crossings(conn)?
            .into_iter()
            .map(|c| {
                let from = regions
                    .iter()
                    .map(|(code, at)| (code.clone(), scoring::distance_km(*at, (c.lat_e6, c.lon_e6))))
                    .collect();
                (c.code, from)
            })
            .collect();
        Ok(Places { km })
    }

    fn distance_km(&self, province: &str, crossing: &str) -> Option<i64> {
        self.km.get(crossing)?.get(province).copied()
    }
}

/// What the score needs to know of the worker and the vacancy, if the worker passes the
/// hard filters; `available` is when the worker is available.
fn facts(
    worker: &MatchProfile,
    available: (NaiveDate, NaiveDate),
    vacancy: &Vacancy,
    places: &Places,
    named: bool,
) -> Option<Facts> {
    let season = (vacancy.season_start, vacancy.season_end);
    if !scoring::eligible(available, season, worker.skills(), &vacancy.required_skills) {
        return None;
    }
    Some(Facts {
        extra_skills: worker.skills().filter(|s| !vacancy.required_skills.iter().any(|r| r == s)).count(),
        seasons_verified: worker.seasons_verified,
        seasons_declared: worker.seasons_worked,
        returned_on_time: i64::from(worker.returned_on_time),
        named,
        distance_km: places.distance_km(&worker.home_province_code, &vacancy.crossing_code),
        speaks_chinese: worker.languages().any(|l| l == "zh"),
    })
}

fn available(worker: &DatedProfile) -> (NaiveDate, NaiveDate) {
    (worker.available_from, worker.available_until)
}

/// Who is out of the running, who is asked for, and what is left: the agency's workers that
/// hold an active placement (a hard filter), the (vacancy, worker) pairs an employer named,
/// and the seats active placements hold, by vacancy.
struct Standing {
    placed: HashSet<WorkerId>,
    named: HashSet<(VacancyId, WorkerId)>,
    taken: HashMap<VacancyId, i64>,
}

impl Standing {
    fn load(
        conn: &mut DbConnection,
        agency_id: &AgencyId,
        vacancy_ids: &[VacancyId],
    ) -> Result<Standing, AppError> {
        Ok(Standing {
            placed: placement_rows::active_workers_of_agency(conn, agency_id)?.into_iter().collect(),
            named: placement_rows::named_for(conn, vacancy_ids)?.into_iter().collect(),
            taken: placement_rows::seats_taken_of(conn, vacancy_ids)?
                .into_iter()
                .map(|(id, taken)| (id, i64::from(taken)))
                .collect(),
        })
    }

    /// Positions still open: the headcount less the seats active placements hold.
    fn open_seats(&self, vacancy: &Vacancy) -> i64 {
        i64::from(vacancy.headcount) - self.taken.get(&vacancy.id).copied().unwrap_or(0)
    }

    fn named(&self, vacancy_id: &VacancyId, worker_id: &WorkerId) -> bool {
        self.named.contains(&(vacancy_id.clone(), worker_id.clone()))
    }
}

/// The agencies' workers as ranking reads them (no personal field), kept in memory between
/// requests: a large agency's registry is tens of thousands of rows, read again only when
/// the database's stamp for it has moved (a trigger moves `agencies.registry_stamp` with
/// every change of its workers), so a vacancy's candidates are ranked without a scan of the
/// registry. The stamp is read before the profiles, so what is kept is never older than the
/// stamp it is kept under. Each server keeps its own; at most the whole registry is held
/// (about 200 bytes a worker).
#[derive(Clone, Default)]
pub struct ProfileCache(Arc<Mutex<Kept>>);

/// Each agency's profiles, under the stamp they were read at.
type Kept = HashMap<AgencyId, (i64, Arc<Vec<DatedProfile>>)>;

impl ProfileCache {
    /// Every worker of the agency, with the dates each is available.
    pub fn of_agency(
        &self,
        conn: &mut DbConnection,
        agency_id: &AgencyId,
    ) -> Result<Arc<Vec<DatedProfile>>, AppError> {
        let stamp = agency_rows::registry_stamp(conn, agency_id)?;
        if let Some((kept, profiles)) = self.kept().get(agency_id)
            && *kept == stamp
        {
            return Ok(profiles.clone());
        }
        let profiles = Arc::new(worker_rows::dated_profiles(conn, agency_id, None)?);
        self.kept().insert(agency_id.clone(), (stamp, profiles.clone()));
        Ok(profiles)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the map leaves it whole: every entry is replaced at once.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Which of a proposal's vacancies a worker may reach, found without trying them all: the
/// vacancies by the first skill each requires (a worker without it cannot be eligible), and
/// the employers' named requests by worker. Each worker's vacancies are in the order given.
struct Reach<'a> {
    by_first_skill: HashMap<&'a str, Vec<usize>>,
    open_to_all: Vec<usize>,
    named: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Reach<'a> {
    fn of(vacancies: &'a [Vacancy], standing: &'a Standing) -> Reach<'a> {
        let (mut by_first_skill, mut open_to_all) = (HashMap::<&str, Vec<usize>>::new(), Vec::new());
        let mut index = HashMap::new();
        for (v, vacancy) in vacancies.iter().enumerate() {
            index.insert(vacancy.id.as_str(), v);
            match vacancy.required_skills.first() {
                Some(skill) => by_first_skill.entry(skill.as_str()).or_default().push(v),
                None => open_to_all.push(v),
            }
        }
        let mut named = HashMap::<&str, Vec<usize>>::new();
        for (vacancy_id, worker_id) in &standing.named {
            if let Some(&v) = index.get(vacancy_id.as_str()) {
                named.entry(worker_id.as_str()).or_default().push(v);
            }
        }
        Reach { by_first_skill, open_to_all, named }
    }

    /// The vacancies (by index) whose first required skill the worker has, or that require
    /// none, ascending, into `out`.
    fn reachable(&self, worker: &MatchProfile, out: &mut Vec<usize>) {
        out.clear();
        out.extend_from_slice(&self.open_to_all);
        for skill in worker.skills() {
            out.extend(self.by_first_skill.get(skill).into_iter().flatten());
        }
        out.sort_unstable();
        out.dedup();
    }

    fn named(&self, v: usize, worker_id: &WorkerId) -> bool {
        self.named.get(worker_id.as_str()).is_some_and(|named| named.contains(&v))
    }
}

/// A scored candidate.
struct Ranked {
    score: i64,
    parts: Parts,
    distance_km: Option<i64>,
    worker: MatchProfile,
}

/// Keeps the best `limit`, best first (equal scores by worker id).
fn keep_best(ranked: &mut Vec<Ranked>, limit: usize) {
    let best_first =
        |a: &Ranked, b: &Ranked| b.score.cmp(&a.score).then_with(|| a.worker.id.cmp(&b.worker.id));
    if limit > 0 && ranked.len() > limit {
        ranked.select_nth_unstable_by(limit - 1, best_first);
    }
    ranked.truncate(limit);
    ranked.sort_by(best_first);
}

/// The open vacancies whose local window has ended by `today`: those agencies may fill.
fn open_vacancies(conn: &mut DbConnection, today: NaiveDate) -> Result<Vec<Vacancy>, AppError> {
    let open = vacancies::list_in(conn, &Scope::Public, &ListQuery::default())?;
    Ok(open.into_iter().filter(|v| v.open_to_agencies_on.is_none_or(|day| day <= today)).collect())
}

/// The agency's eligible workers for one open vacancy, best first (equal scores by worker
/// id), at most `limit` (1 to 500), each score explained; pseudonymous.
pub async fn candidates(
    state: &AppState,
    actor: &Actor,
    vacancy_id: &VacancyId,
    limit: usize,
) -> Result<Vec<Candidate>, AppError> {
    let (actor, vacancy_id, profiles) = (actor.clone(), vacancy_id.clone(), state.profiles.clone());
    let (weights, today) = (state.settings.matching, state.clock.today());
    db::run(&state.pool, move |conn| {
        candidates_in(conn, &profiles, &actor, &vacancy_id, limit, &weights, today)
    })
    .await
}

/// [`candidates`] on the caller's connection. The agency's profiles come from `profiles`
/// (read from the database again only when its registry changed); the pseudonymous fields
/// are read for the `limit` shown.
pub fn candidates_in(
    conn: &mut DbConnection,
    profiles: &ProfileCache,
    actor: &Actor,
    vacancy_id: &VacancyId,
    limit: usize,
    weights: &Weights,
    today: NaiveDate,
) -> Result<Vec<Candidate>, AppError> {
    let agency_id = &actor.agency_id()?;
    if !(1..=500).contains(&limit) {
        return Err(invalid("limit", "between 1 and 500"));
    }
    require_active_licence(conn, agency_id, today)?;
    let vacancy = vacancies::find_visible(conn, vacancy_id, &Scope::Public)?;
    let places = Places::load(conn)?;
    let standing = Standing::load(conn, agency_id, std::slice::from_ref(&vacancy.id))?;
    // The best `limit` so far, and a few more: trimmed each time it doubles.
    let mut ranked: Vec<Ranked> = Vec::with_capacity(2 * limit + 1);
    for w in profiles.of_agency(conn, agency_id)?.iter() {
        if standing.placed.contains(&w.profile.id) {
            continue;
        }
        let named = standing.named(&vacancy.id, &w.profile.id);
        if let Some(facts) = facts(&w.profile, available(w), &vacancy, &places, named) {
            let parts = scoring::score(&facts, weights);
            let worker = w.profile.clone();
            ranked.push(Ranked { score: parts.total(), parts, distance_km: facts.distance_km, worker });
            if ranked.len() > 2 * limit {
                keep_best(&mut ranked, limit);
            }
        }
    }
    keep_best(&mut ranked, limit);
    let ids: Vec<WorkerId> = ranked.iter().map(|r| r.worker.id.clone()).collect();
    let mut shown = workers::pseudonyms(conn, agency_id, &ids, today)?;
    Ok(ranked
        .into_iter()
        .filter_map(|Ranked { score, parts, distance_km, worker }| {
            let p = shown.remove(&worker.id)?;
            Some(Candidate {
                worker_id: p.id,
                score,
                parts,
                initials: p.initials,
                age_band: p.age_band,
                home_province_code: p.home_province_code,
                seasons_worked: p.seasons_worked,
                seasons_verified: p.seasons_verified,
                returned_on_time: p.returned_on_time_count,
                skills: p.skills,
                languages: p.languages,
                distance_km,
            })
        })
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// The open vacancies to fill; all open vacancies when absent.
    pub vacancy_ids: Option<Vec<VacancyId>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalLine {
    pub vacancy_id: VacancyId,
    pub worker_id: WorkerId,
    pub score: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unfilled {
    pub vacancy_id: VacancyId,
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

/// The optimal assignment of the agency's workers to open vacancies (all, or the ones
/// named), maximising the total score; nothing is written.
pub async fn propose(
    state: &AppState,
    actor: &Actor,
    request: ProposalRequest,
) -> Result<Proposal, AppError> {
    let (actor, profiles) = (actor.clone(), state.profiles.clone());
    let (weights, today) = (state.settings.matching, state.clock.today());
    let proposal =
        db::run(&state.pool, move |conn| propose_in(conn, &profiles, &actor, request, &weights, today))
            .await?;
    tracing::info!(
        lines = proposal.lines.len(),
        objective = proposal.objective,
        solve_ms = proposal.solve_ms,
        "proposal"
    );
    Ok(proposal)
}

/// [`propose`] on the caller's connection: builds the instance from the database (the
/// agency's workers, the open vacancies) and solves it exactly.
pub fn propose_in(
    conn: &mut DbConnection,
    profiles: &ProfileCache,
    actor: &Actor,
    request: ProposalRequest,
    weights: &Weights,
    today: NaiveDate,
) -> Result<Proposal, AppError> {
    let agency_id = &actor.agency_id()?;
    require_active_licence(conn, agency_id, today)?;
    let open = open_vacancies(conn, today)?;
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
    let ids: Vec<VacancyId> = chosen.iter().map(|v| v.id.clone()).collect();
    let standing = Standing::load(conn, agency_id, &ids)?;
    let registry = profiles.of_agency(conn, agency_id)?;
    let mut pool: Vec<&DatedProfile> =
        registry.iter().filter(|w| !standing.placed.contains(&w.profile.id)).collect();
    pool.sort_by(|a, b| a.profile.id.cmp(&b.profile.id));

    // CSR by worker, as the engine takes it; each vacancy offers its open seats.
    let open_seats: Vec<i64> = chosen.iter().map(|v| standing.open_seats(v)).collect();
    let capacity: Vec<u32> = open_seats.iter().map(|n| u32::try_from(*n).unwrap_or(0)).collect();
    let mut offsets = Vec::with_capacity(pool.len() + 1);
    let (mut edge_vacancy, mut edge_score) = (Vec::new(), Vec::new());
    offsets.push(0u64);
    let reach = Reach::of(&chosen, &standing);
    let mut reachable = Vec::new();
    for worker in &pool {
        reach.reachable(&worker.profile, &mut reachable);
        for &v in &reachable {
            let vacancy = &chosen[v];
            let named = reach.named(v, &worker.profile.id);
            if let Some(facts) = facts(&worker.profile, available(worker), vacancy, &places, named) {
                let total = scoring::score(&facts, weights).total();
                let points =
                    u32::try_from(total.clamp(0, i64::from(seasonlink_matching::MAX_SCORE))).unwrap_or(0);
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
        lines.push(ProposalLine {
            vacancy_id: chosen[v].id.clone(),
            worker_id: pool[w].profile.id.clone(),
            score,
        });
    }
    lines.sort_by(|a, b| a.vacancy_id.cmp(&b.vacancy_id).then(b.score.cmp(&a.score)));
    let unfilled = chosen
        .iter()
        .zip(open_seats.iter().zip(&filled))
        .filter(|(_, (open, n))| *open > *n)
        .map(|(v, (open, n))| Unfilled { vacancy_id: v.id.clone(), open: open - n })
        .collect();
    let objective = i64::try_from(matching.objective)
        .map_err(|_| AppError::new(ErrorCode::Internal).with_detail("objective overflow"))?;
    Ok(Proposal { objective, lines, unfilled, solve_ms })
}

/// A line of a proposal that the agency keeps.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeptLine {
    pub vacancy_id: VacancyId,
    pub worker_id: WorkerId,
}

/// Why a kept line is refused: 422 `validation_failed` naming the line and the reason.
fn refused_line(line: &KeptLine, reason: &str, problem: &str) -> AppError {
    invalid("lines", problem)
        .with("reason", reason)
        .with("vacancy_id", line.vacancy_id.as_str())
        .with("worker_id", line.worker_id.as_str())
}

/// The lines an agency keeps from a proposal, checked and scored again (a proposal is
/// advice, and the form that carries it back could be edited): every vacancy open with room
/// for its lines, every worker the agency's, eligible, and kept once. Ordered as a
/// proposal's lines.
///
/// [`make_offers`] turns them into offers.
pub async fn keep_lines(
    state: &AppState,
    actor: &Actor,
    lines: Vec<KeptLine>,
) -> Result<Vec<ProposalLine>, AppError> {
    let agency_id = actor.agency_id()?;
    let (weights, today) = (state.settings.matching, state.clock.today());
    db::run(&state.pool, move |conn| kept(conn, &agency_id, lines, &weights, today)).await
}

/// [`keep_lines`] for an agency, on the caller's connection.
fn kept(
    conn: &mut DbConnection,
    agency_id: &AgencyId,
    lines: Vec<KeptLine>,
    weights: &Weights,
    today: NaiveDate,
) -> Result<Vec<ProposalLine>, AppError> {
    require_active_licence(conn, agency_id, today)?;
    let open: HashMap<VacancyId, Vacancy> =
        open_vacancies(conn, today)?.into_iter().map(|v| (v.id.clone(), v)).collect();
    let ids: Vec<WorkerId> = lines.iter().map(|l| l.worker_id.clone()).collect();
    let profiles: HashMap<WorkerId, DatedProfile> = worker_rows::dated_profiles(conn, agency_id, Some(&ids))?
        .into_iter()
        .map(|p| (p.profile.id.clone(), p))
        .collect();
    let places = Places::load(conn)?;
    let vacancy_ids: Vec<VacancyId> = lines.iter().map(|l| l.vacancy_id.clone()).collect();
    let standing = Standing::load(conn, agency_id, &vacancy_ids)?;
    let mut seats: HashMap<&VacancyId, i64> = HashMap::new();
    let mut kept: HashSet<&WorkerId> = HashSet::new();
    let mut scored = Vec::with_capacity(lines.len());
    for line in &lines {
        let vacancy = open
            .get(&line.vacancy_id)
            .ok_or_else(|| refused_line(line, "vacancy_not_open", "not an open vacancy"))?;
        let worker = profiles
            .get(&line.worker_id)
            .ok_or_else(|| refused_line(line, "not_your_worker", "not a worker of this agency"))?;
        if !kept.insert(&line.worker_id) {
            return Err(refused_line(line, "worker_twice", "a worker is kept on one line at most"));
        }
        if standing.placed.contains(&line.worker_id) {
            return Err(refused_line(line, "already_placed", "the worker already has an active placement"));
        }
        let open = standing.open_seats(vacancy);
        let taken = seats.entry(&line.vacancy_id).or_default();
        *taken += 1;
        if *taken > open {
            return Err(refused_line(line, "over_headcount", "more lines than the vacancy has positions"));
        }
        let named = standing.named(&vacancy.id, &line.worker_id);
        let facts = facts(&worker.profile, available(worker), vacancy, &places, named)
            .ok_or_else(|| refused_line(line, "not_eligible", "the worker does not pass the hard filters"))?;
        scored.push(ProposalLine {
            vacancy_id: line.vacancy_id.clone(),
            worker_id: line.worker_id.clone(),
            score: scoring::score(&facts, weights).total(),
        });
    }
    scored.sort_by(|a, b| {
        a.vacancy_id
            .cmp(&b.vacancy_id)
            .then(b.score.cmp(&a.score))
            .then_with(|| a.worker_id.cmp(&b.worker_id))
    });
    Ok(scored)
}

/// The kept lines become offers, all of them or none: each is checked again as
/// [`keep_lines`] does, then offered as `POST /placements` would (licence, floor, seat and
/// one active placement per worker). Returns the new placements' ids. No line at all is
/// refused before anything else, the role included.
pub async fn make_offers(
    state: &AppState,
    actor: &Actor,
    lines: Vec<KeptLine>,
) -> Result<Vec<PlacementId>, AppError> {
    if lines.is_empty() {
        return Err(invalid("lines", "keep at least one line"));
    }
    let (actor, weights, now) = (actor.clone(), state.settings.matching, state.clock.now());
    let rules = Rules::of(&state.settings);
    db::transaction(&state.pool, move |conn| offers_in(conn, &actor, lines, &weights, rules, now)).await
}

fn offers_in(
    conn: &mut DbConnection,
    actor: &Actor,
    lines: Vec<KeptLine>,
    weights: &Weights,
    rules: Rules,
    now: DateTime<Utc>,
) -> Result<Vec<PlacementId>, AppError> {
    let agency_id = actor.agency_id()?;
    let kept = kept(conn, &agency_id, lines, weights, china_day(now))?;
    let mut ids = Vec::with_capacity(kept.len());
    for line in kept {
        let input = OfferInput { vacancy_id: line.vacancy_id, worker_id: line.worker_id };
        ids.push(placements::offer_in(conn, actor, input, rules, now)?.id);
    }
    Ok(ids)
}

/// How the agency's workers among `worker_ids` (a proposal's, say) look to the agency
/// ranking them, by id; other agencies' workers and unknown ids are left out.
pub async fn pseudonyms(
    state: &AppState,
    actor: &Actor,
    worker_ids: Vec<WorkerId>,
) -> Result<HashMap<WorkerId, PseudonymousWorker>, AppError> {
    let agency_id = actor.agency_id()?;
    let today = state.clock.today();
    db::run(&state.pool, move |conn| workers::pseudonyms(conn, &agency_id, &worker_ids, today)).await
}
