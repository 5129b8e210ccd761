//! A contract rendered in one language from its terms: the same terms, the same hash, in
//! every language. The API hands the fragment out with the contract, the pages show it;
//! neither owns it. Nothing of the terms is printed raw: codes become words, dates and
//! amounts are written as the reader writes them (`Lang`).

use askama::Template;

use crate::domain::contract::{Contact, Insurance, Named, Terms};
use crate::domain::pay::Deduction;
use crate::domain::payslip::minimum_paid_minutes;
use crate::domain::worker::initials;
use crate::error::AppError;
use crate::i18n::{Arg, Lang};

/// The terms' names and amounts, written out for one language.
#[derive(Template)]
#[template(path = "contract.html")]
struct ContractTemplate<'a> {
    lang: Lang,
    t: &'a Terms,
    sha256: &'a str,
    /// The salt, for the reader who may recompute the hash (never an employer before the
    /// worker accepts).
    salt: Option<&'a str>,
    occupation: &'a str,
    worksite: &'a str,
    crossing: &'a str,
    season: String,
    /// The agency and its licence number.
    agency: String,
    /// The guaranteed hours a week, and over the season.
    guaranteed: String,
    basis: String,
    wage: String,
    guaranteed_hourly: Option<String>,
    hourly_equivalent: String,
    /// The three-fourths rule with its hours: what the season pays for at least.
    hours_guarantee: String,
    floor: String,
    deductions: Vec<String>,
    fees: String,
    return_by: String,
    /// Each partner-country contact: its country, office and phone.
    contacts: Vec<String>,
    /// The holder as the reader may see it: the name and birth date, or initials only.
    holder: String,
    /// The insurance in words, line by line; empty when the contract states none.
    insurance: Vec<String>,
}

/// The insurance a contract states, in the reader's words: who insures under which policy,
/// the two covers, and who pays the premium (never the worker).
pub fn insurance_lines(insurance: &Insurance, lang: Lang) -> Vec<String> {
    let payer = lang.t(&format!("insurance-paid-by-{}", insurance.paid_by));
    vec![
        lang.ta(
            "insurance-policy",
            &[("insurer", insurance.insurer.clone()), ("number", insurance.policy_number.clone())],
        ),
        lang.t1("insurance-work-injury", "amount", &lang.money(insurance.work_injury_cover_fen)),
        lang.t1("insurance-return", "amount", &lang.money(insurance.return_cover_fen)),
        lang.t1("insurance-payer", "payer", &payer),
    ]
}

fn name(named: &Named, lang: Lang) -> &str {
    match lang {
        Lang::ZhCn => &named.zh,
        Lang::Vi => &named.vi,
        Lang::En => &named.en,
    }
}

/// What a deduction is for, in words: the kinds the forms offer (housing, meals) by their
/// message; a kind an employer typed itself, as typed.
pub fn deduction_kind(kind: &str, lang: Lang) -> String {
    lang.try_t(&format!("deduction-{kind}")).unwrap_or_else(|| kind.to_owned())
}

/// One deduction in words, "tiền nhà ở: 200,00 tệ", with `amount` as the caller writes it.
pub fn deduction_line(deduction: &Deduction, lang: Lang, amount: String) -> String {
    lang.ta("deduction-line", &[("kind", deduction_kind(&deduction.kind, lang)), ("amount", amount)])
}

/// A contact in the reader's language: its country named, and the office by its message
/// where there is one (the stored name is the fallback).
pub fn contact_line(contact: &Contact, lang: Lang) -> String {
    let country =
        lang.try_t(&format!("country-{}", contact.country)).unwrap_or_else(|| contact.country.clone());
    let name =
        lang.try_t(&format!("contract-contact-{}", contact.country)).unwrap_or_else(|| contact.name.clone());
    lang.ta(
        "contract-contact-line",
        &[("country", country), ("name", name), ("phone", contact.phone.clone())],
    )
}

/// The contract as an HTML fragment (an `<article>`), in `lang`; `pseudonymous` shows the
/// holder by initials only (an employer before the worker accepts).
pub fn render(t: &Terms, sha256: &str, lang: Lang, pseudonymous: bool) -> Result<String, AppError> {
    let holder = if pseudonymous {
        initials(&t.worker.full_name)
    } else {
        lang.ta(
            "contract-holder",
            &[("name", t.worker.full_name.clone()), ("date", lang.date(t.worker.date_of_birth))],
        )
    };
    let crossing = name(&t.crossing, lang);
    let unit = t.piece_unit.as_deref().map(|u| format!(" / {u}")).unwrap_or_default();
    let minimum = minimum_paid_minutes(t.guaranteed_hours_season);
    ContractTemplate {
        lang,
        t,
        sha256,
        salt: t.salt.as_deref().filter(|_| !pseudonymous),
        holder,
        occupation: name(&t.occupation, lang),
        worksite: name(&t.worksite, lang),
        crossing,
        season: lang.dates(t.season_start, t.season_end),
        agency: lang.ta(
            "contract-agency-line",
            &[("name", t.agency.name.clone()), ("number", t.agency_licence_number.clone())],
        ),
        guaranteed: lang.ta(
            "contract-guaranteed-value",
            &[
                ("week", t.guaranteed_hours_per_week.to_string()),
                ("season", lang.ta("contract-guaranteed-season", &[("hours", t.guaranteed_hours_season)])),
            ],
        ),
        basis: lang.t(&format!("contract-basis-{}", t.pay_basis.as_str())),
        wage: format!("{}{unit}", lang.money(t.wage_fen)),
        guaranteed_hourly: t.guaranteed_hourly_fen.map(|g| lang.money(g)),
        hourly_equivalent: lang.money(t.hourly_equivalent_fen),
        hours_guarantee: lang.ta(
            "contract-hours-guarantee",
            &[
                ("hours", Arg::from(minimum / 60)),
                ("minutes", Arg::from(minimum % 60)),
                ("season", Arg::from(t.guaranteed_hours_season)),
            ],
        ),
        floor: lang.ta(
            "contract-floor-value",
            &[
                ("amount", lang.money(t.floor.hourly_fen)),
                ("kind", lang.try_t(&format!("rule-kind-{}", t.floor.kind)).unwrap_or_default()),
                ("source", t.floor.source.clone()),
            ],
        ),
        deductions: t
            .deductions
            .iter()
            .map(|d| deduction_line(d, lang, lang.money(d.fen_per_month)))
            .collect(),
        fees: lang.money(t.worker_paid_fees_fen),
        return_by: lang
            .ta("contract-return-by", &[("date", lang.date(t.return_by)), ("crossing", crossing.to_owned())]),
        contacts: t.contacts.iter().map(|c| contact_line(c, lang)).collect(),
        insurance: t.insurance.as_ref().map(|i| insurance_lines(i, lang)).unwrap_or_default(),
    }
    .render()
    .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contract::{FloorRef, Holder, Party, contacts, guaranteed_hours};
    use crate::domain::money::Fen;
    use crate::domain::pay::PayBasis;
    use chrono::NaiveDate;

    fn terms() -> Terms {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let named = |code: &str, zh: &str, vi: &str, en: &str| Named {
            code: code.into(),
            zh: zh.into(),
            vi: vi.into(),
            en: en.into(),
        };
        Terms {
            placement_id: "p1".into(),
            version: 1,
            employer: Party { id: "e1".into(), name: "宁明糖业有限公司".into() },
            agency: Party { id: "a1".into(), name: "Công ty Cung ứng Lao động Xứ Lạng".into() },
            agency_licence_number: "VN-LS-2026-0012".into(),
            // A name typed with combining marks (NFD), as some phones send it.
            worker: Holder {
                id: "w1".into(),
                full_name: "Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh".into(),
                date_of_birth: d("1995-03-02"),
            },
            occupation: named("sugarcane_cutting", "甘蔗砍收", "Chặt mía", "Sugarcane cutting"),
            worksite: named("451422", "宁明县", "Huyện Ninh Minh", "Ningming County"),
            crossing: named("aidian", "爱店口岸", "Cửa khẩu Chi Ma", "Aidian – Chi Ma"),
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
            deductions: vec![
                Deduction { kind: "housing".into(), fen_per_month: Fen::new(20_000) },
                Deduction { kind: "meals".into(), fen_per_month: Fen::new(35_000) },
            ],
            deductions_cap_percent: 20,
            housing_provided: true,
            worker_paid_fees_fen: Fen::new(0),
            return_by: d("2027-04-14"),
            contacts: contacts(),
            insurance: None,
            salt: None,
        }
    }

    #[test]
    fn the_contract_says_everything_in_the_readers_words() {
        let t = terms();
        let vi = render(&t, "abc", Lang::Vi, false).unwrap();
        // 553 guaranteed hours over the season; three quarters is 414 h 45 min.
        for words in [
            "414 giờ 45 phút",
            "553 giờ",
            "tiền nhà ở: 200,00 tệ",
            "tiền ăn: 350,00 tệ",
            "3.000,00 tệ",
            "01/12/2026 – 31/03/2027",
            "chậm nhất là ngày 14/04/2027",
            "sinh ngày 02/03/1995",
            "Việt Nam: Cục Quản lý lao động ngoài nước",
            "Trung Quốc: Đường dây nóng",
            "Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh",
            "宁明糖业有限公司",
        ] {
            assert!(vi.contains(words), "{words} in {vi}");
        }
        for raw in ["CNY", "housing", "meals", "VN:", "CN:", "2026-12-01", "labour", "hotline"] {
            assert!(!vi.contains(raw), "{raw} in {vi}");
        }
        let zh = render(&t, "abc", Lang::ZhCn, false).unwrap();
        for words in
            ["至少414小时45分钟", "住宿费：200.00 元", "2026年12月1日至2027年3月31日", "最迟于 2027年4月14日"]
        {
            assert!(zh.contains(words), "{words} in {zh}");
        }
        for raw in ["CNY", "housing", "派遣", "VN:", "2027-04-14", "labour"] {
            assert!(!zh.contains(raw), "{raw} in {zh}");
        }
        let en = render(&t, "abc", Lang::En, false).unwrap();
        assert!(en.contains("at least 414 hours 45 minutes") && en.contains("housing: 200.00 CNY"), "{en}");
    }

    #[test]
    fn whole_hours_are_said_without_minutes() {
        let mut t = terms();
        t.guaranteed_hours_season = 400;
        let vi = render(&t, "abc", Lang::Vi, false).unwrap();
        assert!(vi.contains("ít nhất 300 giờ trong tổng số 400 giờ"), "{vi}");
    }
}
