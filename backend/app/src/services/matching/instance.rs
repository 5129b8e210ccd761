//! The instance a proposal solves, built for a season's size. An agency of 50,000 workers
//! may reach a few thousand of the season's 10,000 vacancies each: a hundred million pairs,
//! too many to hand the engine. So every worker is scored against every vacancy it may reach
//! (compactly: a few nanoseconds a pair), but only its best few pairs go to the engine. The
//! engine's dual prices then either prove the answer optimal over all pairs (weak duality,
//! as [`seasonlink_matching::verify`] checks it over the pairs it was given), or name the
//! pairs that could improve it, which join the instance for another solve. The answer is
//! exact either way; after a few rounds without a proof the whole instance is solved.

use std::collections::HashMap;

use chrono::NaiveDate;
use seasonlink_matching::{MAX_SCORE, Matching, Problem};

use super::{Places, Reach};
use crate::db::workers::DatedProfile;
use crate::domain::scoring::{self, Facts, Weights};
use crate::error::AppError;
use crate::services::vacancies::Vacancy;

/// Pairs each worker brings to the first solve: its best.
const FIRST_PAIRS: usize = 16;
/// Pairs a worker may add in one round: those that improve on its answer most.
const ADDED_PAIRS: usize = 8;
/// Solves of a part of the instance before the whole is solved.
const ROUNDS: usize = 6;

/// A worker as the proposal scores it.
struct Worker {
    from: NaiveDate,
    until: NaiveDate,
    /// The required skills (as [`Scorer`] numbers them) the worker has.
    skills: u64,
    /// How many skills the worker has in all.
    skill_count: usize,
    /// The parts of its score that no vacancy changes: experience, returns, language.
    points: i64,
    province: usize,
}

/// A vacancy as the proposal scores it.
struct Seat {
    start: NaiveDate,
    end: NaiveDate,
    required: u64,
    required_count: usize,
    crossing: usize,
}

/// Scores any (worker, vacancy) pair of a proposal from numbers worked out once, with the
/// parts of [`scoring::score`] (which is a sum of independent parts).
pub(super) struct Scorer<'a> {
    workers: Vec<Worker>,
    seats: Vec<Seat>,
    /// The distance part, by province and crossing.
    distance: Vec<Vec<i64>>,
    /// The skills part, by skills beyond the required (the score counts at most five).
    extra: [i64; 6],
    named: i64,
    reach: &'a Reach<'a>,
    profiles: &'a [&'a DatedProfile],
}

fn part(facts: Facts, weights: &Weights) -> i64 {
    scoring::score(&facts, weights).total()
}

const NOTHING: Facts = Facts {
    extra_skills: 0,
    seasons_worked: 0,
    returned_on_time: 0,
    named: false,
    distance_km: None,
    speaks_chinese: false,
};

impl<'a> Scorer<'a> {
    pub(super) fn new(
        profiles: &'a [&'a DatedProfile],
        vacancies: &[Vacancy],
        places: &Places,
        reach: &'a Reach<'a>,
        weights: &Weights,
    ) -> Result<Scorer<'a>, AppError> {
        let mut skill_bit: HashMap<&str, u64> = HashMap::new();
        for skill in vacancies.iter().flat_map(|v| &v.required_skills) {
            let next = skill_bit.len();
            if next == 64 && !skill_bit.contains_key(skill.as_str()) {
                return Err(AppError::internal(anyhow::anyhow!("more than 64 required skills")));
            }
            skill_bit.entry(skill.as_str()).or_insert(1 << next);
        }
        let (mut provinces, mut crossings) = (HashMap::new(), HashMap::new());
        let workers = profiles
            .iter()
            .map(|w| {
                let p = &w.profile;
                let next = provinces.len();
                Worker {
                    from: w.available_from,
                    until: w.available_until,
                    skills: p.skills().filter_map(|s| skill_bit.get(s)).fold(0, |mask, bit| mask | bit),
                    skill_count: p.skills().count(),
                    points: part(
                        Facts {
                            seasons_worked: p.seasons_worked,
                            returned_on_time: i64::from(p.returned_on_time),
                            speaks_chinese: p.languages().any(|l| l == "zh"),
                            ..NOTHING
                        },
                        weights,
                    ),
                    province: *provinces.entry(p.home_province_code.as_str()).or_insert(next),
                }
            })
            .collect();
        let seats = vacancies
            .iter()
            .map(|v| {
                let next = crossings.len();
                Seat {
                    start: v.season_start,
                    end: v.season_end,
                    required: v.required_skills.iter().map(|s| skill_bit[s.as_str()]).fold(0, |m, b| m | b),
                    required_count: v.required_skills.len(),
                    crossing: *crossings.entry(v.crossing_code.as_str()).or_insert(next),
                }
            })
            .collect();
        let mut distance = vec![vec![0; crossings.len()]; provinces.len()];
        for (province, &p) in &provinces {
            for (crossing, &c) in &crossings {
                let km = places.distance_km(province, crossing);
                distance[p][c] = part(Facts { distance_km: km, ..NOTHING }, weights);
            }
        }
        let extra = std::array::from_fn(|k| part(Facts { extra_skills: k, ..NOTHING }, weights));
        let named = part(Facts { named: true, ..NOTHING }, weights);
        Ok(Scorer { workers, seats, distance, extra, named, reach, profiles })
    }

    /// Hands `each` every vacancy the worker is eligible for, with the pair's points as the
    /// engine takes them; `reachable` is scratch space.
    fn pairs(&self, w: usize, reachable: &mut Vec<usize>, mut each: impl FnMut(u32, u32)) {
        let worker = &self.workers[w];
        let id = &self.profiles[w].profile.id;
        self.reach.reachable(&self.profiles[w].profile, reachable);
        for &v in reachable.iter() {
            let seat = &self.seats[v];
            if worker.from > seat.start || seat.end > worker.until || seat.required & !worker.skills != 0 {
                continue;
            }
            let beyond = worker.skill_count.saturating_sub(seat.required_count).min(5);
            let named = if self.reach.named(v, id) { self.named } else { 0 };
            let total =
                self.extra[beyond] + worker.points + self.distance[worker.province][seat.crossing] + named;
            let points = u32::try_from(total.clamp(0, i64::from(MAX_SCORE))).unwrap_or(0);
            each(v as u32, points);
        }
    }
}

/// The solved instance: the pairs the engine was given (by worker, as a CSR) and its answer.
pub(super) struct Solved {
    pub offsets: Vec<u64>,
    pub edge_vacancy: Vec<u32>,
    pub edge_score: Vec<u32>,
    pub matching: Matching,
    /// Solves it took (the last over the whole instance when no earlier one was proven).
    pub rounds: usize,
}

/// Solves the proposal exactly over every eligible pair of `scorer`, with `capacity` open
/// seats per vacancy.
pub(super) fn solve(scorer: &Scorer<'_>, capacity: &[u32]) -> Result<Solved, AppError> {
    let workers = scorer.workers.len();
    let mut reachable = Vec::new();
    // Each worker's pairs in the instance, by vacancy.
    let mut kept: Vec<Vec<(u32, u32)>> = Vec::with_capacity(workers);
    let mut scored = Vec::new();
    for w in 0..workers {
        scored.clear();
        scorer.pairs(w, &mut reachable, |v, points| scored.push((v, points)));
        kept.push(best(&mut scored, FIRST_PAIRS, |&(v, points)| (points, v)));
    }
    for round in 1..=ROUNDS {
        let solved = solve_kept(&kept, capacity, round)?;
        let (proven, better) = check(scorer, capacity, &kept, &solved.matching);
        if proven {
            return Ok(solved);
        }
        if better.is_empty() {
            // Nothing to add that a price says could help: only the whole can settle it.
            break;
        }
        for (w, pairs) in better {
            kept[w].extend(pairs);
            kept[w].sort_unstable();
        }
    }
    // No proof: the whole instance.
    for (w, pairs) in kept.iter_mut().enumerate() {
        pairs.clear();
        scorer.pairs(w, &mut reachable, |v, points| pairs.push((v, points)));
    }
    solve_kept(&kept, capacity, ROUNDS + 1)
}

/// The `n` best of `pairs` by `key` (highest first), returned in vacancy order.
fn best<K: Ord>(pairs: &mut [(u32, u32)], n: usize, key: impl Fn(&(u32, u32)) -> K) -> Vec<(u32, u32)> {
    let order = |a: &(u32, u32), b: &(u32, u32)| key(b).cmp(&key(a)).then(a.0.cmp(&b.0));
    if pairs.len() > n {
        pairs.select_nth_unstable_by(n - 1, order);
    }
    let mut chosen = pairs[..pairs.len().min(n)].to_vec();
    chosen.sort_unstable();
    chosen
}

fn solve_kept(kept: &[Vec<(u32, u32)>], capacity: &[u32], rounds: usize) -> Result<Solved, AppError> {
    let mut offsets = Vec::with_capacity(kept.len() + 1);
    let edges = kept.iter().map(Vec::len).sum();
    let (mut edge_vacancy, mut edge_score) = (Vec::with_capacity(edges), Vec::with_capacity(edges));
    offsets.push(0u64);
    for pairs in kept {
        for &(v, points) in pairs {
            edge_vacancy.push(v);
            edge_score.push(points);
        }
        offsets.push(edge_vacancy.len() as u64);
    }
    let problem = Problem::new(capacity, &offsets, &edge_vacancy, &edge_score)
        .map_err(|e| AppError::internal(anyhow::anyhow!("matching instance: {e:?}")))?;
    let matching = seasonlink_matching::solve(&problem);
    Ok(Solved { offsets, edge_vacancy, edge_score, matching, rounds })
}

/// Whether the engine's prices prove its answer optimal over every eligible pair (weak
/// duality: the dual value over all pairs, with the capacities every pair could use, is
/// less than one score unit above the objective); if not, the pairs of each worker that
/// would earn more at those prices than its answer does, the best few.
fn check(
    scorer: &Scorer<'_>,
    capacity: &[u32],
    kept: &[Vec<(u32, u32)>],
    matching: &Matching,
) -> (bool, Vec<(usize, Vec<(u32, u32)>)>) {
    let scale = i128::from(matching.duals.scale);
    let price = &matching.duals.price;
    let profit = |v: u32, points: u32| i128::from(points) * scale - i128::from(price[v as usize]);
    let mut degree = vec![0u32; capacity.len()];
    let (mut dual, mut better, mut reachable, mut above) = (0i128, Vec::new(), Vec::new(), Vec::new());
    for (w, pairs) in kept.iter().enumerate() {
        let own = pairs.iter().map(|&(v, points)| profit(v, points)).max().unwrap_or(0).max(0);
        let mut best_any = 0i128;
        above.clear();
        scorer.pairs(w, &mut reachable, |v, points| {
            if points > 0 {
                degree[v as usize] = degree[v as usize].saturating_add(1);
            }
            let earns = profit(v, points);
            best_any = best_any.max(earns);
            if earns > own {
                above.push((v, points));
            }
        });
        dual += best_any;
        if !above.is_empty() {
            let by_profit = |&(v, points): &(u32, u32)| profit(v, points);
            better.push((w, best(&mut above, ADDED_PAIRS, by_profit)));
        }
    }
    for ((&c, &d), &p) in capacity.iter().zip(&degree).zip(price) {
        dual += i128::from(c.min(d)) * i128::from(p);
    }
    let proven = dual - scale * i128::from(matching.objective) < scale;
    (proven, better)
}
