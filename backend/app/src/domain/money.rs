//! Money: an amount is a [`Fen`] (1 CNY = 100 fen), a whole number that adds up only through
//! checked arithmetic, so that an amount too large to hold is `None`, never a wrapped or
//! panicking sum. In JSON and in the OpenAPI document it is a plain integer of fen, in the
//! database a BIGINT (see `db::money`). People read and type yuan: [`yuan`] and
//! [`parse_yuan`].

use serde::{Deserialize, Serialize};

/// An amount of money in fen; negative only where a difference is meant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub const fn new(fen: i64) -> Fen {
        Fen(fen)
    }

    /// The amount as a number of fen.
    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// The amount `times` over: a count of items, hours, days or percent.
    pub fn checked_mul(self, times: i64) -> Option<Fen> {
        self.0.checked_mul(times).map(Fen)
    }

    /// The amount divided by `parts`, rounded toward zero; `None` for no parts.
    pub fn checked_div(self, parts: i64) -> Option<Fen> {
        self.0.checked_div(parts).map(Fen)
    }

    /// The sum of the amounts, `None` when it does not fit.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Fen>) -> Option<Fen> {
        amounts.into_iter().try_fold(Fen::ZERO, Fen::checked_add)
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl From<i64> for Fen {
    fn from(fen: i64) -> Fen {
        Fen(fen)
    }
}

/// For the database's column impls, which bind a reference to the number.
impl AsRef<i64> for Fen {
    fn as_ref(&self) -> &i64 {
        &self.0
    }
}

impl From<Fen> for serde_json::Value {
    fn from(amount: Fen) -> serde_json::Value {
        amount.0.into()
    }
}

impl utoipa::PartialSchema for Fen {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        i64::schema()
    }
}

impl utoipa::ToSchema for Fen {}

/// "18.60" for 1860 fen; negative amounts keep their sign.
pub fn yuan(amount: Fen) -> String {
    let fen = amount.get();
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Parses an amount of yuan as people type it, in Chinese, English or Vietnamese habits,
/// into fen: "17", "17.5", "17.50", "17,50" (a Vietnamese decimal comma), "3,000",
/// "1.000.000", "1,359.99", "1.359,99". A separator followed by one or two digits at the
/// end is the decimal point; the others group thousands, three digits at a time. Anything
/// else ("1,00,0") is not an amount, nor is one dot before three digits ("17.005", "3.000"),
/// which readers of different languages read differently, nor a negative amount or one too
/// large to hold.
pub fn parse_yuan(text: &str) -> Option<Fen> {
    let text: String = text.trim().chars().filter(|c| *c != ' ').collect();
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    let (whole, frac) = match text.rfind(['.', ',']) {
        Some(at) if (1..=2).contains(&(text.len() - at - 1)) => (&text[..at], &text[at + 1..]),
        Some(at) if at + 1 == text.len() => return None,
        _ => (text.as_str(), ""),
    };
    let mut groups = whole.split(['.', ',']);
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    if rest.iter().any(|g| g.len() != 3) || (!rest.is_empty() && (first.is_empty() || first.len() > 3)) {
        return None;
    }
    // "17.005" is three decimals to one reader and seventeen thousand and five to another.
    if rest.len() == 1 && whole.contains('.') && frac.is_empty() {
        return None;
    }
    let digits: String = std::iter::once(first).chain(rest).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    Fen::new(whole).checked_mul(100)?.checked_add(Fen::new(frac))
}

/// Parses an amount of đồng as people in Viet Nam type it: whole đồng, thousands grouped by
/// dots, commas or spaces ("5.000.000", "5,000,000", "5 000 000", "5000000"), with or
/// without "đ", "₫" or "VND" after it. No decimals (the đồng has none), nothing negative,
/// nothing too large to hold.
pub fn parse_dong(text: &str) -> Option<i64> {
    let text = text.trim();
    let lower = text.to_lowercase();
    let bare =
        ["vnd", "đồng", "đ", "₫"].iter().find_map(|unit| lower.strip_suffix(unit)).unwrap_or(&lower).trim();
    let bare: String = bare.chars().filter(|c| !c.is_whitespace()).collect();
    if bare.is_empty() {
        return None;
    }
    let mut groups = bare.split(['.', ',']);
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    if first.is_empty() || (!rest.is_empty() && (first.len() > 3 || rest.iter().any(|g| g.len() != 3))) {
        return None;
    }
    let digits: String = std::iter::once(first).chain(rest).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dong_as_people_in_viet_nam_type_it() {
        for text in [
            "5.000.000",
            "5,000,000",
            "5 000 000",
            "5000000",
            "5.000.000 đ",
            "5.000.000đ",
            "5.000.000 VND",
            "5.000.000₫",
        ] {
            assert_eq!(parse_dong(text), Some(5_000_000), "{text}");
        }
        assert_eq!(parse_dong("800"), Some(800));
        for text in
            ["", "đ", "-5.000", "5.00", "5,5", "1.0000", "12345.000", "năm triệu", "99999999999999999999"]
        {
            assert_eq!(parse_dong(text), None, "{text}");
        }
    }

    #[test]
    fn formats_fen_as_yuan() {
        assert_eq!(yuan(Fen::new(1860)), "18.60");
        assert_eq!(yuan(Fen::new(5)), "0.05");
        assert_eq!(yuan(Fen::ZERO), "0.00");
        assert_eq!(yuan(Fen::new(-160)), "-1.60");
        assert_eq!(yuan(Fen::new(323_640)), "3236.40");
        assert_eq!(yuan(Fen::new(i64::MIN)), "-92233720368547758.08");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_yuan("17"), Some(Fen::new(1700)));
        assert_eq!(parse_yuan(" 17.5 "), Some(Fen::new(1750)));
        assert_eq!(parse_yuan("17.05"), Some(Fen::new(1705)));
        assert_eq!(parse_yuan("3,000"), Some(Fen::new(300_000)));
        assert_eq!(parse_yuan(".5"), Some(Fen::new(50)));
        // As a Vietnamese reader writes amounts: a decimal comma, dots between thousands.
        assert_eq!(parse_yuan("17,50"), Some(Fen::new(1750)));
        assert_eq!(parse_yuan("17,5"), Some(Fen::new(1750)));
        assert_eq!(parse_yuan("1.359,99"), Some(Fen::new(135_999)));
        assert_eq!(parse_yuan("1.000.000"), Some(Fen::new(100_000_000)));
        assert_eq!(parse_yuan("1,359.99"), Some(Fen::new(135_999)));
        for bad in [
            "",
            "-1",
            "17.005",
            "abc",
            "1e3",
            "17.5.1",
            "99999999999999999999",
            "1,00,0",
            "17.",
            "1.2345,00",
            "92233720368547758.08",
        ] {
            assert_eq!(parse_yuan(bad), None, "{bad:?}");
        }
        assert_eq!(parse_yuan("92233720368547758.07"), Some(Fen::new(i64::MAX)));
    }

    #[test]
    fn what_is_formatted_parses_back() {
        for fen in [0, 1, 5, 99, 100, 1860, 323_640, 10_000_000, i64::MAX] {
            assert_eq!(parse_yuan(&yuan(Fen::new(fen))), Some(Fen::new(fen)), "{fen}");
        }
    }

    #[test]
    fn arithmetic_that_does_not_fit_is_none() {
        let max = Fen::new(i64::MAX);
        assert_eq!(max.checked_add(Fen::new(1)), None);
        assert_eq!(Fen::new(i64::MIN).checked_sub(Fen::new(1)), None);
        assert_eq!(max.checked_mul(2), None);
        assert_eq!(Fen::new(1700).checked_div(0), None);
        assert_eq!(Fen::new(i64::MIN).checked_div(-1), None);
        assert_eq!(Fen::checked_sum([max, Fen::new(1)]), None);
        assert_eq!(Fen::new(1700).checked_add(Fen::new(160)), Some(Fen::new(1860)));
        assert_eq!(Fen::new(1700).checked_sub(Fen::new(1860)), Some(Fen::new(-160)));
        assert_eq!(Fen::new(1860).checked_mul(174), Some(Fen::new(323_640)));
        assert_eq!(Fen::new(323_639).checked_div(174), Some(Fen::new(1859)), "toward zero");
        assert_eq!(Fen::checked_sum([Fen::new(1), Fen::new(2), Fen::new(3)]), Some(Fen::new(6)));
        assert_eq!(Fen::checked_sum([]), Some(Fen::ZERO));
    }

    #[test]
    fn an_amount_is_a_plain_integer_in_json_and_in_the_document() {
        assert_eq!(serde_json::to_value(Fen::new(1860)).unwrap(), serde_json::json!(1860));
        assert_eq!(serde_json::from_str::<Fen>("-160").unwrap(), Fen::new(-160));
        assert!(serde_json::from_str::<Fen>("\"1860\"").is_err());
        let schema = serde_json::to_value(<Fen as utoipa::PartialSchema>::schema()).unwrap();
        assert_eq!(schema, serde_json::json!({"type": "integer", "format": "int64"}));
    }
}
