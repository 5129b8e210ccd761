//! The UI's languages: Fluent messages from web/i18n (compiled in), the choice of language
//! for a request — the remembered cookie, then `Accept-Language`, then a default — and the
//! one place where dates and amounts are written as each language's readers write them
//! (`Lang::date`, `Lang::datetime`, `Lang::amount`, `Lang::money`). The API and the CSV
//! exports keep ISO dates and CNY; only pages and notices go through here.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;

use actix_web::HttpRequest;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

use crate::domain::money::{Fen, yuan};

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

    /// The message `key` with `{ $count }` as a number, so that the message can choose its
    /// plural form ("1 open vacancy", "2 open vacancies").
    pub fn count(self, key: &str, count: impl Count) -> String {
        self.ta(key, &[("count", Arg::Number(count.count()))])
    }

    /// A worker's seasons: those the scheme recorded, and apart from them those its agency
    /// declared, which nobody verified.
    pub fn seasons(self, verified: impl Borrow<i64>, declared: impl Borrow<i32>) -> String {
        let (verified, declared) = (*verified.borrow(), declared.borrow().count());
        self.ta("worker-seasons", &[("verified", Arg::Number(verified)), ("declared", Arg::Number(declared))])
    }

    /// The message `key` with arguments: text, or numbers ([`Arg`]) where the message
    /// chooses a plural form by them.
    pub fn ta<A: Clone + Into<Arg>>(self, key: &str, args: &[(&'static str, A)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let value = match value.clone().into() {
                    Arg::Text(text) => FluentValue::from(text),
                    Arg::Number(n) => FluentValue::from(n),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect();
        LOCALES.lookup_with_args(&self.langid(), key, &args)
    }

    /// A calendar date as this language's readers write it: 01/12/2026 in Vietnamese,
    /// 2026年12月1日 in Chinese, 2026-12-01 in English.
    pub fn date(self, day: impl Borrow<NaiveDate>) -> String {
        let day = day.borrow();
        match self {
            Lang::Vi => format!("{:02}/{:02}/{}", day.day(), day.month(), day.year()),
            Lang::ZhCn => format!("{}年{}月{}日", day.year(), day.month(), day.day()),
            Lang::En => day.format("%Y-%m-%d").to_string(),
        }
    }

    /// A span of days, first and last included: "01/12/2026 – 31/03/2027".
    pub fn dates(self, first: impl Borrow<NaiveDate>, last: impl Borrow<NaiveDate>) -> String {
        let separator = if self == Lang::ZhCn { "至" } else { " – " };
        format!("{}{separator}{}", self.date(first), self.date(last))
    }

    /// An instant as the reader's clock shows it: Viet Nam's time (UTC+7) on a Vietnamese
    /// page, Beijing time (UTC+8) on a Chinese one, UTC in English; the zone is named.
    pub fn datetime(self, at: impl Borrow<DateTime<Utc>>) -> String {
        let at = at.borrow();
        let hours = match self {
            Lang::Vi => 7,
            Lang::ZhCn => 8,
            Lang::En => 0,
        };
        let local = FixedOffset::east_opt(hours * 3600)
            .map_or(at.naive_utc(), |zone| at.with_timezone(&zone).naive_local());
        self.ta("datetime", &[("date", self.date(local.date())), ("time", local.format("%H:%M").to_string())])
    }

    /// An amount of fen as a number of yuan, written as this language writes numbers:
    /// 1.359,99 in Vietnamese, 1359.99 in Chinese and English.
    pub fn amount(self, fen: impl Borrow<Fen>) -> String {
        let plain = yuan(*fen.borrow());
        if self != Lang::Vi {
            return plain;
        }
        let (sign, unsigned) = plain.strip_prefix('-').map_or(("", plain.as_str()), |rest| ("-", rest));
        let (whole, cents) = unsigned.split_once('.').unwrap_or((unsigned, "00"));
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped},{cents}")
    }

    /// An amount of fen with its currency as the reader names it: "17,00 tệ", "17.00 元",
    /// "17.00 CNY".
    pub fn money(self, fen: impl Borrow<Fen>) -> String {
        self.t1("money", "amount", &self.amount(fen))
    }

    /// A whole number as this language writes it: 12.345 in Vietnamese (dots between
    /// thousands, as [`Lang::amount`] writes yuan), 12345 in Chinese and English.
    pub fn number(self, n: i64) -> String {
        let plain = n.unsigned_abs().to_string();
        let sign = if n < 0 { "-" } else { "" };
        if self != Lang::Vi {
            return format!("{sign}{plain}");
        }
        let mut grouped = String::new();
        for (i, digit) in plain.chars().enumerate() {
            if i > 0 && (plain.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped}")
    }

    /// A calendar month as this language's readers write it: 11/2026 in Vietnamese,
    /// 2026年11月 in Chinese, 2026-11 in English.
    pub fn month(self, year: i32, month: u32) -> String {
        match self {
            Lang::Vi => format!("{month:02}/{year}"),
            Lang::ZhCn => format!("{year}年{month}月"),
            Lang::En => format!("{year:04}-{month:02}"),
        }
    }

    /// A share given in tenths of a per cent (per mille), as this language writes
    /// decimals: "97,5 %" in Vietnamese, "97.5 %" otherwise.
    pub fn percent(self, per_mille: i64) -> String {
        let point = if self == Lang::Vi { ',' } else { '.' };
        format!("{}{point}{} %", per_mille / 10, per_mille % 10)
    }
}

/// A count of something, as a message's `{ $count }` (templates pass references).
pub trait Count {
    fn count(&self) -> i64;
}

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl Count for i32 {
    fn count(&self) -> i64 {
        i64::from(*self)
    }
}

impl Count for usize {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl<T: Count> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// An argument of a message: text as it is, or a number that selects a plural form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_owned())
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Arg {
        Arg::Number(n.into())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(n.count())
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
    use fluent_templates::fluent_bundle::FluentResource;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn accept_language_picks_the_best_supported() {
        assert_eq!(from_accept_language("vi-VN,vi;q=0.9,en;q=0.8"), Some(Lang::Vi));
        assert_eq!(from_accept_language("fr;q=1, en;q=0.5, zh-CN;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(from_accept_language("zh-Hans-CN"), Some(Lang::ZhCn));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("vi;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language(""), None);
    }

    fn repo_path(path: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
    }

    /// Every message of one language, over all its .ftl files: its key and its text (the
    /// first line and the indented lines under it). Each file must parse as Fluent, so a
    /// syntax error fails here rather than on a page.
    fn messages(lang: &str) -> BTreeMap<String, String> {
        let mut messages = BTreeMap::new();
        for entry in std::fs::read_dir(repo_path(&format!("web/i18n/{lang}"))).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            if let Err((_, errors)) = FluentResource::try_new(source.clone()) {
                panic!("{} does not parse: {errors:?}", path.display());
            }
            let mut current: Option<String> = None;
            for line in source.lines() {
                if line.starts_with([' ', '\t']) {
                    if let Some(text) = current.as_ref().and_then(|key| messages.get_mut(key)) {
                        let text: &mut String = text;
                        text.push('\n');
                        text.push_str(line);
                    }
                    continue;
                }
                current = None;
                if line.starts_with(['#', '-']) || line.trim().is_empty() {
                    continue;
                }
                let (key, value) = line.split_once('=').unwrap_or_else(|| panic!("{lang}: {line:?}"));
                let key = key.trim().to_owned();
                assert!(
                    messages.insert(key.clone(), value.to_owned()).is_none(),
                    "{lang}: {key} is defined twice"
                );
                current = Some(key);
            }
        }
        messages
    }

    /// The `$variables` a message's text names.
    fn variables(text: &str) -> BTreeSet<String> {
        text.split('$')
            .skip(1)
            .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
            .collect()
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let en = messages("en");
        assert!(en.len() > 10);
        for lang in ["vi", "zh-CN"] {
            let other = messages(lang);
            let (ours, theirs): (BTreeSet<_>, BTreeSet<_>) = (en.keys().collect(), other.keys().collect());
            assert_eq!(
                theirs.difference(&ours).collect::<Vec<_>>(),
                Vec::<&&String>::new(),
                "only in {lang}"
            );
            assert_eq!(
                ours.difference(&theirs).collect::<Vec<_>>(),
                Vec::<&&String>::new(),
                "missing in {lang}"
            );
            for (key, text) in &en {
                assert_eq!(variables(&other[key]), variables(text), "{lang}: the variables of {key}");
            }
        }
    }

    /// The string literals that follow `pattern` in `text`, up to the closing quote.
    fn literals_after<'a>(text: &'a str, pattern: &str) -> Vec<&'a str> {
        text.match_indices(pattern)
            .filter_map(|(at, _)| text[at + pattern.len()..].split('"').next())
            .collect()
    }

    /// The files under `dir` (recursively) whose names end with `ext`.
    fn files(dir: &std::path::Path, ext: &str) -> Vec<(std::path::PathBuf, String)> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files(&path, ext));
            } else if path.to_string_lossy().ends_with(ext) {
                let text = std::fs::read_to_string(&path).unwrap();
                // Unit tests name messages that do not exist on purpose.
                let text = text.split("#[cfg(test)]").next().unwrap_or_default().to_owned();
                found.push((path, text));
            }
        }
        found
    }

    /// A page never shows a key: every message the code or a template names by a literal
    /// key exists, and so does the label of every field a refusal can name.
    #[test]
    fn every_key_the_code_names_is_a_message() {
        let en = messages("en");
        let mut sources = files(&repo_path("backend/app/src"), ".rs");
        sources.extend(files(&repo_path("web/templates"), ".html"));
        let mut missing = BTreeSet::new();
        for (path, text) in &sources {
            let mut keys = Vec::new();
            for call in [".t(\"", ".t1(\"", ".ta(\"", ".count(\"", ".try_t(\""] {
                keys.extend(literals_after(text, call).into_iter().map(str::to_owned));
            }
            // The fields a refusal names: the service's `invalid("field", …)`, a page's own
            // defaults, and the fields a page form's parser names (`(&self.x, "field")`).
            let mut fields: Vec<&str> = literals_after(text, "invalid(\"");
            fields.extend(literals_after(text, "field_refusal(page.lang, \""));
            fields.extend(literals_after(text, "refused_field(err, \""));
            fields.extend(literals_after(text, "refused_field(&err, \""));
            let page_module = path.components().any(|c| c.as_os_str() == "pages");
            for line in text.lines().filter(|l| page_module && l.contains("&self.")) {
                fields.extend(
                    literals_after(line, ", \"")
                        .into_iter()
                        .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
                );
            }
            keys.extend(fields.into_iter().map(|f| format!("field-{f}")));
            for key in keys {
                if !en.contains_key(&key) {
                    missing.insert(format!("{key} ({})", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "no message for: {missing:#?}");
    }

    #[test]
    fn counts_choose_their_plural_form() {
        assert_eq!(Lang::En.count("board-count", 1), "1 open vacancy");
        assert_eq!(Lang::En.count("board-count", 2), "2 open vacancies");
        assert_eq!(Lang::En.count("board-count", 0), "0 open vacancies");
        assert_eq!(Lang::Vi.count("board-count", 1), "1 tin đang tuyển");
        assert_eq!(Lang::ZhCn.count("board-count", 1), "共 1 个招聘中的岗位");
    }

    #[test]
    fn dates_and_amounts_are_written_as_each_reader_writes_them() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(Lang::Vi.date(day), "01/03/2027");
        assert_eq!(Lang::ZhCn.date(day), "2027年3月1日");
        assert_eq!(Lang::En.date(day), "2027-03-01");
        let at = DateTime::parse_from_rfc3339("2026-11-29T20:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(Lang::Vi.datetime(at), "03:30 ngày 30/11/2026 (giờ Việt Nam)");
        assert_eq!(Lang::ZhCn.datetime(at), "2026年11月30日 04:30（北京时间）");
        assert_eq!(Lang::En.datetime(at), "2026-11-29 20:30 UTC");
        assert_eq!(Lang::Vi.amount(Fen::new(135_999)), "1.359,99");
        assert_eq!(Lang::Vi.amount(Fen::new(123_456_789)), "1.234.567,89");
        assert_eq!(Lang::Vi.amount(Fen::new(-5)), "-0,05");
        assert_eq!(Lang::Vi.money(Fen::new(1700)), "17,00 tệ");
        assert_eq!(Lang::ZhCn.money(Fen::new(135_999)), "1359.99 元");
        assert_eq!(Lang::En.money(Fen::new(1700)), "17.00 CNY");
        assert_eq!(Lang::Vi.number(1_234_567), "1.234.567");
        assert_eq!(Lang::Vi.number(-999), "-999");
        assert_eq!(Lang::ZhCn.number(12_345), "12345");
        assert_eq!(Lang::Vi.month(2026, 11), "11/2026");
        assert_eq!(Lang::ZhCn.month(2026, 1), "2026年1月");
        assert_eq!(Lang::En.month(2026, 1), "2026-01");
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
