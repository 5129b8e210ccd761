//! A contract is one snapshot of terms, rendered in every language from the same data. Its
//! SHA-256 is taken over the canonical terms (the JSON of [`Terms`], fields in declaration
//! order), so it is the same whichever language the worker reads.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::money::Fen;
use crate::domain::pay::{Deduction, PayBasis, PayTerms};

/// A name in the three languages of the scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Named {
    pub code: String,
    pub zh: String,
    pub vi: String,
    pub en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Party {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Holder {
    pub id: String,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
}

/// The floor the contract respects, and the rule that set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FloorRef {
    pub hourly_fen: Fen,
    pub rule_id: String,
    /// statutory_minimum or prevailing_wage.
    pub kind: String,
    pub source: String,
}

/// Whom a worker calls for help, in each country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub country: String,
    pub name: String,
    pub phone: String,
}

/// The partner-country contacts every contract carries.
pub fn contacts() -> Vec<Contact> {
    vec![
        Contact {
            country: "VN".into(),
            name: "Cục Quản lý lao động ngoài nước (DOLAB), Bộ Nội vụ".into(),
            phone: "+84 24 3824 9517".into(),
        },
        Contact {
            country: "CN".into(),
            name: "人力资源和社会保障咨询服务热线 (labour and social security hotline)".into(),
            phone: "12333".into(),
        },
    ]
}

/// Who pays an insurance premium: never the worker.
pub const INSURANCE_PAYERS: [&str; 2] = ["employer", "agency"];

/// The insurance a contract states: work injury, and the cost of the worker's return home.
/// The premium is the employer's or the agency's, never the worker's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Insurance {
    #[schema(example = "中国人民财产保险股份有限公司崇左市分公司")]
    pub insurer: String,
    pub policy_number: String,
    /// The work-injury cover for each worker.
    pub work_injury_cover_fen: Fen,
    /// The cost of the worker's return home that it covers.
    pub return_cover_fen: Fen,
    /// Who pays the premium: "employer" or "agency" (never the worker).
    pub paid_by: String,
}

impl Insurance {
    /// The SHA-256 of its JSON (fields in declaration order): what a verification is of.
    pub fn sha256(&self) -> String {
        format!("{:x}", Sha256::digest(serde_json::to_string(self).unwrap_or_default().as_bytes()))
    }
}

/// Everything the worker agrees to. Amounts in fen; dates are calendar dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub placement_id: String,
    pub version: i32,
    pub employer: Party,
    pub agency: Party,
    pub agency_licence_number: String,
    pub worker: Holder,
    pub occupation: Named,
    /// The region of the worksite.
    pub worksite: Named,
    /// Where the worker crosses, out and back.
    pub crossing: Named,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
    pub hours_per_week: i32,
    pub guaranteed_hours_per_week: i32,
    /// Guaranteed hours over the whole season: the base of the three-fourths rule.
    pub guaranteed_hours_season: i64,
    pub pay_basis: PayBasis,
    pub wage_fen: Fen,
    pub piece_unit: Option<String>,
    pub guaranteed_hourly_fen: Option<Fen>,
    pub hourly_equivalent_fen: Fen,
    pub floor: FloorRef,
    pub deductions: Vec<Deduction>,
    pub deductions_cap_percent: i64,
    pub housing_provided: bool,
    /// Always zero: recruitment, visa, permit and travel costs are the employer's.
    pub worker_paid_fees_fen: Fen,
    /// The last day of the permit: the worker returns by then.
    pub return_by: NaiveDate,
    pub contacts: Vec<Contact>,
    /// Work-injury and return insurance. Absent in contracts made before it was stated (their
    /// hash is taken as it always was); a permit needs it stated and verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<Insurance>,
    /// 128 random bits, so that the hash reveals nothing of the terms (a name and birth
    /// date guessed from a list would otherwise be checked against it): kept from the
    /// employer until the worker accepts, and from the public always. Absent in contracts
    /// made before it was added, whose hash is taken as it always was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
}

impl Terms {
    /// The canonical bytes: the JSON of the terms, fields in declaration order.
    pub fn canonical(&self) -> String {
        // Serialising plain structs, strings and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn sha256(&self) -> String {
        format!("{:x}", Sha256::digest(self.canonical().as_bytes()))
    }

    pub fn pay(&self) -> PayTerms {
        PayTerms {
            basis: self.pay_basis,
            wage_fen: self.wage_fen,
            guaranteed_hourly_fen: self.guaranteed_hourly_fen,
            hours_per_week: i64::from(self.hours_per_week),
            deductions: self.deductions.clone(),
        }
    }
}

/// A new salt: 128 random bits in hex.
pub fn new_salt() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Guaranteed hours over a season: whole weeks and the days left over, pro rata, rounded down.
pub fn guaranteed_hours(season_start: NaiveDate, season_end: NaiveDate, per_week: i32) -> i64 {
    let days = (season_end - season_start).num_days() + 1;
    days.max(0) * i64::from(per_week) / 7
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Terms {
        let named =
            |code: &str| Named {
                code: code.into(), zh: "甘蔗".into(), vi: "mía".into(), en: "cane".into()
            };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Terms {
            placement_id: "p1".into(),
            version: 1,
            employer: Party { id: "e1".into(), name: "扶绥糖业".into() },
            agency: Party { id: "a1".into(), name: "Lạng Sơn LC".into() },
            agency_licence_number: "VN-LS-1".into(),
            worker: Holder {
                id: "w1".into(),
                full_name: "Nguyễn Thị Hoa".into(),
                date_of_birth: d("1995-03-02"),
            },
            occupation: named("cane_cutting"),
            worksite: named("451421"),
            crossing: named("youyiguan"),
            season_start: d("2026-12-01"),
            season_end: d("2027-03-31"),
            hours_per_week: 40,
            guaranteed_hours_per_week: 32,
            guaranteed_hours_season: guaranteed_hours(d("2026-12-01"), d("2027-03-31"), 32),
            pay_basis: PayBasis::Monthly,
            wage_fen: Fen::new(300_000),
            piece_unit: None,
            guaranteed_hourly_fen: None,
            hourly_equivalent_fen: Fen::new(1724),
            floor: FloorRef {
                hourly_fen: Fen::new(1700),
                rule_id: "r".into(),
                kind: "statutory_minimum".into(),
                source: "桂政发〔2023〕24号".into(),
            },
            deductions: vec![Deduction { kind: "housing".into(), fen_per_month: Fen::new(20_000) }],
            deductions_cap_percent: 20,
            housing_provided: true,
            worker_paid_fees_fen: Fen::ZERO,
            return_by: d("2027-04-14"),
            contacts: contacts(),
            insurance: None,
            salt: Some("9f1c2e7a5b3d4c8e0a6b1f2d3c4e5a6b".into()),
        }
    }

    #[test]
    fn the_hash_is_over_the_terms_and_changes_with_any_of_them() {
        let t = terms();
        assert_eq!(t.sha256(), terms().sha256());
        assert_eq!(t.sha256().len(), 64);
        let mut paid_less = terms();
        paid_less.wage_fen = Fen::new(299_999);
        assert_ne!(paid_less.sha256(), t.sha256());
        let back: Terms = serde_json::from_str(&t.canonical()).unwrap();
        assert_eq!(back.sha256(), t.sha256(), "stored terms hash as they did when made");
    }

    #[test]
    fn the_salt_hides_the_holder_and_old_contracts_hash_as_they_did() {
        let t = terms();
        let mut unsalted = t.clone();
        unsalted.salt = None;
        assert_ne!(unsalted.sha256(), t.sha256(), "the salt is hashed");
        let mut other_salt = t.clone();
        other_salt.salt = Some(new_salt());
        assert_ne!(other_salt.sha256(), t.sha256());
        assert_eq!(new_salt().len(), 32);
        // A contract stored before salts: its canonical form, and so its hash, is unchanged.
        let stored = unsalted.canonical();
        assert!(!stored.contains("salt"), "{stored}");
        let back: Terms = serde_json::from_str(&stored).unwrap();
        assert_eq!(back.canonical(), stored);
        assert_eq!(back.sha256(), format!("{:x}", Sha256::digest(stored.as_bytes())));
    }

    #[test]
    fn insurance_is_hashed_when_stated_and_absent_from_older_contracts() {
        let t = terms();
        assert!(!t.canonical().contains("insurance"), "a contract without it hashes as before");
        let mut insured = t.clone();
        insured.insurance = Some(Insurance {
            insurer: "PICC".into(),
            policy_number: "GX-2026-1".into(),
            work_injury_cover_fen: Fen::new(60_000_000),
            return_cover_fen: Fen::new(300_000),
            paid_by: "employer".into(),
        });
        assert_ne!(insured.sha256(), t.sha256());
        let back: Terms = serde_json::from_str(&insured.canonical()).unwrap();
        assert_eq!(back.sha256(), insured.sha256());
        let mut other = insured.insurance.clone().unwrap();
        assert_eq!(other.sha256(), insured.insurance.as_ref().unwrap().sha256());
        other.return_cover_fen = Fen::new(1);
        assert_ne!(other.sha256(), insured.insurance.unwrap().sha256());
    }

    #[test]
    fn amounts_are_plain_integers_of_fen_in_the_hashed_terms() {
        let canonical = terms().canonical();
        for amount in [r#""wage_fen":300000,"#, r#""floor":{"hourly_fen":1700,"#, r#""fen_per_month":20000}"#]
        {
            assert!(canonical.contains(amount), "{amount} in {canonical}");
        }
    }

    #[test]
    fn guaranteed_hours_count_every_day_of_the_season() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(guaranteed_hours(d("2026-12-01"), d("2026-12-07"), 35), 35);
        // 121 days at 32 h a week: 553 h, rounded down.
        assert_eq!(guaranteed_hours(d("2026-12-01"), d("2027-03-31"), 32), 553);
    }
}
