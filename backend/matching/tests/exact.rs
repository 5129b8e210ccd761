//! Exactness: the solver against exhaustive search and a simple min-cost-flow solver on
//! thousands of small random instances (ties, zero scores, headcount 0, headcounts above
//! the candidates, workers without edges, empty inputs), plus the certificate checker.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure

use proptest::prelude::*;
use seasonlink_matching::reference::solve_min_cost_flow;
use seasonlink_matching::{Matching, Problem, solve, testing, verify};

/// An owned instance: capacities and, per worker, (vacancy, score) with distinct vacancies.
#[derive(Debug, Clone)]
struct Instance {
    capacity: Vec<u32>,
    edges: Vec<Vec<(u32, u32)>>,
}

struct Csr {
    offsets: Vec<u64>,
    vacancy: Vec<u32>,
    score: Vec<u32>,
}

impl Instance {
    fn csr(&self) -> Csr {
        let mut offsets = vec![0u64];
        let (mut vacancy, mut score) = (Vec::new(), Vec::new());
        for list in &self.edges {
            for &(v, s) in list {
                vacancy.push(v);
                score.push(s);
            }
            offsets.push(vacancy.len() as u64);
        }
        Csr { offsets, vacancy, score }
    }
}

/// Exhaustive search: each worker unplaced or on one of its edges.
fn brute_force(inst: &Instance) -> u64 {
    fn go(inst: &Instance, w: usize, left: &mut [u32]) -> u64 {
        if w == inst.edges.len() {
            return 0;
        }
        let mut best = go(inst, w + 1, left);
        for &(v, s) in &inst.edges[w] {
            if left[v as usize] > 0 {
                left[v as usize] -= 1;
                best = best.max(u64::from(s) + go(inst, w + 1, left));
                left[v as usize] += 1;
            }
        }
        best
    }
    go(inst, 0, &mut inst.capacity.clone())
}

/// Feasibility and objective of a solver result, checked directly.
fn check_feasible(inst: &Instance, m: &Matching) {
    assert_eq!(m.assignment.len(), inst.edges.len());
    let mut used = vec![0u32; inst.capacity.len()];
    let mut total = 0u64;
    for (w, choice) in m.assignment.iter().enumerate() {
        if let Some(v) = choice {
            let s = inst.edges[w].iter().find(|e| e.0 == *v).map(|e| e.1);
            let s = s.unwrap_or_else(|| panic!("worker {w} placed on non-edge {v}"));
            total += u64::from(s);
            used[*v as usize] += 1;
        }
    }
    for (v, (&u, &c)) in used.iter().zip(&inst.capacity).enumerate() {
        assert!(u <= c, "vacancy {v} over headcount: {u} > {c}");
    }
    assert_eq!(total, m.objective);
    assert_eq!(m.placed, m.assignment.iter().flatten().count());
}

fn instance(
    max_workers: usize,
    max_vacancies: usize,
    max_cap: u32,
    scores: BoxedStrategy<u32>,
) -> impl Strategy<Value = Instance> {
    (0..=max_workers, 0..=max_vacancies).prop_flat_map(move |(w, v)| {
        let capacity = prop::collection::vec(0..=max_cap, v);
        let per_worker = if v == 0 {
            Just(Vec::new()).boxed()
        } else {
            prop::collection::btree_map(0..v as u32, scores.clone(), 0..=v.min(4))
                .prop_map(|m| m.into_iter().collect::<Vec<_>>())
                .boxed()
        };
        let edges = prop::collection::vec(per_worker, w);
        (capacity, edges).prop_map(|(capacity, edges)| Instance { capacity, edges })
    })
}

fn small_scores() -> BoxedStrategy<u32> {
    prop_oneof![0..=3u32, 0..=10u32, Just(0u32), 999_990..=1_000_000u32].boxed()
}

fn solve_inst(inst: &Instance, auction_only: bool) -> (Matching, u64) {
    let c = inst.csr();
    let p = Problem::new(&inst.capacity, &c.offsets, &c.vacancy, &c.score);
    let p = p.unwrap_or_else(|e| panic!("generated instance invalid: {e}"));
    let m = if auction_only { testing::solve_auction_only(&p) } else { solve(&p) };
    let verified = verify(&p, &m.assignment, &m.duals);
    assert_eq!(verified, Ok(m.objective), "certificate rejected");
    (m, solve_min_cost_flow(&p).0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn tiny_matches_brute_force(inst in instance(6, 4, 3, small_scores())) {
        let expected = brute_force(&inst);
        for auction_only in [false, true] {
            let (m, reference) = solve_inst(&inst, auction_only);
            check_feasible(&inst, &m);
            prop_assert_eq!(m.objective, expected);
            prop_assert_eq!(reference, expected);
        }
    }

    #[test]
    fn small_matches_min_cost_flow(inst in instance(40, 8, 12, small_scores())) {
        for auction_only in [false, true] {
            let (m, reference) = solve_inst(&inst, auction_only);
            check_feasible(&inst, &m);
            prop_assert_eq!(m.objective, reference);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Crowded instances: many workers, few slots, few distinct scores (ties, price wars).
    #[test]
    fn crowded_matches_min_cost_flow(inst in instance(120, 6, 5, (0..=5u32).boxed())) {
        for auction_only in [false, true] {
            let (m, reference) = solve_inst(&inst, auction_only);
            check_feasible(&inst, &m);
            prop_assert_eq!(m.objective, reference);
        }
    }
}

fn inst(capacity: &[u32], edges: &[&[(u32, u32)]]) -> Instance {
    Instance { capacity: capacity.to_vec(), edges: edges.iter().map(|e| e.to_vec()).collect() }
}

#[test]
fn empty_inputs() {
    for i in [inst(&[], &[]), inst(&[3, 0], &[]), inst(&[], &[&[], &[]])] {
        let (m, reference) = solve_inst(&i, false);
        assert_eq!((m.objective, m.placed, reference), (0, 0, 0));
        assert!(m.assignment.iter().all(Option::is_none));
    }
}

#[test]
fn headcount_zero_and_large() {
    // Vacancy 0 has headcount 0: nobody goes there; vacancy 1 takes everyone.
    let i = inst(&[0, 10], &[&[(0, 9), (1, 1)], &[(0, 9), (1, 2)], &[]]);
    let (m, _) = solve_inst(&i, false);
    assert_eq!(m.assignment, vec![Some(1), Some(1), None]);
    assert_eq!(m.objective, 3);
}

#[test]
fn zero_scores_are_never_needed() {
    let i = inst(&[1, 1], &[&[(0, 0), (1, 0)], &[(1, 0)]]);
    let (m, _) = solve_inst(&i, false);
    assert_eq!(m.objective, 0);
    assert_eq!(m.placed, 0);
}

#[test]
fn greedy_is_not_optimal_here() {
    // Greedy gives worker 0 vacancy 0 (score 10) and leaves worker 1 with nothing: 10.
    // The optimum moves worker 0 to vacancy 1: 9 + 8 = 17.
    let i = inst(&[1, 1], &[&[(0, 10), (1, 9)], &[(0, 8)]]);
    let (m, _) = solve_inst(&i, false);
    assert_eq!(m.assignment, vec![Some(1), Some(0)]);
    assert_eq!(m.objective, 17);
}

#[test]
fn ties_and_maximum_scores() {
    let max = seasonlink_matching::MAX_SCORE;
    let i = inst(&[2, 1], &[&[(0, max), (1, max)], &[(0, max), (1, max)], &[(0, max)], &[(1, max)]]);
    let (m, reference) = solve_inst(&i, false);
    assert_eq!(m.objective, 3 * u64::from(max));
    assert_eq!(reference, m.objective);
}

#[test]
fn verify_rejects_bad_assignments_and_certificates() {
    let i = inst(&[1, 1], &[&[(0, 10), (1, 9)], &[(0, 8)]]);
    let c = i.csr();
    let p = Problem::new(&i.capacity, &c.offsets, &c.vacancy, &c.score).unwrap();
    let m = solve(&p);
    use seasonlink_matching::VerifyError as E;
    assert_eq!(verify(&p, &[Some(0)], &m.duals), Err(E::AssignmentLength { found: 1, workers: 2 }));
    assert_eq!(verify(&p, &[Some(0), Some(1)], &m.duals), Err(E::NotEligible { worker: 1, vacancy: 1 }));
    assert_eq!(verify(&p, &[Some(0), Some(0)], &m.duals), Err(E::OverCapacity { vacancy: 0 }));
    // Feasible but suboptimal (10 < 17): no certificate can prove it.
    assert!(matches!(verify(&p, &[Some(0), None], &m.duals), Err(E::NotOptimal { .. })));
    let mut bad = m.duals.clone();
    bad.price[0] = -1;
    assert_eq!(verify(&p, &m.assignment, &bad), Err(E::NegativePrice { vacancy: 0 }));
    bad.price.pop();
    assert_eq!(verify(&p, &m.assignment, &bad), Err(E::MalformedDuals));
    // All-zero prices do not prove optimality of the optimum here either.
    let zero = seasonlink_matching::Duals { scale: 1, price: vec![0, 0] };
    assert!(matches!(verify(&p, &m.assignment, &zero), Err(E::NotOptimal { .. })));
}

/// A small deterministic generator (no external crate): crowded instances with large,
/// tied scores, where slots emptied by ε-scaling force the reverse auction.
fn lcg_instances(count: usize) -> Vec<Instance> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % n
    };
    (0..count)
        .map(|_| {
            let v = 1 + next(6) as usize;
            let w = 1 + next(60) as usize;
            let capacity = (0..v).map(|_| next(4) as u32).collect();
            let edges = (0..w)
                .map(|_| {
                    let mut list = Vec::new();
                    for j in 0..v as u32 {
                        if next(2) == 0 {
                            list.push((j, 1_000_000 - 1000 * next(4) as u32));
                        }
                    }
                    list
                })
                .collect();
            Instance { capacity, edges }
        })
        .collect()
}

#[test]
fn reverse_auction_and_deeper_transposes_are_exercised() {
    let (mut steps, mut rebuilt) = (0, 0);
    for inst in lcg_instances(400) {
        let (m, reference) = solve_inst(&inst, true);
        check_feasible(&inst, &m);
        assert_eq!(m.objective, reference);
        assert_eq!(m.duals.scale, inst.edges.len() as u64 + 1);
        steps += m.stats.reverse_steps;
        rebuilt += u64::from(m.stats.transposes.saturating_sub(1));
    }
    assert!(steps > 0, "no instance needed the reverse auction");
    assert!(rebuilt > 0, "no instance needed a deeper partial transpose");
}

#[test]
fn early_integer_certificates_are_exercised() {
    let mut early = 0;
    for inst in lcg_instances(400) {
        let (m, reference) = solve_inst(&inst, false);
        check_feasible(&inst, &m);
        assert_eq!(m.objective, reference);
        if m.stats.early_certificate {
            assert_eq!(m.duals.scale, 1);
            early += 1;
        }
    }
    assert!(early > 0, "no instance stopped early with integer prices");
}
