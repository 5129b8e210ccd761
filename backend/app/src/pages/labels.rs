//! Labels that more than one page module shows, in the reader's language; page modules share
//! them from here instead of importing each other.

use crate::domain::payslip::Finding;
use crate::i18n::Lang;

/// A finding in words, with the amount owed in yuan.
pub(super) fn finding_text(finding: &Finding, lang: Lang) -> String {
    let args = [
        ("owed", lang.amount(finding.owed_fen)),
        ("required", finding.required.to_string()),
        ("actual", finding.actual.to_string()),
    ];
    lang.ta(&format!("finding-{}", finding.code), &args)
}

#[cfg(test)]
mod tests {
    use crate::domain::case::{CaseKind, CaseStatus, SubjectKind};
    use crate::domain::licence::LicenceAction;
    use crate::domain::pay::PayBasis;
    use crate::domain::placement::Status;
    use crate::domain::wage_floor::RuleKind;
    use crate::domain::worker::GENDERS;
    use crate::i18n::Lang;
    use crate::services::compliance::CATEGORIES;

    /// The codes a page turns into words by a key it builds at run time each have their
    /// message in every language, so no page shows a code or a key.
    #[test]
    fn every_code_a_page_names_has_its_words() {
        let mut keys: Vec<String> = Vec::new();
        let mut family = |prefix: &str, codes: Vec<&str>| {
            keys.extend(codes.into_iter().map(|code| format!("{prefix}{code}")));
        };
        family("placement-status-", Status::ALL.iter().map(|s| s.as_str()).collect());
        family("case-kind-", CaseKind::ALL.iter().map(|k| k.as_str()).collect());
        family("case-status-", CaseStatus::ALL.iter().map(|s| s.as_str()).collect());
        family("subject-", SubjectKind::ALL.iter().map(|s| s.as_str()).collect());
        family("complaint-category-", CATEGORIES.to_vec());
        family(
            "rule-kind-",
            [RuleKind::StatutoryMinimum, RuleKind::Prevailing].map(RuleKind::as_str).to_vec(),
        );
        family("licence-", vec!["active", "suspended", "revoked", "expired"]);
        family(
            "event-",
            [LicenceAction::Suspend, LicenceAction::Reinstate, LicenceAction::Revoke]
                .map(LicenceAction::event)
                .into_iter()
                .chain(["created"])
                .collect(),
        );
        family(
            "contract-basis-",
            [PayBasis::Hourly, PayBasis::Monthly, PayBasis::Piece].map(PayBasis::as_str).to_vec(),
        );
        family("country-", vec!["VN", "CN"]);
        family("contract-contact-", vec!["VN", "CN"]);
        family("deduction-", vec!["housing", "meals"]);
        family("channel-", vec!["email", "sms"]);
        family("permit-", vec!["valid", "revoked", "expired", "not-yet-valid"]);
        family("gender-", GENDERS.to_vec());
        family("language-", vec!["vi", "zh", "tyz", "nut", "en"]);
        family(
            "finding-",
            vec![
                "below_floor",
                "below_floor_after_deductions",
                "deductions_over_cap",
                "deduction_not_in_contract",
                "deduction_above_contract",
                "piece_rate_not_topped_up",
                "paid_less_than_twice_a_month",
                "paid_late",
                "pay_missing",
                "hours_guarantee",
            ],
        );
        for lang in Lang::ALL {
            // With the arguments the findings take (a message missing one of its arguments reads as
            // unknown too); a key with no message reads as unknown.
            let missing: Vec<&String> = keys
                .iter()
                .filter(|key| {
                    lang.ta(key, &[("owed", "1"), ("required", "1"), ("actual", "1")])
                        .starts_with("Unknown localization")
                })
                .collect();
            assert!(missing.is_empty(), "{}: {missing:?}", lang.tag());
        }
    }
}
