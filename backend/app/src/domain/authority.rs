//! The scheme's two sides, whose authorities decide what each side decides.

/// A side of the scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Country {
    /// China: the employers' side.
    CN,
    /// Viet Nam: the workers' side.
    VN,
}

impl Country {
    pub fn as_str(self) -> &'static str {
        match self {
            Country::CN => "CN",
            Country::VN => "VN",
        }
    }

    /// "CN" or "VN"; anything else is none.
    pub fn parse(text: &str) -> Option<Country> {
        match text {
            "CN" => Some(Country::CN),
            "VN" => Some(Country::VN),
            _ => None,
        }
    }

    /// The side, in words, for a refusal's detail.
    pub fn side(self) -> &'static str {
        match self {
            Country::CN => "China's side",
            Country::VN => "Viet Nam's side",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_cn_or_vn() {
        assert_eq!(Country::parse("CN"), Some(Country::CN));
        assert_eq!(Country::parse("VN").map(Country::as_str), Some("VN"));
        assert_eq!(Country::parse("vn"), None);
        assert_eq!(Country::parse("TH"), None);
    }
}
