//! Reports against unlicensed brokers: what a broker did, what a report must hold before an
//! authority can act on it, and the bounds of what the broker asked. Pure: the service
//! (`services::compliance`) stores the report and opens its case.

use super::money::Fen;

text_enum!(
    /// What the broker did, as the reporter tells it.
    BrokerConduct {
        /// Recruits workers for China without a licence.
        RecruitsWithoutLicence => "recruits_without_licence",
        /// Took money for "papers": a permit, a passport, a contract.
        TookMoneyForPapers => "took_money_for_papers",
        /// Took money to take workers across the border.
        TookMoneyForCrossing => "took_money_for_crossing",
        /// Holds workers' documents (passports, identity cards).
        HoldsDocuments => "holds_documents",
        Other => "other",
    }
);

/// The most a report may say the broker asked, in fen: a million yuan.
pub const MOST_FEN: Fen = Fen::new(100_000_000);
/// The most a report may say the broker asked, in đồng: ten billion.
pub const MOST_VND: i64 = 10_000_000_000;

/// Why a report cannot be taken as given, naming the field to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub problem: &'static str,
}

impl BrokerConduct {
    /// The kinds as given: at least one, each known; repeated ones count once. Returned in the
    /// order of [`BrokerConduct::ALL`].
    pub fn parse_all(given: &[String]) -> Result<Vec<BrokerConduct>, Refusal> {
        let refusal = Refusal {
            field: "kinds",
            problem: "at least one of recruits_without_licence, took_money_for_papers, \
                      took_money_for_crossing, holds_documents, other",
        };
        let mut kinds = Vec::new();
        for text in given {
            kinds.push(BrokerConduct::parse(text.trim()).ok_or(refusal)?);
        }
        let kinds: Vec<BrokerConduct> =
            BrokerConduct::ALL.iter().copied().filter(|k| kinds.contains(k)).collect();
        if kinds.is_empty() { Err(refusal) } else { Ok(kinds) }
    }

    /// The kinds as stored: comma-separated, in order.
    pub fn join(kinds: &[BrokerConduct]) -> String {
        kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
    }

    /// The kinds a stored text holds; anything unknown is left out.
    pub fn split(stored: &str) -> Vec<BrokerConduct> {
        stored.split(',').filter_map(BrokerConduct::parse).collect()
    }
}

/// A report an authority can act on names the broker — by a name or a phone number, as the
/// reporter knows them — or tells what happened. Without any of the three it is refused,
/// naming what is needed.
pub fn actionable(name: Option<&str>, phone: Option<&str>, description: Option<&str>) -> Result<(), Refusal> {
    let given = |text: Option<&str>| text.is_some_and(|t| !t.trim().is_empty());
    if given(name) || given(phone) || given(description) {
        Ok(())
    } else {
        Err(Refusal {
            field: "broker",
            problem: "give the broker's name or phone number as you know them (broker_name, \
                      broker_phone), or tell what happened (description)",
        })
    }
}

/// What the broker asked: in fen (CNY) or in đồng (VND), at most one, each positive and
/// bounded.
pub fn amount_asked(fen: Option<Fen>, vnd: Option<i64>) -> Result<(), Refusal> {
    if fen.is_some() && vnd.is_some() {
        return Err(Refusal { field: "amount_asked_vnd", problem: "one amount: in fen or in đồng" });
    }
    if fen.is_some_and(|f| !(Fen::new(1)..=MOST_FEN).contains(&f)) {
        return Err(Refusal { field: "amount_asked_fen", problem: "between 1 and 100000000 fen" });
    }
    if vnd.is_some_and(|v| !(1..=MOST_VND).contains(&v)) {
        return Err(Refusal { field: "amount_asked_vnd", problem: "between 1 and 10000000000 đồng" });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(kinds: &[&str]) -> Vec<String> {
        kinds.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn kinds_are_known_at_least_one_and_kept_in_order() {
        let kinds =
            BrokerConduct::parse_all(&texts(&["holds_documents", "recruits_without_licence"])).unwrap();
        assert_eq!(kinds, [BrokerConduct::RecruitsWithoutLicence, BrokerConduct::HoldsDocuments]);
        assert_eq!(BrokerConduct::join(&kinds), "recruits_without_licence,holds_documents");
        assert_eq!(BrokerConduct::split("recruits_without_licence,holds_documents"), kinds);
        let twice = BrokerConduct::parse_all(&texts(&["other", "other"])).unwrap();
        assert_eq!(twice, [BrokerConduct::Other]);
        assert_eq!(BrokerConduct::parse_all(&[]).unwrap_err().field, "kinds");
        assert_eq!(BrokerConduct::parse_all(&texts(&["other", "smuggles_cats"])).unwrap_err().field, "kinds");
    }

    #[test]
    fn a_report_names_the_broker_or_tells_what_happened() {
        assert!(actionable(Some("Ông Tư"), None, None).is_ok());
        assert!(actionable(None, Some("0912 345 678"), None).is_ok());
        assert!(actionable(None, None, Some("Thu 5 triệu tiền làm giấy")).is_ok());
        let refusal = actionable(Some("  "), None, Some("")).unwrap_err();
        assert_eq!(refusal.field, "broker");
        assert!(refusal.problem.contains("broker_name") && refusal.problem.contains("description"));
        assert!(actionable(None, None, None).is_err());
    }

    #[test]
    fn an_amount_is_in_one_currency_positive_and_bounded() {
        assert!(amount_asked(None, None).is_ok());
        assert!(amount_asked(Some(Fen::new(500_000)), None).is_ok());
        assert!(amount_asked(None, Some(5_000_000)).is_ok());
        assert!(amount_asked(Some(MOST_FEN), None).is_ok() && amount_asked(None, Some(MOST_VND)).is_ok());
        assert_eq!(amount_asked(Some(Fen::new(1)), Some(1)).unwrap_err().field, "amount_asked_vnd");
        assert_eq!(amount_asked(Some(Fen::ZERO), None).unwrap_err().field, "amount_asked_fen");
        assert_eq!(amount_asked(Some(Fen::new(100_000_001)), None).unwrap_err().field, "amount_asked_fen");
        assert_eq!(amount_asked(None, Some(-5)).unwrap_err().field, "amount_asked_vnd");
        assert_eq!(amount_asked(None, Some(MOST_VND + 1)).unwrap_err().field, "amount_asked_vnd");
    }
}
