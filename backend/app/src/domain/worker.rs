//! A worker's record as an agency writes it: every field checked once, the same way for the
//! JSON API and for a CSV import, and the pseudonymous figures employers may see.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::account::Email;
use crate::domain::calendar::within_scheme_years;

/// The youngest and oldest a worker may be on the day of registration (inclusive).
pub const MIN_AGE: u32 = 18;
pub const MAX_AGE: u32 = 65;
pub const GENDERS: [&str; 3] = ["female", "male", "other"];
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_SKILLS: usize = 20;
pub const MAX_LANGUAGES: usize = 10;
pub const MAX_SEASONS: i32 = 60;

/// One refused field: `code` is stable (`required`, `invalid`, `too_long`, `invalid_date`,
/// `age_out_of_range`, `unknown_province`, `unknown_skill`, `before_available_from`,
/// `out_of_range`, …); `message` says it in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub message: &'static str,
}

fn err(field: &'static str, code: &'static str, message: &'static str) -> FieldError {
    FieldError { field, code, message }
}

/// What validation needs to know that lives in the database, loaded once per request.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub today: NaiveDate,
    /// The skill codes of the reference data.
    pub skills: HashSet<String>,
    /// The codes of Viet Nam's provinces (a worker's home province).
    pub provinces: HashSet<String>,
}

/// Untrusted fields. A `None` date means the caller already reported it (CSV: unreadable).
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: String,
    pub id_document_number: String,
    pub home_province_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    pub seasons_worked: Option<i32>,
}

/// A worker's fields, all checked and normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidWorker {
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub gender: String,
    /// Upper case, without spaces or dashes.
    pub id_document_number: String,
    pub home_province_code: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Sorted, without repeats.
    pub languages: Vec<String>,
    /// Sorted, without repeats.
    pub skills: Vec<String>,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub seasons_worked: i32,
}

/// A passport or identity-card number: letters and digits, spaces and dashes dropped.
pub fn normalise_document_number(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// Checks every field and reports every problem, not only the first.
pub fn validate(draft: Draft, ctx: &Context) -> Result<ValidWorker, Vec<FieldError>> {
    let mut errors = Vec::new();

    let full_name = draft.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.is_empty() {
        errors.push(err("full_name", "required", "give the worker's full name"));
    } else if full_name.chars().count() > MAX_NAME_CHARS {
        errors.push(err("full_name", "too_long", "at most 200 characters"));
    } else if full_name.chars().any(char::is_control) {
        errors.push(err("full_name", "invalid", "no control characters"));
    }

    if let Some(dob) = draft.date_of_birth {
        let age = ctx.today.years_since(dob);
        if !age.is_some_and(|a| (MIN_AGE..=MAX_AGE).contains(&a)) {
            errors.push(err(
                "date_of_birth",
                "age_out_of_range",
                "the worker must be 18 to 65 years old today",
            ));
        }
    }

    let gender = draft.gender.trim().to_lowercase();
    if gender.is_empty() {
        errors.push(err("gender", "required", "female, male or other"));
    } else if !GENDERS.contains(&gender.as_str()) {
        errors.push(err("gender", "invalid", "female, male or other"));
    }

    let document = normalise_document_number(&draft.id_document_number);
    if document.is_empty() {
        errors.push(err("id_document_number", "required", "give the passport or identity-card number"));
    } else if !(5..=20).contains(&document.len()) || !document.chars().all(|c| c.is_ascii_alphanumeric()) {
        errors.push(err("id_document_number", "invalid", "5 to 20 letters and digits"));
    }

    let province = draft.home_province_code.trim().to_uppercase();
    if province.is_empty() {
        errors.push(err("home_province_code", "required", "a province of Viet Nam, e.g. VN-09"));
    } else if !ctx.provinces.contains(&province) {
        errors.push(err("home_province_code", "unknown_province", "a province of Viet Nam, e.g. VN-09"));
    }

    let phone = draft.phone.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
    if let Some(phone) = &phone {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let shape = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !shape || !(6..=15).contains(&digits) || phone.len() > 25 {
            errors.push(err("phone", "invalid", "6 to 15 digits, optionally with + - ( ) and spaces"));
        }
    }

    let email = match draft.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => None,
        Some(raw) => match Email::parse(raw) {
            Ok(email) => Some(email.as_str().to_owned()),
            Err(_) => {
                errors.push(err("email", "invalid", "not an e-mail address"));
                None
            }
        },
    };

    let mut languages: Vec<String> =
        draft.languages.iter().map(|l| l.trim().to_lowercase()).filter(|l| !l.is_empty()).collect();
    languages.sort();
    languages.dedup();
    if languages.iter().any(|l| !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase())) {
        errors.push(err("languages", "invalid", "ISO 639 codes such as vi, zh, en, tyz"));
    } else if languages.len() > MAX_LANGUAGES {
        errors.push(err("languages", "too_long", "at most 10 languages"));
    }

    let mut skills: Vec<String> =
        draft.skills.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    skills.sort();
    skills.dedup();
    if skills.iter().any(|s| !ctx.skills.contains(s)) {
        errors.push(err("skills", "unknown_skill", "use the codes of GET /api/v1/reference/skills"));
    } else if skills.len() > MAX_SKILLS {
        errors.push(err("skills", "too_long", "at most 20 skills"));
    }

    for (field, day) in [("available_from", draft.available_from), ("available_until", draft.available_until)]
    {
        if day.is_some_and(|day| !within_scheme_years(day)) {
            errors.push(err(field, "out_of_range", "a date between 2000 and 2099"));
        }
    }
    if let (Some(from), Some(until)) = (draft.available_from, draft.available_until)
        && until < from
    {
        errors.push(err(
            "available_until",
            "before_available_from",
            "available_until is before available_from",
        ));
    }

    let seasons_worked = draft.seasons_worked.unwrap_or(0);
    if !(0..=MAX_SEASONS).contains(&seasons_worked) {
        errors.push(err("seasons_worked", "out_of_range", "between 0 and 60"));
    }

    match (draft.date_of_birth, draft.available_from, draft.available_until) {
        (Some(date_of_birth), Some(available_from), Some(available_until)) if errors.is_empty() => {
            Ok(ValidWorker {
                full_name,
                date_of_birth,
                gender,
                id_document_number: document,
                home_province_code: province,
                phone,
                email,
                languages,
                skills,
                available_from,
                available_until,
                seasons_worked,
            })
        }
        _ => {
            for (field, value) in [
                ("date_of_birth", draft.date_of_birth),
                ("available_from", draft.available_from),
                ("available_until", draft.available_until),
            ] {
                if value.is_none() && !errors.iter().any(|e| e.field == field) {
                    errors.push(err(field, "required", "a date, YYYY-MM-DD"));
                }
            }
            Err(errors)
        }
    }
}

/// The initials of a name, one per word: "Nguyễn Văn An" → "N.V.A.". A letter typed with
/// combining marks (a decomposed "Á", as some phones send it) keeps its marks; a Chinese
/// name written without spaces gives its first character.
pub fn initials(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .filter_map(|word| {
            let mut chars = word.chars();
            let first = chars.next()?;
            let marks: String = chars.take_while(|c| is_combining_mark(*c)).collect();
            Some(format!("{}{marks}.", first.to_uppercase()))
        })
        .collect()
}

/// Whether `c` is a combining mark that belongs to the letter before it (the blocks Latin,
/// Vietnamese and Chinese names use).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// A ten-year band around an age, so an employer cannot tell a birthday: "25-34".
pub fn age_band(date_of_birth: NaiveDate, today: NaiveDate) -> &'static str {
    match today.years_since(date_of_birth).unwrap_or(0) {
        0..=24 => "18-24",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        _ => "55-65",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            today: "2026-11-26".parse().unwrap(),
            skills: ["cane_knife".to_owned(), "first_aid".to_owned()].into(),
            provinces: ["VN-09".to_owned()].into(),
        }
    }

    fn draft() -> Draft {
        Draft {
            full_name: "  Nguyễn   Thị Hoa ".into(),
            date_of_birth: Some("1990-05-01".parse().unwrap()),
            gender: "Female".into(),
            id_document_number: "0012 3456-7890".into(),
            home_province_code: "vn-09".into(),
            phone: Some(" ".into()),
            email: Some("Hoa@Example.VN".into()),
            languages: vec!["VI".into(), "vi".into(), "zh".into()],
            skills: vec!["first_aid".into(), "cane_knife".into()],
            available_from: Some("2026-11-01".parse().unwrap()),
            available_until: Some("2027-04-30".parse().unwrap()),
            seasons_worked: None,
        }
    }

    #[test]
    fn a_good_draft_is_normalised() {
        let w = validate(draft(), &ctx()).unwrap();
        assert_eq!(w.full_name, "Nguyễn Thị Hoa");
        assert_eq!(w.id_document_number, "001234567890");
        assert_eq!(w.home_province_code, "VN-09");
        assert_eq!((w.phone, w.email.as_deref()), (None, Some("hoa@example.vn")));
        assert_eq!(w.languages, ["vi", "zh"]);
        assert_eq!(w.skills, ["cane_knife", "first_aid"]);
        assert_eq!(w.gender, "female");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut bad = draft();
        bad.full_name = " ".into();
        bad.date_of_birth = Some("2010-01-01".parse().unwrap());
        bad.id_document_number = "12".into();
        bad.skills = vec!["juggling".into()];
        bad.available_until = Some("2026-01-01".parse().unwrap());
        let fields: Vec<_> = validate(bad, &ctx()).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["full_name", "date_of_birth", "id_document_number", "skills", "available_until"]);
    }

    #[test]
    fn ages_are_bounded_inclusively() {
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        for (dob, ok) in
            [("2008-11-26", true), ("2008-11-27", false), ("1961-11-27", true), ("1960-11-26", false)]
        {
            let mut d = draft();
            d.date_of_birth = Some(dob.parse().unwrap());
            assert_eq!(validate(d, &Context { today, ..ctx() }).is_ok(), ok, "{dob}");
        }
    }

    #[test]
    fn initials_and_bands_hide_the_person() {
        assert_eq!(initials("Nguyễn Văn An"), "N.V.A.");
        assert_eq!(initials("đỗ thị ánh"), "Đ.T.Á.");
        // Decomposed, as some phones type it: the marks stay on their letter.
        assert_eq!(initials("a\u{301}nh e\u{302}\u{303}"), "A\u{301}.E\u{302}\u{303}.");
        assert_eq!(initials("王小明"), "王.");
        let today = "2026-11-26".parse().unwrap();
        assert_eq!(age_band("1990-05-01".parse().unwrap(), today), "35-44");
        assert_eq!(age_band("2001-11-26".parse().unwrap(), today), "25-34");
    }
}
