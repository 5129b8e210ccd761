//! `seasonlink-matching`: the batch matcher's exact assignment engine.
//!
//! Given workers, vacancies with an open headcount, and scored eligible (worker, vacancy)
//! pairs, [`solve`] returns an assignment that **maximises the total score**, each worker
//! placed at most once and each vacancy given at most its headcount. Placing a worker is
//! optional. The library does no I/O.
//!
//! ```
//! use seasonlink_matching::{solve, verify, Problem};
//! // 2 vacancies (headcount 1 and 2); worker 0 → {v0: 5, v1: 3}, worker 1 → {v0: 4}.
//! let capacity = [1, 2];
//! let offsets = [0, 2, 3];
//! let vacancy = [0, 1, 0];
//! let score = [5, 3, 4];
//! let problem = Problem::new(&capacity, &offsets, &vacancy, &score)?;
//! let m = solve(&problem);
//! assert_eq!(m.objective, 7);
//! assert_eq!(m.assignment, vec![Some(1), Some(0)]);
//! assert_eq!(verify(&problem, &m.assignment, &m.duals)?, 7);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Algorithm
//! ε-scaling forward auction (Bertsekas) on scores multiplied by `workers + 1`, so that
//! ε = 1 is exact, with one min-heap of slot prices per vacancy and cached best pairs per
//! worker; a reverse auction (Bertsekas & Castañón) lowers to 0 the price of every slot
//! left empty. Once ε is below one score unit, exact integer vacancy prices are sought
//! by label-correcting on complementary slackness; when found, they prove the current
//! placement optimal and the solve stops early (typically 2–4 phases before ε = 1).
//! The result carries its dual prices, and [`verify`] proves optimality independently
//! by weak duality (see [`Duals`]).

mod auction;
mod problem;
pub mod reference;
mod verify;

pub use problem::{InputError, MAX_SCORE, Problem};
pub use verify::{VerifyError, verify};

/// Dual prices proving that a [`Matching`] is optimal.
///
/// With `s = scale`, `p = price` (one per vacancy, scaled by `s`) and `c'_v` the
/// effective headcount (see [`Problem::effective_capacity`]), the dual value
/// `D = Σ_v c'_v·p_v + Σ_w max(0, max_{(w,v)} (s·score − p_v))` is, by weak duality, at
/// least `s` times the optimum. An assignment whose objective `z` has `D − s·z < s` is
/// therefore optimal (the optimum is an integer). [`verify`] checks exactly that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duals {
    /// The factor applied to scores (workers + 1).
    pub scale: u64,
    /// Price per vacancy, in scaled units, `>= 0`.
    pub price: Vec<i64>,
}

/// An optimal assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matching {
    /// The vacancy of each worker, `None` when unplaced.
    pub assignment: Vec<Option<u32>>,
    /// Total score of the placed pairs (maximal).
    pub objective: u64,
    /// Number of workers placed.
    pub placed: usize,
    /// The optimality certificate.
    pub duals: Duals,
    /// Work counters, for benchmarks and tuning.
    pub stats: Stats,
}

/// Work counters of one solve.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// ε-scaling phases run.
    pub phases: u32,
    /// Forward bids made.
    pub bids: u64,
    /// Full scans of a worker's edges (bids and checks the cached best pairs could not
    /// decide).
    pub scans: u64,
    /// Reverse-auction steps (slots left empty at a positive price).
    pub reverse_steps: u64,
    /// Partial transposes built for the reverse auction.
    pub transposes: u32,
    /// Whether the solve stopped early, proven optimal by integer prices (`scale` 1).
    pub early_certificate: bool,
}

/// Solves `problem` exactly: maximum total score, each worker at most once, each vacancy
/// at most its headcount. Never panics; time grows with the edges and the ε phases.
///
/// Among optimal assignments, which one is returned is unspecified; edges of score 0 are
/// never used (they do not change the objective).
pub fn solve(problem: &Problem<'_>) -> Matching {
    auction::solve(problem)
}

/// Entry points for tests and benchmarks; not part of the stable API.
#[doc(hidden)]
pub mod testing {
    use crate::{Matching, Problem};

    /// [`crate::solve`] without the early exact certificate: ε-scaling down to ε = 1, then
    /// the reverse auction, certified by the scaled prices.
    pub fn solve_auction_only(problem: &Problem<'_>) -> Matching {
        crate::auction::solve_with(problem, false)
    }
}
