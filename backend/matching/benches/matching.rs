//! Criterion benchmark: `solve` on a small generated instance shaped like the benchmark
//! instances (skewed headcounts, uniform scores in 0..=1000), so that
//! `cargo bench -p seasonlink-matching` runs in seconds. The full-size comparison with
//! OR-Tools is `bench/run.sh` (see BENCHMARKS.md).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use seasonlink_matching::{Problem, solve, verify};

struct Instance {
    capacity: Vec<u32>,
    offsets: Vec<u64>,
    vacancy: Vec<u32>,
    score: Vec<u32>,
}

fn generate(workers: usize, vacancies: usize, positions: usize, degree: usize) -> Instance {
    let mut x: u64 = 42;
    let mut next = move |n: u64| {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % n
    };
    // Skewed headcounts summing to `positions`: each position goes to the larger of two
    // random draws' vacancy weight (a cheap stand-in for the log-normal weights).
    let mut capacity = vec![1u32; vacancies];
    for _ in vacancies..positions {
        let (a, b) = (next(vacancies as u64) as usize, next(vacancies as u64) as usize);
        capacity[a.min(b)] += 1;
    }
    let mut offsets = vec![0u64];
    let (mut vacancy, mut score) = (Vec::new(), Vec::new());
    for _ in 0..workers {
        let mut mine: Vec<u32> = (0..degree).map(|_| next(vacancies as u64) as u32).collect();
        mine.sort_unstable();
        mine.dedup();
        for v in mine {
            vacancy.push(v);
            score.push(next(1001) as u32);
        }
        offsets.push(vacancy.len() as u64);
    }
    Instance { capacity, offsets, vacancy, score }
}

fn bench(c: &mut Criterion) {
    let inst = generate(5_000, 500, 5_000, 40);
    let problem = match Problem::new(&inst.capacity, &inst.offsets, &inst.vacancy, &inst.score) {
        Ok(p) => p,
        Err(e) => panic!("generated instance rejected: {e}"),
    };
    let m = solve(&problem);
    assert_eq!(verify(&problem, &m.assignment, &m.duals), Ok(m.objective));
    c.bench_function("solve 5k workers x 500 vacancies, degree 40", |b| {
        b.iter(|| black_box(solve(black_box(&problem))).objective)
    });
    c.bench_function("verify 5k workers x 500 vacancies, degree 40", |b| {
        b.iter(|| verify(black_box(&problem), &m.assignment, &m.duals))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
