//! The wage floor: the highest rule in force for a region (or any region above it) and an
//! occupation, on a day or over a season (docs/domain.md, Invariants).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::money::Fen;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The statutory minimum wage of the region's tier; applies to every occupation.
    StatutoryMinimum,
    /// The local prevailing wage of one occupation.
    Prevailing,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::StatutoryMinimum => "statutory_minimum",
            RuleKind::Prevailing => "prevailing",
        }
    }

    pub fn parse(s: &str) -> Option<RuleKind> {
        [RuleKind::StatutoryMinimum, RuleKind::Prevailing].into_iter().find(|k| k.as_str() == s)
    }
}

/// One wage floor rule as the domain sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rule {
    pub id: String,
    pub region_code: String,
    pub occupation_code: Option<String>,
    pub kind: RuleKind,
    pub hourly_fen: Fen,
    pub monthly_fen: Option<Fen>,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub source: String,
}

impl Rule {
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day <= to)
    }

    /// Whether the rule is in force on at least one day of `first..=last`.
    pub fn overlaps(&self, first: NaiveDate, last: NaiveDate) -> bool {
        self.effective_from <= last && self.effective_to.is_none_or(|to| first <= to)
    }

    /// Whether the rule applies to `occupation` (statutory rules apply to all).
    pub fn applies_to(&self, occupation: Option<&str>) -> bool {
        match (&self.occupation_code, occupation) {
            (None, _) => true,
            (Some(rule), Some(asked)) => rule == asked,
            (Some(_), None) => false,
        }
    }
}

/// The binding floor and the rules it weighed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Floor {
    pub hourly_fen: Fen,
    pub binding: Rule,
    pub weighed: Vec<Rule>,
}

/// The floor over the days `first..=last`: the highest rule in force on any of them, among
/// `rules` (already narrowed to the region and its ancestors). Ties go to the rule that
/// started latest, then to the lower id, so the answer is stable.
pub fn resolve(rules: &[Rule], occupation: Option<&str>, first: NaiveDate, last: NaiveDate) -> Option<Floor> {
    let weighed: Vec<Rule> =
        rules.iter().filter(|r| r.applies_to(occupation) && r.overlaps(first, last)).cloned().collect();
    let binding = weighed
        .iter()
        .max_by(|a, b| {
            a.hourly_fen
                .cmp(&b.hourly_fen)
                .then(a.effective_from.cmp(&b.effective_from))
                .then(b.id.cmp(&a.id))
        })?
        .clone();
    Some(Floor { hourly_fen: binding.hourly_fen, binding, weighed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rule(
        id: &str,
        kind: RuleKind,
        occupation: Option<&str>,
        fen: i64,
        from: &str,
        to: Option<&str>,
    ) -> Rule {
        Rule {
            id: id.into(),
            region_code: "451481".into(),
            occupation_code: occupation.map(Into::into),
            kind,
            hourly_fen: Fen::new(fen),
            monthly_fen: None,
            effective_from: day(from),
            effective_to: to.map(day),
            source: "test".into(),
        }
    }

    #[test]
    fn the_highest_rule_in_force_binds() {
        let rules = vec![
            rule("tier3", RuleKind::StatutoryMinimum, None, 1700, "2023-11-01", None),
            rule("cane", RuleKind::Prevailing, Some("sugarcane_cutting"), 2100, "2024-01-01", None),
            rule("fruit", RuleKind::Prevailing, Some("fruit_picking"), 2500, "2024-01-01", None),
        ];
        let cane = resolve(&rules, Some("sugarcane_cutting"), day("2026-12-01"), day("2026-12-01")).unwrap();
        assert_eq!((cane.hourly_fen, cane.binding.id.as_str()), (Fen::new(2100), "cane"));
        assert_eq!(cane.weighed.len(), 2, "the fruit rule does not apply to cane");
        let other = resolve(&rules, Some("cassava_harvest"), day("2026-12-01"), day("2026-12-01")).unwrap();
        assert_eq!(other.binding.id, "tier3");
        let unspecified = resolve(&rules, None, day("2026-12-01"), day("2026-12-01")).unwrap();
        assert_eq!(unspecified.binding.id, "tier3");
    }

    #[test]
    fn dates_bound_rules_inclusively() {
        let rules = vec![
            rule("old", RuleKind::StatutoryMinimum, None, 1700, "2023-11-01", Some("2026-12-31")),
            rule("new", RuleKind::StatutoryMinimum, None, 1900, "2027-01-01", None),
        ];
        assert_eq!(resolve(&rules, None, day("2026-12-31"), day("2026-12-31")).unwrap().binding.id, "old");
        assert_eq!(resolve(&rules, None, day("2027-01-01"), day("2027-01-01")).unwrap().binding.id, "new");
        // A season that runs into the new year is bound by the new floor on every day.
        let season = resolve(&rules, None, day("2026-11-15"), day("2027-03-31")).unwrap();
        assert_eq!(season.hourly_fen, Fen::new(1900));
        assert_eq!(season.weighed.len(), 2);
        assert!(resolve(&rules, None, day("2023-10-31"), day("2023-10-31")).is_none());
    }

    #[test]
    fn ties_are_broken_stably() {
        let rules = vec![
            rule("b", RuleKind::StatutoryMinimum, None, 1700, "2024-01-01", None),
            rule("a", RuleKind::Prevailing, Some("x"), 1700, "2024-01-01", None),
            rule("c", RuleKind::StatutoryMinimum, None, 1700, "2023-01-01", None),
        ];
        assert_eq!(resolve(&rules, Some("x"), day("2025-01-01"), day("2025-01-01")).unwrap().binding.id, "a");
    }
}
