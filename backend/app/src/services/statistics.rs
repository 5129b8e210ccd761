//! The figures both authorities read, computed from STATISTICS.md's definitions and nothing
//! else: asked by period, breakdowns and indicators; narrowed to a region of China or a
//! province of Viet Nam; suppressed for the public (cells under five people, and their
//! complements). A provincial authority reads its province only.

pub mod releases;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::actor::{Actor, Jurisdiction, Scope};
use crate::db::statistics::{self as queries, Narrowing};
use crate::db::{self, DbConnection, reference};
use crate::domain::account::Role;
use crate::domain::statistics::{Breakdown, Cell, DEFINITIONS_VERSION, Indicator, Measure, Period, suppress};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::accounts::invalid;
use crate::services::authorities;
use crate::state::AppState;

/// The most breakdowns asked at once.
pub const MOST_BREAKDOWNS: usize = 3;

/// What is asked, as the query string gives it.
#[derive(Clone, Debug, Default)]
pub struct Ask {
    /// The first day (China's), `YYYY-MM-DD`; by default the first of the month eleven
    /// months back.
    pub from: Option<String>,
    /// The last day, included; by default today.
    pub to: Option<String>,
    /// Breakdowns, comma-separated.
    pub by: Option<String>,
    /// Indicator codes, comma-separated; by default every indicator that answers `by`.
    pub indicators: Option<String>,
    /// A region of China (province, prefecture or county): the worksite's.
    pub region: Option<String>,
    /// A province of Viet Nam: the worker's home.
    pub home_province: Option<String>,
}

impl Ask {
    /// The query string of `GET /api/v1/statistics` that asks the same.
    pub fn query(&self) -> String {
        let fields = [
            ("from", &self.from),
            ("to", &self.to),
            ("by", &self.by),
            ("indicators", &self.indicators),
            ("region", &self.region),
            ("home_province", &self.home_province),
        ];
        let pairs: Vec<(&str, &str)> =
            fields.iter().filter_map(|(name, value)| Some((*name, value.as_deref()?))).collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default().replace("%2C", ",")
    }
}

/// The figures asked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Report {
    /// The version of STATISTICS.md they were computed with.
    #[schema(example = "2026-12-3")]
    pub definitions_version: String,
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// The breakdowns, in the order asked.
    pub by: Vec<Breakdown>,
    /// What the figures are narrowed to (a provincial authority's province included).
    pub region: Option<String>,
    pub home_province: Option<String>,
    /// Whether cells under five people (and their complements) are suppressed: anything
    /// public is; an authority's own view is not.
    pub suppressed: bool,
    pub indicators: Vec<Figures>,
}

/// One indicator's rows.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Figures {
    #[schema(example = "departures")]
    pub code: String,
    #[schema(example = "workers")]
    pub unit: String,
    pub rows: Vec<FigureRow>,
}

/// One cell: its period (the month when broken down by month, else `from/to`), its
/// breakdowns' codes, its value.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FigureRow {
    #[schema(example = "2026-11")]
    pub period: String,
    /// Each breakdown asked but `month`, by name: a region, occupation, province, agency id…
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub keys: BTreeMap<String, Option<String>>,
    /// Agencies by licence status: the status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// None when suppressed, or for a median or rate of no records.
    pub value: Option<i64>,
    /// A rate's parts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<i64>,
    /// Fee reports: their amount, in fen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
    pub suppressed: bool,
}

/// The figures `ask` names, as `actor` may read them: a regulator of a national authority
/// reads everything unsuppressed, a provincial one its province; anyone else (and nobody
/// signed in) the public figures, suppressed.
pub async fn figures(state: &AppState, actor: Option<&Actor>, ask: Ask) -> Result<Report, AppError> {
    let today = state.clock.today();
    let actor = actor.cloned();
    db::run(&state.pool, move |conn| figures_in(conn, actor.as_ref(), ask, today)).await
}

/// [`figures`] on a connection.
pub fn figures_in(
    conn: &mut DbConnection,
    actor: Option<&Actor>,
    ask: Ask,
    today: NaiveDate,
) -> Result<Report, AppError> {
    let period = period_of(&ask, today)?;
    let by = breakdowns_of(ask.by.as_deref())?;
    let asked = indicators_of(ask.indicators.as_deref())?;
    let mut narrowing = narrowing_of(conn, &ask)?;
    let regulator = actor.filter(|a| a.role == Role::Regulator);
    if let Some(actor) = regulator {
        narrow_to_authority(conn, actor, &mut narrowing)?;
    }
    report_in(conn, regulator.is_none(), period, by, asked, narrowing)
}

/// The figures of a question already read and narrowed: suppressed when `public`.
fn report_in(
    conn: &mut DbConnection,
    public: bool,
    period: Period,
    by: Vec<Breakdown>,
    asked: Option<Vec<Indicator>>,
    narrowing: Narrowing,
) -> Result<Report, AppError> {
    let indicators = choose(asked, &by, &narrowing)?;
    let mut report = Report {
        definitions_version: DEFINITIONS_VERSION.to_owned(),
        from: period.first,
        to: period.last,
        by: by.clone(),
        region: narrowing.region.clone(),
        home_province: narrowing.home_province.clone(),
        suppressed: public,
        indicators: Vec::with_capacity(indicators.len()),
    };
    for indicator in indicators {
        let mut cells = cells_in(conn, indicator, period, &by, &narrowing)?;
        fill_months(indicator, period, &by, &mut cells);
        cells.sort_by(|a, b| (&a.keys, &a.split).cmp(&(&b.keys, &b.split)));
        if public && indicator.counts() != crate::domain::statistics::Counts::Nobody {
            suppress(&mut cells);
        }
        let rows = cells.into_iter().map(|cell| row_of(cell, &by, period)).collect();
        report.indicators.push(Figures {
            code: indicator.as_str().into(),
            unit: indicator.unit().into(),
            rows,
        });
    }
    Ok(report)
}

/// One indicator's cells, as the queries give them (neither filled nor suppressed).
pub fn cells_in(
    conn: &mut DbConnection,
    indicator: Indicator,
    period: Period,
    by: &[Breakdown],
    narrowing: &Narrowing,
) -> Result<Vec<Cell>, AppError> {
    queries::cells(conn, indicator, period, by, narrowing)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("{indicator} has no query for {by:?}")))?
        .map_err(AppError::from)
}

fn period_of(ask: &Ask, today: NaiveDate) -> Result<Period, AppError> {
    let day = |text: &Option<String>, field: &str| -> Result<Option<NaiveDate>, AppError> {
        text.as_deref()
            .map(|t| t.trim().parse::<NaiveDate>().map_err(|_| invalid(field, "a day, YYYY-MM-DD")))
            .transpose()
    };
    let default = Period::last_twelve_months(today);
    let first = day(&ask.from, "from")?.unwrap_or(default.first);
    let last = day(&ask.to, "to")?.unwrap_or(default.last.max(first));
    Period::new(first, last).map_err(|problem| invalid("to", problem))
}

fn breakdowns_of(text: Option<&str>) -> Result<Vec<Breakdown>, AppError> {
    let mut by = Vec::new();
    for name in text.unwrap_or_default().split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let breakdown = Breakdown::parse(name).ok_or_else(|| {
            invalid("by", &format!("unknown breakdown {name:?}"))
                .with("allowed", Breakdown::ALL.iter().map(|b| b.as_str()).collect::<Vec<_>>())
        })?;
        if by.contains(&breakdown) {
            return Err(invalid("by", &format!("{name} is asked twice")));
        }
        by.push(breakdown);
    }
    if by.len() > MOST_BREAKDOWNS {
        return Err(invalid("by", &format!("at most {MOST_BREAKDOWNS} breakdowns at once")));
    }
    Ok(by)
}

fn indicators_of(text: Option<&str>) -> Result<Option<Vec<Indicator>>, AppError> {
    let codes: Vec<&str> =
        text.unwrap_or_default().split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
    if codes.is_empty() {
        return Ok(None);
    }
    let mut indicators = Vec::new();
    for code in codes {
        let indicator = Indicator::parse(code).ok_or_else(|| {
            invalid("indicators", &format!("unknown indicator {code:?}"))
                .with("allowed", Indicator::ALL.iter().map(|i| i.as_str()).collect::<Vec<_>>())
        })?;
        if !indicators.contains(&indicator) {
            indicators.push(indicator);
        }
    }
    Ok(Some(indicators))
}

/// The region and home province asked, each checked to be one of its country's.
fn narrowing_of(conn: &mut DbConnection, ask: &Ask) -> Result<Narrowing, AppError> {
    let mut known = |code: &Option<String>, country: &str, field: &str| -> Result<Option<String>, AppError> {
        let Some(code) = code.as_deref().map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
        match reference::region_chain(conn, code)?.first() {
            Some(region) if region.country == country && region.level != "country" => {
                Ok(Some(code.to_owned()))
            }
            _ => Err(invalid(field, &format!("not a region of {country} below the country"))),
        }
    };
    Ok(Narrowing {
        region: known(&ask.region, "CN", "region")?,
        home_province: known(&ask.home_province, "VN", "home_province")?,
    })
}

/// A provincial authority reads its own province only: on China's side the worksites in its
/// region, on Viet Nam's the workers from it (its jurisdiction). Asking for a region outside
/// is 403; asking for nothing narrower is narrowed to its own.
fn narrow_to_authority(
    conn: &mut DbConnection,
    actor: &Actor,
    narrowing: &mut Narrowing,
) -> Result<(), AppError> {
    let Scope::Authority(jurisdiction) = authorities::scope_in(conn, actor)? else { return Ok(()) };
    let (slot, regions) = match &jurisdiction {
        Jurisdiction::National => return Ok(()),
        Jurisdiction::Worksites(regions) => (&mut narrowing.region, regions),
        Jurisdiction::HomeProvinces(regions) => (&mut narrowing.home_province, regions),
    };
    // A jurisdiction lists its own region first, then those below it.
    let own = regions.first().cloned().unwrap_or_default();
    match slot.as_deref() {
        None => *slot = Some(own),
        Some(asked) if regions.iter().any(|r| r == asked) => {}
        Some(_) => return Err(AppError::forbidden().with_detail(format!("this authority reads {own} only"))),
    }
    Ok(())
}

/// The indicators to answer: those asked, each of which must answer every breakdown and
/// narrowing asked (else 422 naming what it answers, or 403 for a narrowing an authority
/// must read through); or, by default, every indicator that does.
fn choose(
    asked: Option<Vec<Indicator>>,
    by: &[Breakdown],
    narrowing: &Narrowing,
) -> Result<Vec<Indicator>, AppError> {
    let answers = |i: Indicator| by.iter().all(|b| i.breakdowns().contains(b));
    let Some(asked) = asked else {
        let all: Vec<Indicator> =
            Indicator::ALL.iter().copied().filter(|&i| answers(i) && narrowable(i, narrowing)).collect();
        if all.is_empty() {
            return Err(invalid("by", "no indicator answers these breakdowns together"));
        }
        return Ok(all);
    };
    for &indicator in &asked {
        if !answers(indicator) {
            return Err(invalid("by", &format!("{indicator} is not broken down that way"))
                .with("indicator", indicator.as_str())
                .with("allowed", indicator.breakdowns().iter().map(|b| b.as_str()).collect::<Vec<_>>()));
        }
        if !narrowable(indicator, narrowing) {
            let what =
                if narrowing.region.is_some() { "a region of China" } else { "a province of Viet Nam" };
            return Err(invalid("indicators", &format!("{indicator} cannot be narrowed to {what}"))
                .with("indicator", indicator.as_str()));
        }
    }
    Ok(asked)
}

/// Whether an indicator can be narrowed as asked (to a region of China, a province of Viet Nam).
fn narrowable(indicator: Indicator, narrowing: &Narrowing) -> bool {
    (narrowing.region.is_none() || indicator.has_worksite())
        && (narrowing.home_province.is_none() || indicator.has_home_province())
}

/// One question of a page: indicators by (at most three) breakdowns, over the period the
/// reader chose.
#[derive(Clone, Debug)]
pub struct Question {
    pub by: Vec<Breakdown>,
    pub indicators: Vec<Indicator>,
}

/// A question answered as [`figures`] answers the API: the query string that asks the API
/// the same (`GET /api/v1/statistics?…`, by the same reader) and the report; none when the
/// reader can read none of its indicators (a provincial authority: those it cannot narrow
/// to its province).
#[derive(Clone, Debug)]
pub struct Answer {
    pub query: String,
    pub report: Option<Report>,
}

/// The answers of a page's questions, over one period, from one snapshot of the records.
#[derive(Clone, Debug)]
pub struct Answers {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Whether the reader reads the public, suppressed figures.
    pub suppressed: bool,
    /// What an authority's figures are narrowed to: its province.
    pub region: Option<String>,
    pub home_province: Option<String>,
    pub answers: Vec<Answer>,
}

/// Answers `questions` over the period `from`–`to` (by default the last twelve months, as
/// the API's) as `actor` may read them: the API's figures, question by question, with the
/// indicators the reader cannot read narrowed to its province left out (where the API
/// would refuse them). A bad period is the API's 422, naming its field.
pub async fn answers(
    state: &AppState,
    actor: Option<&Actor>,
    from: Option<String>,
    to: Option<String>,
    questions: Vec<Question>,
) -> Result<Answers, AppError> {
    let today = state.clock.today();
    let actor = actor.cloned();
    db::snapshot(&state.pool, move |conn| answers_in(conn, actor.as_ref(), from, to, questions, today)).await
}

fn answers_in(
    conn: &mut DbConnection,
    actor: Option<&Actor>,
    from: Option<String>,
    to: Option<String>,
    questions: Vec<Question>,
    today: NaiveDate,
) -> Result<Answers, AppError> {
    let period = period_of(&Ask { from, to, ..Ask::default() }, today)?;
    let mut narrowing = Narrowing::default();
    let regulator = actor.filter(|a| a.role == Role::Regulator);
    if let Some(actor) = regulator {
        narrow_to_authority(conn, actor, &mut narrowing)?;
    }
    let mut answers = Vec::with_capacity(questions.len());
    for question in questions {
        let readable: Vec<Indicator> =
            question.indicators.iter().copied().filter(|i| narrowable(*i, &narrowing)).collect();
        let ask = Ask {
            from: Some(period.first.to_string()),
            to: Some(period.last.to_string()),
            by: Some(question.by.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(","))
                .filter(|b| !b.is_empty()),
            indicators: Some(readable.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(",")),
            region: None,
            home_province: None,
        };
        let query = ask.query();
        // Read and narrowed once for every question, as the API reads and narrows each.
        let report = if readable.is_empty() {
            None
        } else {
            Some(report_in(
                conn,
                regulator.is_none(),
                period,
                question.by,
                Some(readable),
                narrowing.clone(),
            )?)
        };
        answers.push(Answer { query, report });
    }
    Ok(Answers {
        from: period.first,
        to: period.last,
        suppressed: regulator.is_none(),
        region: narrowing.region,
        home_province: narrowing.home_province,
        answers,
    })
}

/// By month alone, every month of the period has its row: zero for counts and sums, none
/// for medians and rates.
fn fill_months(indicator: Indicator, period: Period, by: &[Breakdown], cells: &mut Vec<Cell>) {
    if by != [Breakdown::Month] || indicator.split().is_some() {
        return;
    }
    let empty = match indicator.measure() {
        Measure::Count | Measure::Sum => Some(0),
        Measure::Middle | Measure::Rate => None,
    };
    for month in period.months() {
        if !cells.iter().any(|c| c.keys[0].as_deref() == Some(month.as_str())) {
            cells.push(Cell {
                keys: vec![Some(month)],
                split: None,
                value: empty,
                numerator: None,
                denominator: None,
                amount_fen: indicator.has_amount().then_some(0),
                people: 0,
                suppressed: false,
            });
        }
    }
}

fn row_of(cell: Cell, by: &[Breakdown], period: Period) -> FigureRow {
    let mut period_label = period.label();
    let mut keys = BTreeMap::new();
    for (breakdown, key) in by.iter().zip(cell.keys) {
        if *breakdown == Breakdown::Month {
            period_label = key.unwrap_or_default();
        } else {
            keys.insert(breakdown.as_str().to_owned(), key);
        }
    }
    FigureRow {
        period: period_label,
        keys,
        status: cell.split,
        value: cell.value,
        numerator: cell.numerator,
        denominator: cell.denominator,
        amount_fen: cell.amount_fen,
        suppressed: cell.suppressed,
    }
}

/// The columns every figure ends with, in the CSV files (the API's and the releases').
const FIGURE_COLUMNS: [&str; 6] = ["status", "value", "numerator", "denominator", "amount_fen", "suppressed"];

/// A figure's last fields, as [`FIGURE_COLUMNS`] names them: a suppressed figure reads `<5`,
/// with its parts left empty; an absent one (a median or rate of nothing) is empty.
fn figure_fields(row: &FigureRow) -> [String; 6] {
    let number = |n: Option<i64>| {
        if row.suppressed { String::new() } else { n.map(|n| n.to_string()).unwrap_or_default() }
    };
    [
        row.status.clone().unwrap_or_default(),
        if row.suppressed { "<5".to_owned() } else { number(row.value) },
        number(row.numerator),
        number(row.denominator),
        number(row.amount_fen),
        row.suppressed.to_string(),
    ]
}

/// A CSV file: its header and its lines, every field through [`csv_field`]. The one CSV
/// writer of the statistics.
fn csv_table<L>(header: &[&str], lines: impl IntoIterator<Item = L>) -> String
where
    L: IntoIterator<Item = String>,
{
    let mut out = header.join(",");
    out.push('\n');
    for line in lines {
        let fields: Vec<String> = line.into_iter().map(|f| csv_field(&f)).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// The report as CSV: one line per cell of every indicator, a column per breakdown asked
/// (the month is the period's); a suppressed figure reads `<5`.
pub fn to_csv(report: &Report) -> String {
    let keyed: Vec<&str> = report.by.iter().filter(|b| **b != Breakdown::Month).map(|b| b.as_str()).collect();
    let mut header = vec!["indicator", "unit", "period"];
    header.extend(&keyed);
    header.extend(FIGURE_COLUMNS);
    let lines = report.indicators.iter().flat_map(|figures| {
        let keyed = &keyed;
        figures.rows.iter().map(move |row| {
            let mut fields = vec![figures.code.clone(), figures.unit.clone(), row.period.clone()];
            fields.extend(keyed.iter().map(|k| row.keys.get(*k).cloned().flatten().unwrap_or_default()));
            fields.extend(figure_fields(row));
            fields
        })
    });
    csv_table(&header, lines)
}

/// A CSV field, quoted when it must be (RFC 4180), and never read as a formula.
pub(crate) fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<i64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// An indicator as `GET /statistics/definitions` gives it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Definition {
    #[schema(example = "departures")]
    pub code: String,
    /// Its name in zh-CN, vi and en.
    #[schema(value_type = Object)]
    pub names: BTreeMap<String, String>,
    /// What is counted (STATISTICS.md).
    pub counts: String,
    /// When a record counts.
    pub when: String,
    /// The unit of `value`, as an identifier, and as STATISTICS.md writes it.
    pub unit: String,
    pub unit_text: String,
    pub breakdowns: Vec<Breakdown>,
    /// Taken at the end of the period rather than counted over it.
    pub stock: bool,
}

/// Every indicator's definition.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Definitions {
    pub definitions_version: String,
    pub indicators: Vec<Definition>,
}

/// STATISTICS.md, compiled in: the definitions' one text.
const STATISTICS_MD: &str = include_str!("../../../../STATISTICS.md");

/// STATISTICS.md's table, by indicator code: what, when, unit, breakdowns.
static TABLE: LazyLock<BTreeMap<String, [String; 4]>> = LazyLock::new(|| {
    STATISTICS_MD
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
            let code = cells.first()?.strip_prefix('`')?.strip_suffix('`')?;
            let [what, when, unit, breakdowns] = [cells.get(1)?, cells.get(2)?, cells.get(3)?, cells.get(4)?];
            Some((code.to_owned(), [what, when, unit, breakdowns].map(|c| c.replace('`', ""))))
        })
        .collect()
});

/// Every indicator: code, names, definition, unit, breakdowns.
pub fn definitions() -> Definitions {
    let indicators = Indicator::ALL
        .iter()
        .map(|&indicator| {
            let [counts, when, unit_text, _] = TABLE.get(indicator.as_str()).cloned().unwrap_or_default();
            Definition {
                code: indicator.as_str().into(),
                names: Lang::ALL.iter().map(|l| (l.tag().to_owned(), name(indicator, *l))).collect(),
                counts,
                when,
                unit: indicator.unit().into(),
                unit_text,
                breakdowns: indicator.breakdowns().to_vec(),
                stock: indicator.is_stock(),
            }
        })
        .collect();
    Definitions { definitions_version: DEFINITIONS_VERSION.into(), indicators }
}

/// An indicator's name in a language (web/i18n, `stat-<code>`).
pub fn name(indicator: Indicator, lang: Lang) -> String {
    lang.t(&format!("stat-{}", indicator.as_str().replace('_', "-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_md_defines_every_indicator_with_the_breakdowns_the_queries_answer() {
        for indicator in Indicator::ALL {
            let row = TABLE
                .get(indicator.as_str())
                .unwrap_or_else(|| panic!("{indicator} is not in STATISTICS.md"));
            let listed: Vec<&str> = row[3].split(',').map(str::trim).collect();
            let answered: Vec<&str> = indicator.breakdowns().iter().map(|b| b.as_str()).collect();
            assert_eq!(listed, answered, "{indicator}'s breakdowns");
            assert!(!row[0].is_empty() && !row[1].is_empty() && !row[2].is_empty());
        }
        assert_eq!(TABLE.len(), Indicator::ALL.len(), "STATISTICS.md defines no indicator the code lacks");
        let version = format!("Definitions version: **{DEFINITIONS_VERSION}**");
        assert!(STATISTICS_MD.contains(&version), "STATISTICS.md names the version the code computes");
    }

    /// English names every indicator; `i18n`'s own test holds every other language to
    /// English's messages (a lookup here would fall back to English and prove nothing).
    #[test]
    fn every_indicator_is_named() {
        for indicator in Indicator::ALL {
            let key = format!("stat-{}", indicator.as_str().replace('_', "-"));
            assert!(Lang::En.try_t(&key).is_some(), "{key}");
        }
    }

    #[test]
    fn breakdowns_are_known_distinct_and_few() {
        assert_eq!(breakdowns_of(Some("month, region")).unwrap(), [Breakdown::Month, Breakdown::Region]);
        assert_eq!(breakdowns_of(None).unwrap(), []);
        assert!(breakdowns_of(Some("weather")).is_err());
        assert!(breakdowns_of(Some("month,month")).is_err());
        assert!(breakdowns_of(Some("month,region,occupation,agency")).is_err());
    }

    #[test]
    fn csv_quotes_and_defuses() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-5"), "-5");
    }
}
