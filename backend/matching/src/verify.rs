//! Independent optimality check by weak duality.

use std::fmt;

use crate::{Duals, Problem};

/// Why [`verify`] rejected an assignment or its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The assignment does not have one entry per worker.
    AssignmentLength {
        /// Entries given.
        found: usize,
        /// Workers in the problem.
        workers: usize,
    },
    /// A worker is placed in a vacancy it is not eligible for.
    NotEligible {
        /// The worker.
        worker: usize,
        /// The vacancy.
        vacancy: u32,
    },
    /// A vacancy receives more workers than its headcount.
    OverCapacity {
        /// The vacancy.
        vacancy: usize,
    },
    /// The certificate does not have one price per vacancy, or its scale is 0.
    MalformedDuals,
    /// A dual price is negative.
    NegativePrice {
        /// The vacancy.
        vacancy: usize,
    },
    /// The dual bound exceeds the objective by one score unit or more: not proven optimal.
    NotOptimal {
        /// `dual value − scale × objective`, in scaled units.
        gap: i128,
        /// The scale.
        scale: u64,
    },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AssignmentLength { found, workers } => {
                write!(f, "assignment has {found} entries for {workers} workers")
            }
            Self::NotEligible { worker, vacancy } => {
                write!(f, "worker {worker} is not eligible for vacancy {vacancy}")
            }
            Self::OverCapacity { vacancy } => write!(f, "vacancy {vacancy} is over its headcount"),
            Self::MalformedDuals => write!(f, "malformed dual certificate"),
            Self::NegativePrice { vacancy } => {
                write!(f, "negative dual price at vacancy {vacancy}")
            }
            Self::NotOptimal { gap, scale } => {
                write!(f, "not proven optimal: duality gap {gap} ≥ scale {scale}")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Checks that `assignment` is feasible for `problem` and, with the certificate `duals`,
/// that it is optimal. Returns the objective.
///
/// Feasibility: one entry per worker, each placement on an eligible pair, no vacancy over
/// its headcount. Optimality: the weak-duality bound of `duals` (see [`Duals`]) exceeds
/// `scale × objective` by less than `scale`. One pass over the edges; never panics.
///
/// # Errors
/// [`VerifyError`] naming the first violation found.
pub fn verify(problem: &Problem<'_>, assignment: &[Option<u32>], duals: &Duals) -> Result<u64, VerifyError> {
    let w = problem.workers();
    let nv = problem.vacancies();
    if assignment.len() != w {
        return Err(VerifyError::AssignmentLength { found: assignment.len(), workers: w });
    }
    if duals.price.len() != nv || duals.scale == 0 || duals.scale > i64::MAX as u64 {
        return Err(VerifyError::MalformedDuals);
    }
    if let Some(vacancy) = duals.price.iter().position(|&p| p < 0) {
        return Err(VerifyError::NegativePrice { vacancy });
    }
    let s = i128::from(duals.scale);
    let mut used = vec![0u64; nv];
    let mut objective = 0u64;
    let mut dual = 0i128;
    for (worker, &choice) in assignment.iter().enumerate() {
        let mut own: Option<u32> = None;
        let mut u = 0i128;
        for (v, a) in problem.edges_of(worker) {
            u = u.max(i128::from(a) * s - i128::from(duals.price[v as usize]));
            if choice == Some(v) {
                own = Some(own.map_or(a, |o| o.max(a)));
            }
        }
        dual += u;
        if let Some(vacancy) = choice {
            let a = own.ok_or(VerifyError::NotEligible { worker, vacancy })?;
            objective += u64::from(a);
            used[vacancy as usize] += 1;
        }
    }
    if let Some(vacancy) = used.iter().zip(problem.capacity()).position(|(&n, &c)| n > u64::from(c)) {
        return Err(VerifyError::OverCapacity { vacancy });
    }
    for (&c, &p) in problem.effective_capacity().iter().zip(&duals.price) {
        dual += i128::from(c) * i128::from(p);
    }
    let gap = dual - s * i128::from(objective);
    if gap >= s {
        return Err(VerifyError::NotOptimal { gap, scale: duals.scale });
    }
    Ok(objective)
}
