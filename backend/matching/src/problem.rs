//! The input of the matcher: a validated, borrowed view of a scored eligibility graph.

use std::fmt;

/// The largest score an eligible pair may carry.
pub const MAX_SCORE: u32 = 1_000_000;

/// Why an input was rejected by [`Problem::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// `offsets` is empty: it must hold `workers + 1` entries.
    EmptyOffsets,
    /// `offsets[0]` is not 0.
    FirstOffsetNotZero {
        /// The value found.
        found: u64,
    },
    /// `offsets[worker + 1] < offsets[worker]`.
    OffsetsNotMonotone {
        /// The worker whose edge range is reversed.
        worker: usize,
    },
    /// The last offset differs from the number of edges.
    LastOffsetMismatch {
        /// The last offset.
        last: u64,
        /// The number of entries in `vacancy_of_edge`.
        edges: usize,
    },
    /// `vacancy_of_edge` and `score_of_edge` have different lengths.
    EdgeArraysMismatch {
        /// Entries in `vacancy_of_edge`.
        vacancies: usize,
        /// Entries in `score_of_edge`.
        scores: usize,
    },
    /// An edge names a vacancy that does not exist.
    VacancyOutOfRange {
        /// The edge index.
        edge: usize,
        /// The vacancy it names.
        vacancy: u32,
        /// The number of vacancies.
        vacancies: usize,
    },
    /// An edge's score exceeds [`MAX_SCORE`].
    ScoreOutOfRange {
        /// The edge index.
        edge: usize,
        /// The score found.
        score: u32,
    },
    /// Too many workers (worker ids are 32-bit: at most `u32::MAX - 1` workers).
    TooLarge,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyOffsets => write!(f, "offsets is empty (it needs workers + 1 entries)"),
            Self::FirstOffsetNotZero { found } => write!(f, "offsets[0] is {found}, not 0"),
            Self::OffsetsNotMonotone { worker } => {
                write!(f, "offsets decrease at worker {worker}")
            }
            Self::LastOffsetMismatch { last, edges } => {
                write!(f, "last offset {last} differs from the edge count {edges}")
            }
            Self::EdgeArraysMismatch { vacancies, scores } => {
                write!(f, "{vacancies} edge vacancies but {scores} edge scores")
            }
            Self::VacancyOutOfRange { edge, vacancy, vacancies } => {
                write!(f, "edge {edge} names vacancy {vacancy}, but there are only {vacancies}")
            }
            Self::ScoreOutOfRange { edge, score } => {
                write!(f, "edge {edge} has score {score}, above the maximum {MAX_SCORE}")
            }
            Self::TooLarge => write!(f, "instance too large for exact integer arithmetic"),
        }
    }
}

impl std::error::Error for InputError {}

/// A validated matching instance, borrowing its arrays (no copy of the edges is made).
///
/// Workers are numbered `0..workers()`, vacancies `0..vacancies()`. Worker `w`'s eligible
/// pairs are the edges `offsets[w]..offsets[w + 1]` (CSR): edge `e` names vacancy
/// `vacancy_of_edge[e]` with score `score_of_edge[e]` in `0..=MAX_SCORE`.
#[derive(Debug, Clone, Copy)]
pub struct Problem<'a> {
    pub(crate) capacity: &'a [u32],
    pub(crate) offsets: &'a [u64],
    pub(crate) vacancy: &'a [u32],
    pub(crate) score: &'a [u32],
}

impl<'a> Problem<'a> {
    /// Validates and wraps an instance.
    ///
    /// `capacity[v]` is vacancy `v`'s open headcount; `offsets` has `workers + 1` entries.
    ///
    /// # Errors
    /// [`InputError`] when offsets are not monotone from 0 to the edge count, an edge
    /// names a vacancy out of range, or a score exceeds [`MAX_SCORE`].
    pub fn new(
        capacity: &'a [u32],
        offsets: &'a [u64],
        vacancy_of_edge: &'a [u32],
        score_of_edge: &'a [u32],
    ) -> Result<Self, InputError> {
        let (&first, rest) = offsets.split_first().ok_or(InputError::EmptyOffsets)?;
        if first != 0 {
            return Err(InputError::FirstOffsetNotZero { found: first });
        }
        let mut prev = first;
        for (worker, &o) in rest.iter().enumerate() {
            if o < prev {
                return Err(InputError::OffsetsNotMonotone { worker });
            }
            prev = o;
        }
        if vacancy_of_edge.len() != score_of_edge.len() {
            return Err(InputError::EdgeArraysMismatch {
                vacancies: vacancy_of_edge.len(),
                scores: score_of_edge.len(),
            });
        }
        if u64::try_from(vacancy_of_edge.len()).ok() != Some(prev) {
            return Err(InputError::LastOffsetMismatch { last: prev, edges: vacancy_of_edge.len() });
        }
        let vacancies = capacity.len();
        if let Some(edge) = vacancy_of_edge.iter().position(|&v| v as usize >= vacancies) {
            let vacancy = vacancy_of_edge[edge];
            return Err(InputError::VacancyOutOfRange { edge, vacancy, vacancies });
        }
        if let Some(edge) = score_of_edge.iter().position(|&s| s > MAX_SCORE) {
            return Err(InputError::ScoreOutOfRange { edge, score: score_of_edge[edge] });
        }
        // Scaled values are score * (workers + 1); keep them far from i64 overflow.
        let workers = offsets.len() - 1;
        if workers >= u32::MAX as usize
            || (workers as u128 + 1) * u128::from(MAX_SCORE) * 4 > i64::MAX as u128
        {
            return Err(InputError::TooLarge);
        }
        Ok(Self { capacity, offsets, vacancy: vacancy_of_edge, score: score_of_edge })
    }

    /// Number of workers.
    pub fn workers(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of vacancies.
    pub fn vacancies(&self) -> usize {
        self.capacity.len()
    }

    /// Number of eligible pairs (edges).
    pub fn edges(&self) -> usize {
        self.vacancy.len()
    }

    /// Vacancy `v`'s open headcount.
    pub fn capacity(&self) -> &'a [u32] {
        self.capacity
    }

    /// Edge range of `worker` (indices into the edge arrays).
    pub fn edge_range(&self, worker: usize) -> std::ops::Range<usize> {
        // Offsets were validated monotone and bounded by the edge count, which is a usize.
        self.offsets[worker] as usize..self.offsets[worker + 1] as usize
    }

    /// `(vacancy, score)` of every edge of `worker`.
    pub fn edges_of(&self, worker: usize) -> impl Iterator<Item = (u32, u32)> + 'a {
        let r = self.edge_range(worker);
        self.vacancy[r.clone()].iter().copied().zip(self.score[r].iter().copied())
    }

    /// Capacities reduced to what can be used: `min(capacity, number of positive-score
    /// edges into the vacancy)`. The reduced problem has the same feasible placements of
    /// positive pairs, hence the same optimum.
    pub fn effective_capacity(&self) -> Vec<u32> {
        let mut deg = vec![0u32; self.capacity.len()];
        for (&v, &s) in self.vacancy.iter().zip(self.score) {
            if s > 0 {
                let d = &mut deg[v as usize];
                *d = d.saturating_add(1);
            }
        }
        deg.iter_mut().zip(self.capacity).for_each(|(d, &c)| *d = (*d).min(c));
        deg
    }
}
