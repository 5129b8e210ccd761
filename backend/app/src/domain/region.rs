//! Regions: China's administrative divisions and Viet Nam's provinces, each with its parent
//! (country › province › prefecture › county).

/// `code` and every region below it, `code` first, given each region's `(code, parent)`.
pub fn and_below<'a>(
    code: &str,
    regions: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> Vec<String> {
    let regions: Vec<(&str, Option<&str>)> = regions.into_iter().collect();
    let mut out = vec![code.to_owned()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        for (child, _) in regions.iter().filter(|(_, p)| *p == Some(parent.as_str())) {
            // A cycle would be a data error; never loop forever.
            if !out.iter().any(|seen| seen == child) {
                out.push((*child).to_owned());
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_holds_itself_and_everything_below_it() {
        let regions = [
            ("450000", None),
            ("451400", Some("450000")),
            ("451422", Some("451400")),
            ("451481", Some("451400")),
            ("451000", Some("450000")),
            ("VN-09", None),
        ];
        assert_eq!(and_below("451400", regions), ["451400", "451422", "451481"]);
        assert_eq!(and_below("450000", regions).len(), 5);
        assert_eq!(and_below("VN-09", regions), ["VN-09"]);
        assert_eq!(and_below("ZZ", regions), ["ZZ"], "an unknown code holds only itself");
        let cycle = [("a", Some("b")), ("b", Some("a"))];
        assert_eq!(and_below("a", cycle), ["a", "b"]);
    }
}
