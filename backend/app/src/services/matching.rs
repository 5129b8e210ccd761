//! Matching inside the app: a vacancy's ranked, explained candidates, and a season-wide
//! proposal solved exactly by `seasonlink-matching`. Only [`make_offers`] writes: the lines
//! an agency keeps become offers. Each is an agency's, for its own workers, while its
//! licence is active, except the regulators' [`what_if`] over every licensed agency's.

use std::collections::{BTreeMap, HashMap, HashSet};
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
use crate::domain::account::Role;
use crate::domain::calendar::china_day;
use crate::domain::licence::LicenceStatus;
use crate::domain::scoring::{self, Facts, Parts, Weights};
use crate::error::{AppError, ErrorCode};
use crate::ids::{AgencyId, PlacementId, VacancyId, WorkerId};
use crate::services::accounts::invalid;
use crate::services::agencies::{self, require_active_licence};
use crate::services::authorities;
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

/// All that a worker's fit for a vacancy depends on, of the vacancy (with whether an
/// employer named the worker): [`facts`] reads nothing else of it, so vacancies alike in
/// these are alike to every worker.
#[derive(Debug, Clone, Copy)]
struct Wanted<'a> {
    id: &'a VacancyId,
    season: (NaiveDate, NaiveDate),
    required_skills: &'a [String],
    crossing_code: &'a str,
}

impl<'a> From<&'a Vacancy> for Wanted<'a> {
    fn from(v: &'a Vacancy) -> Wanted<'a> {
        Wanted {
            id: &v.id,
            season: (v.season_start, v.season_end),
            required_skills: &v.required_skills,
            crossing_code: &v.crossing_code,
        }
    }
}

/// What the score needs to know of the worker and the vacancy, if the worker passes the
/// hard filters; `available` is when the worker is available.
fn facts(
    worker: &MatchProfile,
    available: (NaiveDate, NaiveDate),
    vacancy: &Wanted<'_>,
    places: &Places,
    named: bool,
) -> Option<Facts> {
    if !scoring::eligible(available, vacancy.season, worker.skills(), vacancy.required_skills) {
        return None;
    }
    Some(Facts {
        extra_skills: worker.skills().filter(|s| !vacancy.required_skills.iter().any(|r| r == s)).count(),
        seasons_verified: worker.seasons_verified,
        seasons_declared: worker.seasons_worked,
        returned_on_time: i64::from(worker.returned_on_time),
        named,
        distance_km: places.distance_km(&worker.home_province_code, vacancy.crossing_code),
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
        agencies: &[AgencyId],
        vacancy_ids: &[VacancyId],
    ) -> Result<Standing, AppError> {
        let mut placed = HashSet::new();
        for agency_id in agencies {
            placed.extend(placement_rows::active_workers_of_agency(conn, agency_id)?);
        }
        Ok(Standing {
            placed,
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
/// stamp it is kept under. One request reads an agency's registry at a time; the others
/// asking meanwhile wait for its answer instead of reading it too. Each server keeps its
/// own; at most the whole registry is held (about 200 bytes a worker).
#[derive(Clone, Default)]
pub struct ProfileCache(Arc<Mutex<Kept>>);

/// Each agency's profiles, under the stamp they were read at, and the gate its readers
/// take turns at.
type Kept = HashMap<AgencyId, Shelf>;

#[derive(Default)]
struct Shelf {
    profiles: Option<(i64, Arc<Vec<DatedProfile>>)>,
    gate: Arc<Mutex<()>>,
}

impl ProfileCache {
    /// Every worker of the agency, with the dates each is available.
    pub fn of_agency(
        &self,
        conn: &mut DbConnection,
        agency_id: &AgencyId,
    ) -> Result<Arc<Vec<DatedProfile>>, AppError> {
        let stamp = agency_rows::registry_stamp(conn, agency_id)?;
        if let Some(profiles) = self.fresh(agency_id, stamp) {
            return Ok(profiles);
        }
        let gate = self.kept().entry(agency_id.clone()).or_default().gate.clone();
        let _turn = gate.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Whoever held the gate before may have read them already.
        if let Some(profiles) = self.fresh(agency_id, stamp) {
            return Ok(profiles);
        }
        let profiles = Arc::new(worker_rows::dated_profiles(conn, agency_id, None)?);
        self.kept().entry(agency_id.clone()).or_default().profiles = Some((stamp, profiles.clone()));
        Ok(profiles)
    }

    /// The kept profiles, if read at `stamp` or later (a stamp only grows).
    fn fresh(&self, agency_id: &AgencyId, stamp: i64) -> Option<Arc<Vec<DatedProfile>>> {
        let kept = self.kept();
        let (at, profiles) = kept.get(agency_id)?.profiles.as_ref()?;
        (*at >= stamp).then(|| profiles.clone())
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the map leaves it whole: every entry is replaced at once.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Which of a proposal's classes of vacancies a worker may reach, found without trying
/// them all: the classes by the first skill each requires (a worker without it cannot be
/// eligible). Each worker's classes are in ascending order.
struct Reach<'a> {
    by_first_skill: HashMap<&'a str, Vec<usize>>,
    open_to_all: Vec<usize>,
}

impl<'a> Reach<'a> {
    fn of(classes: &[Wanted<'a>]) -> Reach<'a> {
        let (mut by_first_skill, mut open_to_all) = (HashMap::<&str, Vec<usize>>::new(), Vec::new());
        for (c, wanted) in classes.iter().enumerate() {
            match wanted.required_skills.first() {
                Some(skill) => by_first_skill.entry(skill.as_str()).or_default().push(c),
                None => open_to_all.push(c),
            }
        }
        Reach { by_first_skill, open_to_all }
    }

    /// The classes (by index) whose first required skill the worker has, or that require
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
}

/// A proposal as the engine solves it. Vacancies that every worker of the pool sees alike
/// form one class offering all their open seats: the same required skills and crossing, a
/// season that starts and ends between the same two of the pool's availability dates, and
/// nobody named for any of them. Scores and eligibility are alike across a class, so the
/// best assignment to classes, its seats then handed out vacancy by vacancy, is a best
/// assignment to vacancies. Workers alike in everything the score reads share one scoring
/// of their edges. A season's 10,000 open vacancies make about 500 classes.
struct Instance {
    /// Each class's vacancies (indices into those given), in the order given.
    members: Vec<Vec<usize>>,
    capacity: Vec<u32>,
    /// CSR by worker, as the engine takes it.
    offsets: Vec<u64>,
    class_of_edge: Vec<u32>,
    score_of_edge: Vec<u32>,
}

/// Where `day` falls among `days` (ascending, distinct): how many are before it, or, with
/// `inclusive`, at or before it.
fn rank(days: &[NaiveDate], day: NaiveDate, inclusive: bool) -> usize {
    days.partition_point(|d| if inclusive { *d <= day } else { *d < day })
}

fn distinct(mut days: Vec<NaiveDate>) -> Vec<NaiveDate> {
    days.sort_unstable();
    days.dedup();
    days
}

impl Instance {
    fn build(
        pool: &[&DatedProfile],
        vacancies: &[Wanted<'_>],
        open_seats: &[i64],
        named: &HashSet<(VacancyId, WorkerId)>,
        places: &Places,
        weights: &Weights,
    ) -> Instance {
        let named_vacancies: HashSet<&VacancyId> = named.iter().map(|(v, _)| v).collect();
        let named_workers: HashSet<&WorkerId> = named.iter().map(|(_, w)| w).collect();

        // A worker is available for a season iff it is free from its first day to its
        // last, so the pool's dates split the seasons into classes.
        let froms = distinct(pool.iter().map(|w| w.available_from).collect());
        let untils = distinct(pool.iter().map(|w| w.available_until).collect());
        let mut classes: Vec<Wanted<'_>> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut capacity: Vec<u32> = Vec::new();
        let mut class_of = HashMap::new();
        for (v, wanted) in vacancies.iter().enumerate() {
            let mut skills: Vec<&str> = wanted.required_skills.iter().map(String::as_str).collect();
            skills.sort_unstable();
            let key = (
                rank(&froms, wanted.season.0, true),
                rank(&untils, wanted.season.1, false),
                skills,
                wanted.crossing_code,
                named_vacancies.contains(wanted.id).then_some(v),
            );
            let c = *class_of.entry(key).or_insert_with(|| {
                classes.push(*wanted);
                members.push(Vec::new());
                capacity.push(0);
                classes.len() - 1
            });
            members[c].push(v);
            let seats = u32::try_from(open_seats[v].max(0)).unwrap_or(u32::MAX);
            capacity[c] = capacity[c].saturating_add(seats);
        }

        // Workers alike in all that `facts` reads of them, named nowhere, share their edges.
        let starts = distinct(classes.iter().map(|c| c.season.0).collect());
        let ends = distinct(classes.iter().map(|c| c.season.1).collect());
        let reach = Reach::of(&classes);
        let mut kinds: HashMap<_, Vec<(u32, u32)>> = HashMap::new();
        let mut reachable = Vec::new();
        let mut offsets = Vec::with_capacity(pool.len() + 1);
        offsets.push(0u64);
        let (mut class_of_edge, mut score_of_edge) = (Vec::new(), Vec::new());
        for worker in pool {
            let p = &worker.profile;
            let key = (
                rank(&starts, worker.available_from, false),
                rank(&ends, worker.available_until, true),
                &p.skill_codes,
                &p.language_codes,
                &p.home_province_code,
                (p.seasons_worked, p.seasons_verified, p.returned_on_time),
                named_workers.contains(&p.id).then_some(&p.id),
            );
            let edges = kinds.entry(key).or_insert_with(|| {
                reach.reachable(p, &mut reachable);
                reachable
                    .iter()
                    .filter_map(|&c| {
                        let wanted = &classes[c];
                        let is_named = named_workers.contains(&p.id)
                            && named.contains(&(wanted.id.clone(), p.id.clone()));
                        let facts = facts(p, available(worker), wanted, places, is_named)?;
                        let total = scoring::score(&facts, weights).total();
                        let points = total.clamp(0, i64::from(seasonlink_matching::MAX_SCORE));
                        Some((c as u32, u32::try_from(points).unwrap_or(0)))
                    })
                    .collect()
            });
            class_of_edge.extend(edges.iter().map(|e| e.0));
            score_of_edge.extend(edges.iter().map(|e| e.1));
            offsets.push(class_of_edge.len() as u64);
        }
        Instance { members, capacity, offsets, class_of_edge, score_of_edge }
    }

    fn problem(&self) -> Result<seasonlink_matching::Problem<'_>, AppError> {
        seasonlink_matching::Problem::new(
            &self.capacity,
            &self.offsets,
            &self.class_of_edge,
            &self.score_of_edge,
        )
        .map_err(|e| AppError::internal(anyhow::anyhow!("matching instance: {e:?}")))
    }

    /// Each placed worker's vacancy and score, by worker index: a class's seats go to its
    /// placed workers in the pool's order, vacancy by vacancy in the order given.
    fn seat(&self, assignment: &[Option<u32>], open_seats: &[i64]) -> Vec<(usize, usize, i64)> {
        let mut left: Vec<i64> = open_seats.iter().map(|n| (*n).max(0)).collect();
        let mut next = vec![0usize; self.members.len()];
        let mut seated = Vec::new();
        for (w, class) in assignment.iter().enumerate() {
            let Some(c) = class.map(|c| c as usize) else { continue };
            let members = &self.members[c];
            while next[c] < members.len() && left[members[next[c]]] == 0 {
                next[c] += 1;
            }
            let Some(&v) = members.get(next[c]) else { continue };
            left[v] -= 1;
            let edges = self.offsets[w] as usize..self.offsets[w + 1] as usize;
            let score = edges
                .clone()
                .find(|&e| self.class_of_edge[e] as usize == c)
                .map_or(0, |e| i64::from(self.score_of_edge[e]));
            seated.push((w, v, score));
        }
        seated
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
    let standing = Standing::load(conn, std::slice::from_ref(agency_id), std::slice::from_ref(&vacancy.id))?;
    let wanted = Wanted::from(&vacancy);
    // The best `limit` so far, and a few more: trimmed each time it doubles.
    let mut ranked: Vec<Ranked> = Vec::with_capacity(2 * limit + 1);
    for w in profiles.of_agency(conn, agency_id)?.iter() {
        if standing.placed.contains(&w.profile.id) {
            continue;
        }
        let named = standing.named(&vacancy.id, &w.profile.id);
        if let Some(facts) = facts(&w.profile, available(w), &wanted, &places, named) {
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
    let standing = Standing::load(conn, std::slice::from_ref(agency_id), &ids)?;
    let registry = profiles.of_agency(conn, agency_id)?;
    let pool: Vec<&DatedProfile> = registry.iter().collect();
    let solved = assign(pool, &chosen, &standing, &places, weights)?;

    let mut filled = vec![0i64; chosen.len()];
    let mut lines = Vec::new();
    for &(w, v, score) in &solved.seated {
        filled[v] += 1;
        let worker_id = solved.pool[w].profile.id.clone();
        lines.push(ProposalLine { vacancy_id: chosen[v].id.clone(), worker_id, score });
    }
    lines.sort_by(|a, b| a.vacancy_id.cmp(&b.vacancy_id).then(b.score.cmp(&a.score)));
    let unfilled = chosen
        .iter()
        .zip(solved.open_seats.iter().zip(&filled))
        .filter(|(_, (open, n))| *open > *n)
        .map(|(v, (open, n))| Unfilled { vacancy_id: v.id.clone(), open: open - n })
        .collect();
    Ok(Proposal { objective: solved.objective, lines, unfilled, solve_ms: solved.solve_ms })
}

/// An exact assignment and what it was made of.
struct Solved<'a> {
    /// The workers without an active placement, by id.
    pool: Vec<&'a DatedProfile>,
    /// Each vacancy's open seats (as given).
    open_seats: Vec<i64>,
    /// (worker in `pool`, vacancy, score) for each worker placed.
    seated: Vec<(usize, usize, i64)>,
    objective: i64,
    solve_ms: f64,
}

/// The best assignment of the workers (less those holding an active placement) to the
/// vacancies' open seats, maximising the total score: built as an [`Instance`], solved by
/// the engine.
fn assign<'a>(
    mut pool: Vec<&'a DatedProfile>,
    vacancies: &[Vacancy],
    standing: &Standing,
    places: &Places,
    weights: &Weights,
) -> Result<Solved<'a>, AppError> {
    pool.retain(|w| !standing.placed.contains(&w.profile.id));
    pool.sort_by(|a, b| a.profile.id.cmp(&b.profile.id));
    let open_seats: Vec<i64> = vacancies.iter().map(|v| standing.open_seats(v)).collect();
    let wanted: Vec<Wanted<'_>> = vacancies.iter().map(Wanted::from).collect();
    let instance = Instance::build(&pool, &wanted, &open_seats, &standing.named, places, weights);
    let problem = instance.problem()?;
    let started = Instant::now();
    let matching = seasonlink_matching::solve(&problem);
    let solve_ms = started.elapsed().as_secs_f64() * 1000.0;
    let seated = instance.seat(&matching.assignment, &open_seats);
    let objective = i64::try_from(matching.objective)
        .map_err(|_| AppError::new(ErrorCode::Internal).with_detail("objective overflow"))?;
    let (classes, pairs) = (instance.members.len(), instance.class_of_edge.len());
    tracing::info!(
        workers = pool.len(),
        vacancies = vacancies.len(),
        classes,
        pairs,
        solve_ms,
        "assignment solved"
    );
    Ok(Solved { pool, open_seats, seated, objective, solve_ms })
}

/// A regulator's what-if: how far the season's registered workers could fill its open
/// vacancies, by region and by home province. Nothing is written and no worker is named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhatIf {
    /// Workers of agencies licensed today, without an active placement.
    pub workers: usize,
    /// Open vacancies, past their local window.
    pub vacancies: usize,
    pub open_seats: i64,
    /// Workers the best assignment places: one a seat.
    pub placed: usize,
    /// Its total score (maximal).
    pub objective: i64,
    pub solve_ms: f64,
    /// By the vacancies' region, by code.
    pub regions: Vec<RegionFill>,
    /// By the workers' home province, by code.
    pub provinces: Vec<ProvinceFill>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct RegionFill {
    pub region_code: String,
    pub open_seats: i64,
    pub filled: i64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ProvinceFill {
    pub home_province_code: String,
    pub workers: i64,
    pub placed: i64,
}

/// The best assignment of every worker of a licensed agency to every open vacancy, as the
/// agencies' proposals would make it if they were one, within the regulator's reach: a
/// provincial authority of China's side counts the vacancies of its region, one of Viet
/// Nam's the workers of its provinces. Regulators only.
pub async fn what_if(state: &AppState, actor: &Actor) -> Result<WhatIf, AppError> {
    let (actor, profiles) = (actor.clone(), state.profiles.clone());
    let (weights, today) = (state.settings.matching, state.clock.today());
    let answer =
        db::run(&state.pool, move |conn| what_if_in(conn, &profiles, &actor, &weights, today)).await?;
    tracing::info!(workers = answer.workers, placed = answer.placed, solve_ms = answer.solve_ms, "what-if");
    Ok(answer)
}

/// [`what_if`] on the caller's connection.
pub fn what_if_in(
    conn: &mut DbConnection,
    profiles: &ProfileCache,
    actor: &Actor,
    weights: &Weights,
    today: NaiveDate,
) -> Result<WhatIf, AppError> {
    actor.require(Role::Regulator)?;
    let Scope::Authority(reach) = authorities::scope_in(conn, actor)? else {
        return Err(AppError::forbidden());
    };
    let within =
        |codes: Option<&[String]>, code: &str| codes.is_none_or(|codes| codes.iter().any(|c| c == code));
    let open: Vec<Vacancy> = open_vacancies(conn, today)?
        .into_iter()
        .filter(|v| within(reach.worksites(), &v.region_code))
        .collect();
    let mut licensed = Vec::new();
    for agency in agency_rows::list(conn)? {
        if agencies::status(&agency, today)? == LicenceStatus::Active {
            licensed.push(agency.id);
        }
    }
    let places = Places::load(conn)?;
    let ids: Vec<VacancyId> = open.iter().map(|v| v.id.clone()).collect();
    let standing = Standing::load(conn, &licensed, &ids)?;
    let registries =
        licensed.iter().map(|id| profiles.of_agency(conn, id)).collect::<Result<Vec<_>, AppError>>()?;
    let pool: Vec<&DatedProfile> = registries
        .iter()
        .flat_map(|registry| registry.iter())
        .filter(|w| within(reach.home_provinces(), &w.profile.home_province_code))
        .collect();
    let solved = assign(pool, &open, &standing, &places, weights)?;

    let mut regions: BTreeMap<&str, RegionFill> = BTreeMap::new();
    for (v, open_seats) in open.iter().zip(&solved.open_seats) {
        regions.entry(&v.region_code).or_default().open_seats += open_seats.max(&0);
    }
    let mut provinces: BTreeMap<&str, ProvinceFill> = BTreeMap::new();
    for w in &solved.pool {
        provinces.entry(&w.profile.home_province_code).or_default().workers += 1;
    }
    for &(w, v, _) in &solved.seated {
        regions.entry(&open[v].region_code).or_default().filled += 1;
        provinces.entry(&solved.pool[w].profile.home_province_code).or_default().placed += 1;
    }
    Ok(WhatIf {
        workers: solved.pool.len(),
        vacancies: open.len(),
        open_seats: solved.open_seats.iter().map(|n| (*n).max(0)).sum(),
        placed: solved.seated.len(),
        objective: solved.objective,
        solve_ms: solved.solve_ms,
        regions: regions
            .into_iter()
            .map(|(code, fill)| RegionFill { region_code: code.to_owned(), ..fill })
            .collect(),
        provinces: provinces
            .into_iter()
            .map(|(code, fill)| ProvinceFill { home_province_code: code.to_owned(), ..fill })
            .collect(),
    })
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
    let standing = Standing::load(conn, std::slice::from_ref(agency_id), &vacancy_ids)?;
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
        let facts = facts(&worker.profile, available(worker), &Wanted::from(vacancy), &places, named)
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    const WEIGHTS: Weights = Weights {
        per_extra_skill: 10,
        per_season: 20,
        per_return_on_time: 15,
        named_request: 500,
        distance: 40,
        distance_zero_km: 400,
        speaks_chinese: 25,
    };

    struct Season {
        pool: Vec<DatedProfile>,
        vacancies: Vec<Posted>,
        open_seats: Vec<i64>,
        named: HashSet<(VacancyId, WorkerId)>,
        places: Places,
    }

    struct Posted {
        id: VacancyId,
        season: (NaiveDate, NaiveDate),
        required: Vec<String>,
        crossing: String,
    }

    /// Few dates, skills and places, so that many vacancies and workers are alike.
    fn season(seed: u64) -> Season {
        let mut rng = StdRng::seed_from_u64(seed);
        let day =
            |n: i64| NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default() + chrono::Duration::days(n);
        let pool: Vec<DatedProfile> = (0..40)
            .map(|i| {
                let skills: Vec<&str> = ["cane_knife", "heavy_loading", "first_aid"]
                    .into_iter()
                    .filter(|_| rng.gen_bool(0.5))
                    .collect();
                DatedProfile {
                    profile: MatchProfile {
                        id: WorkerId::from(format!("w{i:03}")),
                        home_province_code: ["VN-09", "VN-04", "VN-13"][rng.gen_range(0..3)].into(),
                        seasons_worked: rng.gen_range(0..3),
                        seasons_verified: rng.gen_range(0..2),
                        skill_codes: skills.join(" "),
                        language_codes: if rng.gen_bool(0.3) { "vi zh" } else { "vi" }.into(),
                        returned_on_time: rng.gen_range(0..2),
                    },
                    available_from: day(rng.gen_range(0..4)),
                    available_until: day(rng.gen_range(22..30)),
                }
            })
            .collect();
        let vacancies: Vec<_> = (0..25)
            .map(|i| {
                let (start, end) = (rng.gen_range(2..6), [21, 25, 31][rng.gen_range(0..3)]);
                let required = match rng.gen_range(0..3) {
                    0 => vec![],
                    1 => vec!["cane_knife".to_owned()],
                    _ => vec!["heavy_loading".to_owned()],
                };
                let crossing = ["youyiguan", "shuikou"][rng.gen_range(0..2)].to_owned();
                Posted {
                    id: VacancyId::from(format!("v{i:03}")),
                    season: (day(start), day(end)),
                    required,
                    crossing,
                }
            })
            .collect();
        let open_seats = (0..vacancies.len()).map(|_| rng.gen_range(-1..4)).collect();
        let named = (0..3)
            .map(|_| {
                let v = &vacancies[rng.gen_range(0..vacancies.len())].id;
                (v.clone(), pool[rng.gen_range(0..pool.len())].profile.id.clone())
            })
            .collect();
        let km = |pairs: &[(&str, i64)]| pairs.iter().map(|(p, km)| ((*p).to_owned(), *km)).collect();
        let places = Places {
            km: HashMap::from([
                ("youyiguan".to_owned(), km(&[("VN-09", 60), ("VN-04", 210)])),
                ("shuikou".to_owned(), km(&[("VN-09", 150), ("VN-04", 90), ("VN-13", 330)])),
            ]),
        };
        Season { pool, vacancies, open_seats, named, places }
    }

    impl Season {
        fn wanted(&self) -> Vec<Wanted<'_>> {
            self.vacancies
                .iter()
                .map(|v| Wanted {
                    id: &v.id,
                    season: v.season,
                    required_skills: &v.required,
                    crossing_code: &v.crossing,
                })
                .collect()
        }

        /// The pair's score, if the worker is eligible.
        fn score(&self, w: &DatedProfile, v: &Wanted<'_>) -> Option<i64> {
            let named = self.named.contains(&(v.id.clone(), w.profile.id.clone()));
            facts(&w.profile, available(w), v, &self.places, named)
                .map(|f| scoring::score(&f, &WEIGHTS).total())
        }

        /// The optimum over every (worker, vacancy) pair, one vacancy a node, by the
        /// engine's own yardstick.
        fn optimum(&self) -> u64 {
            let wanted = self.wanted();
            let capacity: Vec<u32> = self.open_seats.iter().map(|n| u32::try_from(*n).unwrap_or(0)).collect();
            let (mut offsets, mut vacancy, mut score) = (vec![0u64], Vec::new(), Vec::new());
            for w in &self.pool {
                for (v, wanted) in wanted.iter().enumerate() {
                    if let Some(points) = self.score(w, wanted) {
                        vacancy.push(v as u32);
                        score.push(u32::try_from(points).unwrap_or(0));
                    }
                }
                offsets.push(vacancy.len() as u64);
            }
            let problem = seasonlink_matching::Problem::new(&capacity, &offsets, &vacancy, &score).unwrap();
            seasonlink_matching::reference::solve_min_cost_flow(&problem).0
        }
    }

    #[test]
    fn alike_vacancies_solved_together_give_the_optimum_over_every_pair() {
        let mut merged = 0;
        for seed in 0..40 {
            let season = season(seed);
            let pool: Vec<&DatedProfile> = season.pool.iter().collect();
            let wanted = season.wanted();
            let instance =
                Instance::build(&pool, &wanted, &season.open_seats, &season.named, &season.places, &WEIGHTS);
            merged += wanted.len() - instance.members.len();
            let matching = seasonlink_matching::solve(&instance.problem().unwrap());
            assert_eq!(matching.objective, season.optimum(), "seed {seed}");

            // Every seat handed out is a real one, to an eligible worker, at its own score.
            let seated = instance.seat(&matching.assignment, &season.open_seats);
            assert_eq!(seated.len(), matching.placed, "seed {seed}");
            let mut taken = vec![0i64; wanted.len()];
            let mut total = 0;
            for (w, v, score) in seated {
                taken[v] += 1;
                assert_eq!(season.score(pool[w], &wanted[v]), Some(score), "seed {seed}");
                total += score;
            }
            assert!(
                taken.iter().zip(&season.open_seats).all(|(t, open)| t <= &(*open).max(0)),
                "seed {seed}"
            );
            assert_eq!(u64::try_from(total).unwrap(), matching.objective, "seed {seed}");
        }
        assert!(merged > 200, "the seasons should have vacancies alike: {merged} merged");
    }
}
