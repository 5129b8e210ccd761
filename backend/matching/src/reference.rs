//! A deliberately simple exact solver, the yardstick for tests and benchmarks.
//!
//! Successive shortest paths with Bellman–Ford on the explicit flow network
//! source → worker (1) → vacancy (1 per pair, cost −score) → sink (headcount): augment
//! one unit along a cheapest path while that path has negative cost. Path costs are
//! non-decreasing (convexity of min-cost flow in the flow value), so stopping at the first
//! non-negative path gives the maximum total score. O(workers · nodes · arcs): small
//! instances only.

use crate::Problem;

struct Arc {
    to: usize,
    cap: i64,
    cost: i64,
}

/// Maximum total score and an assignment achieving it (slow; for small instances).
pub fn solve_min_cost_flow(problem: &Problem<'_>) -> (u64, Vec<Option<u32>>) {
    let w = problem.workers();
    let nv = problem.vacancies();
    let (src, sink) = (w + nv, w + nv + 1);
    let n = w + nv + 2;
    let mut arcs: Vec<Arc> = Vec::new();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut add = |arcs: &mut Vec<Arc>, a: usize, b: usize, cap: i64, cost: i64| {
        out[a].push(arcs.len());
        arcs.push(Arc { to: b, cap, cost });
        out[b].push(arcs.len());
        arcs.push(Arc { to: a, cap: 0, cost: -cost });
    };
    for i in 0..w {
        add(&mut arcs, src, i, 1, 0);
        for (v, a) in problem.edges_of(i) {
            add(&mut arcs, i, w + v as usize, 1, -i64::from(a));
        }
    }
    for (v, &c) in problem.capacity().iter().enumerate() {
        add(&mut arcs, w + v, sink, i64::from(c), 0);
    }
    let mut objective = 0i64;
    loop {
        let mut dist = vec![i64::MAX; n];
        let mut via = vec![usize::MAX; n];
        dist[src] = 0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if dist[u] == i64::MAX {
                    continue;
                }
                for &k in &out[u] {
                    let arc = &arcs[k];
                    if arc.cap > 0 && dist[u] + arc.cost < dist[arc.to] {
                        dist[arc.to] = dist[u] + arc.cost;
                        via[arc.to] = k;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if dist[sink] >= 0 {
            break;
        }
        objective -= dist[sink];
        let mut v = sink;
        while v != src {
            let k = via[v];
            arcs[k].cap -= 1;
            arcs[k ^ 1].cap += 1;
            v = arcs[k ^ 1].to;
        }
    }
    let mut assignment = vec![None; w];
    for (i, slot) in assignment.iter_mut().enumerate() {
        for &k in &out[i] {
            let arc = &arcs[k];
            if k % 2 == 0 && arc.to >= w && arc.to < w + nv && arc.cap == 0 {
                *slot = Some((arc.to - w) as u32);
            }
        }
    }
    (objective as u64, assignment)
}
