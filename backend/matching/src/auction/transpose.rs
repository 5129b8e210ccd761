//! The reverse auction's view of the edges: grouped by vacancy, near its price.

use crate::Problem;

/// Edges grouped by vacancy, keeping for vacancy `j` only those with score `>= floor[j]`
/// (`floor[j] >= 1`).
pub(super) struct Transposed {
    pub(super) floor: Vec<u32>,
    pub(super) start: Vec<usize>,
    /// (worker, score).
    pub(super) entries: Vec<(u32, u32)>,
}

#[inline]
pub(super) fn transpose(p: &Problem<'_>, floor: Vec<u32>) -> Transposed {
    let nv = p.vacancies();
    let mut start = vec![0usize; nv + 1];
    for (&v, &a) in p.vacancy.iter().zip(p.score) {
        if a >= floor[v as usize] {
            start[v as usize + 1] += 1;
        }
    }
    for j in 0..nv {
        start[j + 1] += start[j];
    }
    let mut fill = start.clone();
    let mut entries = vec![(0u32, 0u32); start[nv]];
    for i in 0..p.workers() {
        for (v, a) in p.edges_of(i) {
            if a >= floor[v as usize] {
                let f = &mut fill[v as usize];
                entries[*f] = (i as u32, a);
                *f += 1;
            }
        }
    }
    Transposed { floor, start, entries }
}
