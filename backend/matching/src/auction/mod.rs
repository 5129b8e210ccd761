//! ε-scaling forward auction, reverse auction for emptied slots, exact integer prices.
//!
//! Persons are workers; objects are the slots of each vacancy (its effective headcount),
//! each slot with its own price, kept in one min-heap per vacancy; the vacancy's price is
//! its lowest slot price. A worker's outside option ("unplaced") is worth 0 at price 0.
//! Values are `score * s` with `s = workers + 1`: ε-complementary slackness (ε-CS) at the
//! vacancy prices with ε = 1, and price 0 at every under-filled vacancy, bound the loss
//! by `workers * ε < s`, below one score unit, so the assignment is then optimal.
//!
//! * Bids: a worker bids `value − second best + ε` (capped at its value) on its best
//!   vacancy, evicting the holder of the cheapest slot. It remembers its `K` best pairs
//!   and a bound on the rest; prices only rise while bidding, so a re-bid usually needs
//!   no rescan of its edges.
//! * Each worker keeps ε-CS with its *own slot price* (≥ the vacancy price), so a later
//!   rise of its vacancy's price by other bids never breaks it. At each phase start the
//!   workers violating the smaller ε are released (their slots keep their prices) and
//!   the others' slot prices are lowered as far as ε-CS allows, never below the vacancy
//!   price.
//! * Reverse auction (Bertsekas & Castañón): a slot left empty at a positive price is
//!   lowered to 0 or sold to the worker outside its vacancy who gains most from it.
//!   Candidates come from a partial transpose of the edges near each vacancy's price.
//! * Early exit: once ε is at most one score unit, `exact_duals` tries to prove the
//!   current placement optimal with exact integer prices; it usually succeeds several
//!   phases before ε = 1.

use std::collections::{BinaryHeap, VecDeque};

use crate::{Duals, MAX_SCORE, Matching, Problem, Stats};

mod market;
mod transpose;

use market::{Market, heapify};
use transpose::{Transposed, transpose};

const NONE: u32 = u32::MAX;
/// First ε is the largest value divided by this.
const FIRST_DIVISOR: i64 = 8;
/// ε is divided by this between phases.
const EPS_FACTOR: i64 = 8;

/// How many best edges a worker remembers from its last full scan.
const K: usize = 4;

/// What a worker remembers from its last full scan: its `K` best pairs (vacancy, score)
/// and an upper bound on the value of all its other edges. Prices only rise during
/// forward bidding, so values only fall and the bound stays valid. Holding the pairs
/// themselves (not edge indices) keeps re-bids and checks off the large edge arrays.
#[derive(Clone, Copy)]
struct Cache {
    vac: [u32; K],
    score: [u32; K],
    bound: i64,
}

const EMPTY_CACHE: Cache = Cache { vac: [NONE; K], score: [0; K], bound: i64::MAX };

/// A worker's state: one cache line.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Worker {
    cache: Cache,
    /// Scaled score of the current pair (0 when unplaced).
    own: i64,
    /// Price of the worker's own slot (>= its vacancy's price). Invariant:
    /// `own − paid ≥ (best value elsewhere) − ε`, which survives later rises of the
    /// vacancy price.
    paid: i64,
    /// Vacancy (`NONE` = unplaced).
    vac: u32,
}

/// A worker's choice: vacancy (`NONE` = unplaced) and scaled score.
type Choice = (u32, i64);

struct Auction<'p, 'a> {
    p: &'p Problem<'a>,
    s: i64,
    market: Market,
    /// Per-worker state, one cache line each (bids touch workers in random order).
    w: Vec<Worker>,
    queue: VecDeque<u32>,
    /// Positive edges by vacancy, built on the first reverse step that needs them.
    transposed: Option<Transposed>,
    stats: Stats,
}

impl Auction<'_, '_> {
    fn placements(&self) -> Vec<u32> {
        self.w.iter().map(|w| w.vac).collect()
    }

    /// Worker `i`'s profit at the vacancy prices: value of its pair minus the vacancy's
    /// price (the lowest slot price), 0 when unplaced.
    fn profit(&self, i: usize) -> i64 {
        match self.w[i].vac {
            NONE => 0,
            j => self.w[i].own - self.market.ask[j as usize],
        }
    }

    /// Full scan of `i`'s edges: fills the cache; returns (best choice, best value,
    /// second value), the outside option counting as a choice of value 0.
    fn scan(&mut self, i: usize) -> (Choice, i64, i64) {
        self.stats.scans += 1;
        let r = self.p.edge_range(i);
        // Top-K by value, sorted descending; `rest` = best value outside the top K.
        let mut top_v = [i64::MIN; K];
        let mut top_j = [NONE; K];
        let mut top_a = [0u32; K];
        let mut rest = i64::MIN;
        let ask = &self.market.ask;
        for (&v, &a) in self.p.vacancy[r.clone()].iter().zip(&self.p.score[r]) {
            let val = i64::from(a) * self.s - ask[v as usize];
            if val > top_v[K - 1] {
                rest = rest.max(top_v[K - 1]);
                let mut m = K - 1;
                while m > 0 && top_v[m - 1] < val {
                    top_v[m] = top_v[m - 1];
                    top_j[m] = top_j[m - 1];
                    top_a[m] = top_a[m - 1];
                    m -= 1;
                }
                top_v[m] = val;
                top_j[m] = v;
                top_a[m] = a;
            } else {
                rest = rest.max(val);
            }
        }
        self.w[i].cache = Cache { vac: top_j, score: top_a, bound: rest };
        if top_v[0] > 0 {
            ((top_j[0], i64::from(top_a[0]) * self.s), top_v[0], top_v[1].max(0))
        } else {
            ((NONE, 0), 0, top_v[0].max(0))
        }
    }

    /// Best and second values from the cache, if the cache still proves which pair is
    /// best. The second is an upper bound of the true second best (enough for a bid).
    fn cached_choice(&self, i: usize) -> Option<(Choice, i64, i64)> {
        let c = &self.w[i].cache;
        let (mut choice, mut best, mut second) = ((NONE, 0), i64::MIN, c.bound.max(0));
        for (&j, &a) in c.vac.iter().zip(&c.score) {
            if j == NONE {
                continue;
            }
            let a = i64::from(a) * self.s;
            let val = a - self.market.ask[j as usize];
            if val > best {
                second = second.max(best);
                best = val;
                choice = (j, a);
            } else {
                second = second.max(val);
            }
        }
        (choice.0 != NONE && best > 0 && best >= second).then_some((choice, best, second))
    }

    fn bid(&mut self, i: usize, eps: i64) {
        self.stats.bids += 1;
        let ((j, a), _best, second) = match self.cached_choice(i) {
            Some(c) => c,
            None => self.scan(i),
        };
        if j == NONE {
            self.w[i].vac = NONE;
            self.w[i].own = 0;
            return;
        }
        // Never bid above the value: profits stay >= 0, so a later phase does not strand
        // slots at prices nobody would pay.
        let price = (a - second + eps).min(a);
        let evicted = self.market.replace_min(j as usize, price, i as u32);
        self.w[i].vac = j;
        self.w[i].own = a;
        self.w[i].paid = price;
        if evicted != NONE {
            self.w[evicted as usize].vac = NONE;
            self.w[evicted as usize].own = 0;
            self.queue.push_back(evicted);
        }
    }

    /// Checks ε-complementary slackness of `i` at the vacancy prices. When it holds for a
    /// placed worker, returns the highest slot price at which it still holds with its
    /// own slot price in place of the vacancy price (the "ceiling"); `None` = violated.
    fn check(&mut self, i: usize, eps: i64) -> Option<i64> {
        let profit = self.profit(i);
        // Cheap upper bound of the best value from the cache first.
        let c = self.w[i].cache;
        let mut ub = i64::MAX;
        if c.bound != i64::MAX {
            ub = c.bound.max(0);
            for (&j, &a) in c.vac.iter().zip(&c.score) {
                if j != NONE {
                    ub = ub.max(i64::from(a) * self.s - self.market.ask[j as usize]);
                }
            }
        }
        if ub == i64::MAX || profit < ub - eps {
            ub = self.scan(i).1.max(0);
        }
        (profit >= ub - eps).then_some(self.w[i].own - ub + eps)
    }

    /// One ε phase: unassign workers violating ε-CS, then bid until all are settled.
    fn phase(&mut self, eps: i64, active: &[u32], first: bool) {
        self.stats.phases += 1;
        if first {
            self.queue.extend(active.iter().copied());
        } else {
            for &w in active {
                let i = w as usize;
                match self.check(i, eps) {
                    Some(ceiling) => self.w[i].paid = self.w[i].paid.min(ceiling),
                    None => {
                        self.w[i].vac = NONE;
                        self.w[i].own = 0;
                        self.queue.push_back(w);
                    }
                }
            }
            // Release the violators' slots (prices kept) and lower each kept worker's slot
            // to its ceiling, never below the vacancy price: the vacancy prices do not
            // change, and every placed worker satisfies ε-CS with its own slot price.
            for j in 0..self.market.ask.len() {
                let r = self.market.range(j);
                let floor = self.market.ask[j];
                let mut lowered = false;
                for slot in &mut self.market.slots[r.clone()] {
                    if slot.holder == NONE {
                        continue;
                    }
                    let h = slot.holder as usize;
                    if self.w[h].vac == NONE {
                        slot.holder = NONE;
                    } else {
                        let price = self.w[h].paid.max(floor).min(slot.price);
                        lowered |= price < slot.price;
                        slot.price = price;
                        self.w[h].paid = price;
                    }
                }
                if lowered {
                    heapify(&mut self.market.slots[r]);
                }
            }
        }
        while let Some(w) = self.queue.pop_front() {
            self.bid(w as usize, eps);
        }
    }

    /// Reverse auction: every empty slot with a positive price is lowered to 0 or sold to
    /// the worker outside its vacancy who gains most from it. Keeps ε-CS; every worker
    /// stays assigned; ends with price 0 at under-filled vacancies.
    ///
    /// Candidates come from a partial transpose holding, per vacancy `j`, only the edges
    /// with score `>= floor[j]` (chosen near the vacancy's price): any other worker's gain
    /// is below `s·(floor[j] − 1)`, a bound that is enough to price the slot safely.
    /// When it is not enough to decide, the vacancy's floor is halved and the partial
    /// transpose rebuilt.
    fn reverse(&mut self, eps: i64) {
        let nv = self.market.ask.len();
        let needs =
            |m: &Market, j: usize| m.slots[m.range(j)].iter().any(|s| s.holder == NONE && s.price > 0);
        let mut queued: Vec<bool> = (0..nv).map(|j| needs(&self.market, j)).collect();
        let mut todo: Vec<usize> = (0..nv).filter(|&j| queued[j]).collect();
        if todo.is_empty() {
            return;
        }
        // Lowered prices raise values: every cached upper bound is void from here on.
        self.w.iter_mut().for_each(|w| w.cache = EMPTY_CACHE);
        let mut t = match self.transposed.take() {
            Some(t) => t,
            None => {
                let floor: Vec<u32> = self
                    .market
                    .ask
                    .iter()
                    .map(|&q| if q == i64::MAX { 1 } else { ((q / self.s) * 7 / 8).max(1) as u32 })
                    .collect();
                self.stats.transposes += 1;
                transpose(self.p, floor)
            }
        };
        let mut deferred = Vec::new();
        loop {
            while let Some(j) = todo.pop() {
                queued[j] = false;
                if self.reverse_vacancy(j, eps, &t, &mut queued, &mut todo) {
                    deferred.push(j);
                }
            }
            if deferred.is_empty() {
                break;
            }
            let mut floor = std::mem::take(&mut t.floor);
            for &j in &deferred {
                floor[j] = (floor[j] / 2).max(1);
                queued[j] = true;
            }
            todo.append(&mut deferred);
            t = transpose(self.p, floor);
            self.stats.transposes += 1;
        }
        self.transposed = Some(t);
    }

    /// Reverse steps on vacancy `j` until it has no empty slot with a positive price.
    /// Returns `true` when the partial transpose could not decide (`j` must be retried
    /// with a lower floor).
    fn reverse_vacancy(
        &mut self,
        j: usize,
        eps: i64,
        t: &Transposed,
        queued: &mut [bool],
        todo: &mut Vec<usize>,
    ) -> bool {
        // Every worker missing from the partial transpose gains at most `hidden`.
        let hidden = if t.floor[j] <= 1 { i64::MIN } else { i64::from(t.floor[j] - 1) * self.s };
        loop {
            let r = self.market.range(j);
            let Some(pos) = self.market.slots[r].iter().position(|s| s.holder == NONE && s.price > 0) else {
                return false;
            };
            self.stats.reverse_steps += 1;
            let (mut best, mut second, mut who, mut who_a) = (i64::MIN, i64::MIN, NONE, 0i64);
            for &(k, a) in &t.entries[t.start[j]..t.start[j + 1]] {
                let ku = k as usize;
                let kv = self.w[ku].vac;
                if kv == j as u32 {
                    continue;
                }
                let a = i64::from(a) * self.s;
                // Profit at the worker's own slot price: stays valid if its vacancy's
                // price rises later.
                let k_profit = if kv == NONE { 0 } else { self.w[ku].own - self.w[ku].paid };
                let val = a - k_profit;
                if val > best {
                    second = best;
                    best = val;
                    who = k;
                    who_a = a;
                } else if val > second {
                    second = val;
                }
            }
            if best < hidden {
                // The best gain may be hidden: price safely at the bound, retry deeper.
                let price = (hidden - eps).max(0);
                if price == 0 {
                    self.market.lower(j, pos, 0, NONE);
                    continue;
                }
                let cur = self.market.slots[self.market.range(j)][pos].price;
                if price < cur {
                    self.market.lower(j, pos, price, NONE);
                }
                return true;
            }
            let second = second.max(hidden);
            let price = if second == i64::MIN { 0 } else { (second - eps).max(0) };
            if who == NONE || best - price < eps {
                // Nobody gains ε from it even at price 0 (best < ε): leave it empty at 0.
                self.market.lower(j, pos, 0, NONE);
                continue;
            }
            let k = who as usize;
            let old = self.w[k].vac;
            if old != NONE {
                let o = old as usize;
                let r = self.market.range(o);
                if let Some(q) = self.market.slots[r].iter_mut().find(|s| s.holder == who) {
                    q.holder = NONE;
                }
                if !queued[o] {
                    queued[o] = true;
                    todo.push(o);
                }
            }
            // `pos` is still the empty slot: releasing a slot does not move heap entries.
            self.market.lower(j, pos, price, who);
            self.w[k].vac = j as u32;
            self.w[k].own = who_a;
            self.w[k].paid = price;
        }
    }
}

/// Exact integer dual prices (scale 1) proving that the placement `vac` is optimal, if
/// it is and they are found within `budget` edge visits.
///
/// Complementary slackness at integer prices `p ≥ 0` is a system of difference
/// constraints: for a worker placed in `j` and another eligible `k`,
/// `p_k ≥ p_j + a_ik − a_ij`; for an unplaced worker, `p_k ≥ a_ik`; `p_j ≤ a_ij` for every
/// worker placed in `j`, and `p_j = 0` when `j` is under-filled. Its least solution is
/// found by label-correcting (longest paths from 0); any bound exceeded means that no
/// certificate exists, i.e. the placement is not optimal.
pub(crate) fn exact_duals(
    p: &Problem<'_>,
    vac: &[u32],
    capacity: &[u32],
    potential: &[i64],
    scale: i64,
    budget: u64,
) -> Option<Vec<i64>> {
    let nv = p.vacancies();
    let mut mstart = vec![0usize; nv + 1];
    for &j in vac {
        if j != NONE {
            mstart[j as usize + 1] += 1;
        }
    }
    for j in 0..nv {
        mstart[j + 1] += mstart[j];
    }
    let mut fill = mstart.clone();
    let mut members = vec![0u32; mstart[nv]];
    // Start from the auction's prices rounded down; process vacancies by decreasing
    // `price·scale − potential` (Dijkstra's order for the nearly-feasible potentials).
    let mut price: Vec<i64> = potential.iter().map(|&q| if q == i64::MAX { 0 } else { q / scale }).collect();
    let key = |price: i64, k: usize| price * scale - potential[k].min(i64::MAX / 4);
    let mut ub: Vec<i64> = (0..nv)
        .map(|j| if (mstart[j + 1] - mstart[j]) < capacity[j] as usize { 0 } else { i64::MAX })
        .collect();
    for (i, &j) in vac.iter().enumerate() {
        if j == NONE {
            for (k, a) in p.edges_of(i) {
                price[k as usize] = price[k as usize].max(i64::from(a));
            }
        } else {
            let f = &mut fill[j as usize];
            members[*f] = i as u32;
            *f += 1;
            let a = p.edges_of(i).filter(|&(k, _)| k == j).map(|(_, a)| a).max().unwrap_or(0);
            let u = &mut ub[j as usize];
            *u = (*u).min(i64::from(a));
        }
    }
    for (x, &u) in price.iter_mut().zip(&ub) {
        if u == 0 {
            *x = 0;
        }
        if *x > u {
            return None;
        }
    }
    let mut heap: BinaryHeap<(i64, u32)> = (0..nv).map(|j| (key(price[j], j), j as u32)).collect();
    let mut work = 0u64;
    while let Some((kj, j)) = heap.pop() {
        let j = j as usize;
        let pj = price[j];
        if kj != key(pj, j) {
            continue;
        }
        for &i in &members[mstart[j]..mstart[j + 1]] {
            let i = i as usize;
            let r = p.edge_range(i);
            work += r.len() as u64;
            if work > budget {
                return None;
            }
            let (vs, sc) = (&p.vacancy[r.clone()], &p.score[r]);
            let own = vs.iter().zip(sc).filter(|&(&k, _)| k as usize == j).map(|(_, &a)| a).max();
            let base = pj - i64::from(own.unwrap_or(0));
            for (&k, &a) in vs.iter().zip(sc) {
                let k = k as usize;
                let cand = base + i64::from(a);
                if cand > price[k] && k != j {
                    if cand > ub[k] {
                        return None;
                    }
                    price[k] = cand;
                    heap.push((key(cand, k), k as u32));
                }
            }
        }
    }
    Some(price)
}

pub(crate) fn solve(p: &Problem<'_>) -> Matching {
    solve_with(p, true)
}

/// `early_certificate`: after each phase with ε at most one score unit, try to prove the
/// current placement optimal with exact integer prices and stop if that succeeds.
pub(crate) fn solve_with(p: &Problem<'_>, early_certificate: bool) -> Matching {
    let w = p.workers();
    let s = w as i64 + 1;
    let capacity = p.effective_capacity();
    let max_score = p.score.iter().copied().max().unwrap_or(0);
    let active: Vec<u32> =
        (0..w).filter(|&i| p.score[p.edge_range(i)].iter().any(|&a| a > 0)).map(|i| i as u32).collect();
    let mut auction = Auction {
        p,
        s,
        market: Market::new(&capacity),
        w: vec![Worker { cache: EMPTY_CACHE, own: 0, paid: 0, vac: NONE }; w],
        queue: VecDeque::new(),
        transposed: None,
        stats: Stats::default(),
    };
    if max_score > 0 {
        let top = i64::from(max_score) * s;
        let mut eps = (top / FIRST_DIVISOR).max(1);
        let mut first = true;
        // A failed attempt at exact prices costs at most about one pass over the edges.
        let budget = p.edges() as u64 + 1024;
        loop {
            auction.phase(eps, &active, first);
            first = false;
            // Once ε is at most one score unit, the placement is usually optimal already.
            if eps <= s {
                let steps = auction.stats.reverse_steps;
                auction.reverse(eps);
                // Reverse steps void every worker's cache, so the next phase would rescan
                // all edges: an attempt at exact prices (about one pass) is then cheap by
                // comparison. Otherwise the next phase is cheaper than the attempt.
                if early_certificate && auction.stats.reverse_steps > steps {
                    let d = exact_duals(p, &auction.placements(), &capacity, &auction.market.ask, s, budget);
                    if let Some(price) = d {
                        auction.stats.early_certificate = true;
                        return finish(p, auction, Duals { scale: 1, price });
                    }
                }
            }
            if eps == 1 {
                break;
            }
            eps = (eps / EPS_FACTOR).max(1);
        }
    }
    // ε-CS with ε = 1 at scale s, and price 0 at every under-filled vacancy: the scaled
    // vacancy prices are themselves a certificate.
    let price = auction
        .market
        .ask
        .iter()
        .zip(&capacity)
        .map(|(&q, &c)| if c == 0 { i64::from(MAX_SCORE) * s } else { q })
        .collect();
    finish(p, auction, Duals { scale: s as u64, price })
}

fn finish(p: &Problem<'_>, a: Auction<'_, '_>, duals: Duals) -> Matching {
    let mut objective = 0u64;
    let mut placed = 0usize;
    let assignment: Vec<Option<u32>> =
        a.w.iter()
            .enumerate()
            .map(|(i, w)| {
                let j = w.vac;
                if j == NONE {
                    return None;
                }
                let best = p.edges_of(i).filter(|&(v, _)| v == j).map(|(_, s)| s).max().unwrap_or(0);
                objective += u64::from(best);
                placed += 1;
                Some(j)
            })
            .collect();
    Matching { assignment, objective, placed, duals, stats: a.stats }
}
