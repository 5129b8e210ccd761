//! The UI's languages: Fluent messages from web/i18n (compiled in) and the choice of
//! language for a request — the remembered cookie, then `Accept-Language`, then a default.

use actix_web::HttpRequest;
use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "../../web/i18n",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie that remembers the language switch.
pub const LANG_COOKIE: &str = "sl_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhCn, Lang::Vi, Lang::En];

    /// The BCP 47 tag, as in URLs, cookies and `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::ZhCn => langid!("zh-CN"),
            Lang::Vi => langid!("vi"),
            Lang::En => langid!("en"),
        }
    }

    /// Matches a tag by its primary language: "zh", "zh-Hans-CN" → Chinese, "vi-VN" → Vietnamese.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::ZhCn),
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The message `key` in this language.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(&self.langid(), key)
    }

    /// The message `key` in this language, if there is one (a key built at run time).
    pub fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.langid(), key)
    }

    /// The message `key` with one argument, such as `{ $email }`.
    pub fn t1(self, key: &str, name: &'static str, value: &str) -> String {
        self.ta(key, &[(name, value.to_owned())])
    }

    /// The message `key` with arguments.
    pub fn ta(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: std::collections::HashMap<_, _> = args
            .iter()
            .map(|(name, value)| (std::borrow::Cow::Borrowed(*name), value.clone().into()))
            .collect();
        LOCALES.lookup_with_args(&self.langid(), key, &args)
    }
}

/// The best supported language of an `Accept-Language` header, by quality.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default();
        let quality = parts
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        if let Some(lang) = Lang::from_tag(tag)
            && quality > 0.0
            && best.is_none_or(|(q, _)| quality > q)
        {
            best = Some((quality, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

/// The language of a page: the remembered choice, else `default` when the page has one
/// (a worker's pages default to Vietnamese), else the browser's, else English.
pub fn negotiate(req: &HttpRequest, default: Option<Lang>) -> Lang {
    let remembered = req.cookie(LANG_COOKIE).and_then(|c| Lang::from_tag(c.value()));
    let browser = || {
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .and_then(from_accept_language)
    };
    remembered.or(default).or_else(browser).unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(from_accept_language("vi-VN,vi;q=0.9,en;q=0.8"), Some(Lang::Vi));
        assert_eq!(from_accept_language("fr;q=1, en;q=0.5, zh-CN;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(from_accept_language("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("vi;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language(""), None);
    }

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = format!("{}/../../web/i18n/{lang}", env!("CARGO_MANIFEST_DIR"));
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with(['#', ' ', '.'])
                    && !key.is_empty()
                {
                    keys.insert(key.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn every_language_has_every_message() {
        let en = keys("en");
        assert!(en.len() > 10);
        assert_eq!(keys("vi"), en, "vi differs from en");
        assert_eq!(keys("zh-CN"), en, "zh-CN differs from en");
    }

    #[test]
    fn a_missing_message_is_none_rather_than_an_error_text() {
        assert_eq!(Lang::Vi.try_t("login-submit").as_deref(), Some("Đăng nhập"));
        assert_eq!(Lang::Vi.try_t("no-such-message"), None);
    }

    #[test]
    fn messages_are_translated() {
        assert_eq!(Lang::En.t("login-submit"), "Log in");
        assert_eq!(Lang::Vi.t("login-submit"), "Đăng nhập");
        assert_eq!(Lang::ZhCn.t("login-submit"), "登录");
    }
}
