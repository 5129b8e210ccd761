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

/// Parses an amount of yuan as people type it ("17", "17.5", "17.50", "3,000") into fen.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text: String = text.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
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
        for bad in ["", "-1", "17.005", "abc", "1e3", "17.5.1", "99999999999999999999"] {
            assert_eq!(parse_yuan(bad), None, "{bad:?}");
        }
    }
}
