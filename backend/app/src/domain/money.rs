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
