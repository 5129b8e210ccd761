//! How well a worker fits a vacancy: hard filters first, then a score built from named,
//! explainable parts (docs/domain.md, Matching). Integer points only.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The weight of each part, from config (`[matching]`).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub struct Weights {
    /// Per skill the worker has beyond the required ones (at most five count).
    pub per_extra_skill: i64,
    /// Per season the scheme recorded; a season only declared by the agency counts half
    /// (at most five seasons count, recorded ones first).
    pub per_season: i64,
    /// Per season the worker returned home on time (at most three count).
    pub per_return_on_time: i64,
    /// For a worker the employer named; larger than every other part together.
    pub named_request: i64,
    /// For a worker living next to the crossing; falls to zero at `distance_zero_km`.
    pub distance: i64,
    pub distance_zero_km: i64,
    /// For a worker who speaks Chinese.
    pub speaks_chinese: i64,
}

/// What the score needs to know of a worker and a vacancy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub extra_skills: usize,
    /// Seasons the scheme recorded (a return per placement).
    pub seasons_verified: i32,
    /// Seasons the agency declared, which nobody verified.
    pub seasons_declared: i32,
    /// Recorded seasons that ended with a return on time.
    pub returned_on_time: i64,
    pub named: bool,
    pub distance_km: Option<i64>,
    pub speaks_chinese: bool,
}

/// The score, part by part, so it can be explained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Parts {
    pub skills: i64,
    pub experience: i64,
    pub returned_on_time: i64,
    pub named_request: i64,
    pub distance: i64,
    pub language: i64,
}

impl Parts {
    pub fn total(&self) -> i64 {
        self.skills
            + self.experience
            + self.returned_on_time
            + self.named_request
            + self.distance
            + self.language
    }
}

pub fn score(facts: &Facts, w: &Weights) -> Parts {
    let distance = match facts.distance_km {
        Some(km) if w.distance_zero_km > 0 => {
            w.distance * (w.distance_zero_km - km.clamp(0, w.distance_zero_km)) / w.distance_zero_km
        }
        _ => 0,
    };
    Parts {
        skills: w.per_extra_skill * facts.extra_skills.min(5) as i64,
        experience: experience(facts.seasons_verified, facts.seasons_declared, w.per_season),
        returned_on_time: w.per_return_on_time * facts.returned_on_time.clamp(0, 3),
        named_request: if facts.named { w.named_request } else { 0 },
        distance,
        language: if facts.speaks_chinese { w.speaks_chinese } else { 0 },
    }
}

/// Recorded seasons count in full, declared ones half, five seasons at most (recorded first).
fn experience(verified: i32, declared: i32, per_season: i64) -> i64 {
    let verified = verified.clamp(0, 5);
    let declared = declared.clamp(0, 5 - verified);
    per_season * i64::from(verified) + per_season / 2 * i64::from(declared)
}

/// The hard filters: available over the whole season and holding every required skill.
/// (An active placement and a bar are added by the placements issue.)
pub fn eligible<'a>(
    available: (NaiveDate, NaiveDate),
    season: (NaiveDate, NaiveDate),
    worker_skills: impl Iterator<Item = &'a str> + Clone,
    required: &[String],
) -> bool {
    available.0 <= season.0
        && season.1 <= available.1
        && required.iter().all(|r| worker_skills.clone().any(|s| s == r))
}

/// Great-circle distance in whole kilometres between two points given in micro-degrees.
pub fn distance_km(a: (i64, i64), b: (i64, i64)) -> i64 {
    let rad = |micro: i64| (micro as f64 / 1e6).to_radians();
    let (lat1, lon1, lat2, lon2) = (rad(a.0), rad(a.1), rad(b.0), rad(b.1));
    let h =
        ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    (2.0 * 6371.0 * h.sqrt().asin()).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Weights = Weights {
        per_extra_skill: 20,
        per_season: 40,
        per_return_on_time: 100,
        named_request: 10_000,
        distance: 200,
        distance_zero_km: 500,
        speaks_chinese: 50,
    };

    fn facts() -> Facts {
        Facts {
            extra_skills: 0,
            seasons_verified: 0,
            seasons_declared: 0,
            returned_on_time: 0,
            named: false,
            distance_km: None,
            speaks_chinese: false,
        }
    }

    #[test]
    fn parts_add_up_and_are_capped() {
        let f = Facts {
            extra_skills: 9,
            seasons_verified: 8,
            returned_on_time: 7,
            distance_km: Some(0),
            speaks_chinese: true,
            ..facts()
        };
        let p = score(&f, &W);
        assert_eq!(
            p,
            Parts {
                skills: 100,
                experience: 200,
                returned_on_time: 300,
                named_request: 0,
                distance: 200,
                language: 50
            }
        );
        assert_eq!(p.total(), 850);
        assert_eq!(score(&facts(), &W).total(), 0);
    }

    #[test]
    fn a_declared_season_counts_half_a_recorded_one_and_five_count_in_all() {
        let experience = |verified, declared| {
            score(&Facts { seasons_verified: verified, seasons_declared: declared, ..facts() }, &W).experience
        };
        assert_eq!(experience(0, 2), 40, "two declared: one recorded's worth");
        assert_eq!(experience(2, 0), 80);
        assert_eq!(experience(2, 9), 80 + 3 * 20, "declared ones fill up to five");
        assert_eq!(experience(7, 9), 200, "five recorded: declared ones add nothing");
        assert_eq!(experience(-1, -1), 0);
    }

    #[test]
    fn distance_falls_to_zero() {
        assert_eq!(score(&Facts { distance_km: Some(250), ..facts() }, &W).distance, 100);
        assert_eq!(score(&Facts { distance_km: Some(900), ..facts() }, &W).distance, 0);
    }

    #[test]
    fn a_named_request_dominates_everything_else() {
        let best_unnamed = score(
            &Facts {
                extra_skills: 5,
                seasons_verified: 5,
                returned_on_time: 3,
                distance_km: Some(0),
                speaks_chinese: true,
                ..facts()
            },
            &W,
        );
        let named_novice = score(&Facts { named: true, ..facts() }, &W);
        assert!(named_novice.total() > best_unnamed.total());
    }

    #[test]
    fn hard_filters_need_the_whole_season_and_every_skill() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let season = (d("2026-12-01"), d("2027-03-31"));
        let skills = ["cane_knife", "first_aid"].into_iter();
        assert!(eligible((d("2026-11-01"), d("2027-04-30")), season, skills.clone(), &["cane_knife".into()]));
        assert!(eligible((d("2026-12-01"), d("2027-03-31")), season, skills.clone(), &[]), "inclusive");
        assert!(!eligible((d("2026-12-02"), d("2027-04-30")), season, skills.clone(), &[]));
        assert!(!eligible((d("2026-11-01"), d("2027-03-30")), season, skills.clone(), &[]));
        assert!(!eligible((d("2026-11-01"), d("2027-04-30")), season, skills, &["tractor_driving".into()]));
    }

    #[test]
    fn distances_are_great_circle_kilometres() {
        // Lạng Sơn city to the Youyiguan crossing: about 18 km.
        let km = distance_km((21_853_000, 106_761_000), (21_975_000, 106_703_000));
        assert!((12..=20).contains(&km), "{km}");
        assert_eq!(distance_km((1, 1), (1, 1)), 0);
    }
}
