//! A contract rendered in one language from its terms: the same terms, the same hash, in
//! every language. The API hands the fragment out with the contract, the pages show it;
//! neither owns it.

use askama::Template;

use crate::domain::contract::{Named, Terms};
use crate::domain::money::yuan;
use crate::domain::worker::initials;
use crate::error::AppError;
use crate::i18n::Lang;

/// The terms' names and amounts, written out for one language.
#[derive(Template)]
#[template(path = "contract.html")]
struct ContractTemplate<'a> {
    lang: Lang,
    t: &'a Terms,
    sha256: &'a str,
    occupation: &'a str,
    worksite: &'a str,
    crossing: &'a str,
    basis: String,
    wage: String,
    guaranteed_hourly: Option<String>,
    hourly_equivalent: String,
    floor: String,
    deductions: Vec<(String, String)>,
    fees: String,
    return_by: String,
    /// The holder as the reader may see it: the name and birth date, or initials only.
    holder: String,
}

fn name(named: &Named, lang: Lang) -> &str {
    match lang {
        Lang::ZhCn => &named.zh,
        Lang::Vi => &named.vi,
        Lang::En => &named.en,
    }
}

/// The contract as an HTML fragment (an `<article>`), in `lang`; `pseudonymous` shows the
/// holder by initials only (an employer before the worker accepts).
pub fn render(t: &Terms, sha256: &str, lang: Lang, pseudonymous: bool) -> Result<String, AppError> {
    let holder = if pseudonymous {
        initials(&t.worker.full_name)
    } else {
        format!("{}, {} {}", t.worker.full_name, lang.t("contract-born"), t.worker.date_of_birth)
    };
    let crossing = name(&t.crossing, lang);
    let unit = t.piece_unit.as_deref().map(|u| format!(" / {u}")).unwrap_or_default();
    ContractTemplate {
        lang,
        t,
        sha256,
        holder,
        occupation: name(&t.occupation, lang),
        worksite: name(&t.worksite, lang),
        crossing,
        basis: lang.t(&format!("contract-basis-{}", t.pay_basis.as_str())),
        wage: format!("{} CNY{unit}", yuan(t.wage_fen)),
        guaranteed_hourly: t.guaranteed_hourly_fen.map(|g| format!("{} CNY", yuan(g))),
        hourly_equivalent: format!("{} CNY", yuan(t.hourly_equivalent_fen)),
        floor: format!("{} CNY ({})", yuan(t.floor.hourly_fen), t.floor.source),
        deductions: t
            .deductions
            .iter()
            .map(|d| (d.kind.clone(), format!("{} CNY", yuan(d.fen_per_month))))
            .collect(),
        fees: format!("{} CNY", yuan(t.worker_paid_fees_fen)),
        return_by: lang.ta(
            "contract-return-by",
            &[("date", t.return_by.to_string()), ("crossing", crossing.to_owned())],
        ),
    }
    .render()
    .map_err(AppError::internal)
}
