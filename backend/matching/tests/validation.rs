//! Input validation: every malformed input is an error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is a failure

use seasonlink_matching::{InputError as E, MAX_SCORE, Problem};

#[test]
fn accepts_a_well_formed_instance() {
    let p = Problem::new(&[1, 2], &[0, 2, 2, 3], &[0, 1, 1], &[5, 0, MAX_SCORE]);
    let p = p.unwrap();
    assert_eq!((p.workers(), p.vacancies(), p.edges()), (3, 2, 3));
    assert_eq!(p.edges_of(0).collect::<Vec<_>>(), vec![(0, 5), (1, 0)]);
    assert_eq!(p.effective_capacity(), vec![1, 1]);
}

#[test]
fn rejects_each_malformation() {
    let err = |c: &[u32], o: &[u64], v: &[u32], s: &[u32]| Problem::new(c, o, v, s).err();
    assert_eq!(err(&[1], &[], &[], &[]), Some(E::EmptyOffsets));
    assert_eq!(err(&[1], &[1, 1], &[0], &[1]), Some(E::FirstOffsetNotZero { found: 1 }));
    assert_eq!(err(&[1], &[0, 2, 1, 2], &[0, 0], &[1, 1]), Some(E::OffsetsNotMonotone { worker: 1 }));
    assert_eq!(err(&[1], &[0, 1], &[0, 0], &[1, 1]), Some(E::LastOffsetMismatch { last: 1, edges: 2 }));
    assert!(err(&[1], &[0, 3], &[0, 0, 0], &[1, 1, 1]).is_none());
    assert_eq!(err(&[1], &[0, 1], &[0], &[1, 1]), Some(E::EdgeArraysMismatch { vacancies: 1, scores: 2 }));
    assert_eq!(
        err(&[1, 1], &[0, 2], &[1, 2], &[1, 1]),
        Some(E::VacancyOutOfRange { edge: 1, vacancy: 2, vacancies: 2 })
    );
    assert_eq!(
        err(&[1], &[0, 1], &[0], &[MAX_SCORE + 1]),
        Some(E::ScoreOutOfRange { edge: 0, score: MAX_SCORE + 1 })
    );
    assert_eq!(
        err(&[], &[0, 1], &[0], &[1]),
        Some(E::VacancyOutOfRange { edge: 0, vacancy: 0, vacancies: 0 })
    );
}

#[test]
fn errors_explain_themselves() {
    let e = E::ScoreOutOfRange { edge: 7, score: 2_000_000 };
    assert_eq!(e.to_string(), "edge 7 has score 2000000, above the maximum 1000000");
}
