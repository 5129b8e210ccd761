//! Labels that more than one page module shows, in the reader's language; page modules share
//! them from here instead of importing each other.

use crate::domain::payslip::Finding;
use crate::i18n::Lang;

/// A finding in words, with the amount owed in yuan.
pub(super) fn finding_text(finding: &Finding, lang: Lang) -> String {
    lang.t1(&format!("finding-{}", finding.code), "owed", &lang.amount(finding.owed_fen))
}
