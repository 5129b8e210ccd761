//! Money is integer fen (1 CNY = 100 fen); this only formats it for people.

/// "18.60" for 1860 fen; negative amounts keep their sign.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_fen_as_yuan() {
        assert_eq!(super::yuan(1860), "18.60");
        assert_eq!(super::yuan(5), "0.05");
        assert_eq!(super::yuan(0), "0.00");
        assert_eq!(super::yuan(-160), "-1.60");
        assert_eq!(super::yuan(323_640), "3236.40");
    }
}

/// Parses an amount of yuan as people type it, in Chinese, English or Vietnamese habits,
/// into fen: "17", "17.5", "17.50", "17,50" (a Vietnamese decimal comma), "3,000",
/// "1.000.000", "1,359.99", "1.359,99". A separator followed by one or two digits at the
/// end is the decimal point; the others group thousands, three digits at a time. Anything
/// else ("1,00,0") is not an amount, nor is one dot before three digits ("17.005", "3.000"),
/// which readers of different languages read differently.
pub fn parse_yuan(text: &str) -> Option<i64> {
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
    whole.checked_mul(100)?.checked_add(frac)
}

#[cfg(test)]
mod parse_tests {
    use super::parse_yuan;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_yuan("17"), Some(1700));
        assert_eq!(parse_yuan(" 17.5 "), Some(1750));
        assert_eq!(parse_yuan("17.05"), Some(1705));
        assert_eq!(parse_yuan("3,000"), Some(300_000));
        assert_eq!(parse_yuan(".5"), Some(50));
        // As a Vietnamese reader writes amounts: a decimal comma, dots between thousands.
        assert_eq!(parse_yuan("17,50"), Some(1750));
        assert_eq!(parse_yuan("17,5"), Some(1750));
        assert_eq!(parse_yuan("1.359,99"), Some(135_999));
        assert_eq!(parse_yuan("1.000.000"), Some(100_000_000));
        assert_eq!(parse_yuan("1,359.99"), Some(135_999));
        for bad in
            ["", "-1", "17.005", "abc", "1e3", "17.5.1", "99999999999999999999", "1,00,0", "17.", "1.2345,00"]
        {
            assert_eq!(parse_yuan(bad), None, "{bad:?}");
        }
    }
}
