//! The public statistics page and the definitions page: the figures both authorities read
//! (STATISTICS.md), as headline figures, charts (Apache ECharts, drawn by
//! web/static/statistics.js from the API's own JSON, embedded) and the same figures as
//! tables; and the monthly releases to download. No login: the public reads the suppressed
//! figures, a regulator its authority's view.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_SECURITY_POLICY, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;

use super::{Page, PageResult, field_refusal, refused_field};
use crate::auth::PageUser;
use crate::domain::money::Fen;
use crate::domain::statistics::{Breakdown, DEFINITIONS_VERSION, Indicator, Month};
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::services::reference::Reference;
use crate::services::statistics::releases::{self, ReleaseSummary};
use crate::services::statistics::{self, Answers, Definition, FigureRow, Figures, Question, Report};
use crate::state::AppState;

/// What the statistics pages allow: their own scripts and styles only (no inline script:
/// the charts' code is web/static/statistics.js, their data JSON blocks), inline styles for
/// the charts' tooltips, no frames, no plug-ins.
const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn with_policy(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE));
    response
}

/// The page's questions, in this order: the headline, everything by month, departures by
/// home province, agencies by licence status and country.
const HEADLINE: usize = 0;
const MONTHLY: usize = 1;
const PROVINCES: usize = 2;
const AGENCIES: usize = 3;

fn questions() -> Vec<Question> {
    use Indicator::*;
    vec![
        Question {
            by: vec![],
            indicators: vec![
                Departures,
                OnTimeReturnRate,
                WagesPaidNet,
                PayslipComplianceRate,
                Complaints,
                CasesResolved,
                AgenciesByLicenceStatus,
            ],
        },
        Question {
            by: vec![Breakdown::Month],
            indicators: vec![
                Departures,
                ReturnsOnTime,
                ReturnsLate,
                OnTimeReturnRate,
                WagesPaidNet,
                PayslipComplianceRate,
                CasesOpened,
                CasesResolved,
            ],
        },
        Question { by: vec![Breakdown::HomeProvince], indicators: vec![Departures] },
        Question { by: vec![Breakdown::Country], indicators: vec![AgenciesByLicenceStatus] },
    ]
}

/// The id of the JSON block of each question's answer.
const ANSWER_IDS: [&str; 4] = ["stats-headline", "stats-monthly", "stats-provinces", "stats-agencies"];

/// A chart: which answer it draws, its series, and what its x axis is.
struct ChartSpec {
    id: &'static str,
    title: &'static str,
    answer: usize,
    series: &'static [Indicator],
    kind: &'static str,
    /// The rows' category: `period` (the month), a breakdown, or `status`.
    x: &'static str,
    /// A breakdown whose keys are the series instead of the indicators (agencies: country).
    group: Option<Breakdown>,
}

const CHARTS: &[ChartSpec] = &[
    ChartSpec {
        id: "journeys",
        title: "stats-chart-journeys",
        answer: MONTHLY,
        series: &[Indicator::Departures, Indicator::ReturnsOnTime, Indicator::ReturnsLate],
        kind: "bar",
        x: "period",
        group: None,
    },
    ChartSpec {
        id: "return-rate",
        title: "stats-chart-return-rate",
        answer: MONTHLY,
        series: &[Indicator::OnTimeReturnRate],
        kind: "line",
        x: "period",
        group: None,
    },
    ChartSpec {
        id: "wages",
        title: "stats-chart-wages",
        answer: MONTHLY,
        series: &[Indicator::WagesPaidNet],
        kind: "bar",
        x: "period",
        group: None,
    },
    ChartSpec {
        id: "compliance",
        title: "stats-chart-compliance",
        answer: MONTHLY,
        series: &[Indicator::PayslipComplianceRate],
        kind: "line",
        x: "period",
        group: None,
    },
    ChartSpec {
        id: "cases",
        title: "stats-chart-cases",
        answer: MONTHLY,
        series: &[Indicator::CasesOpened, Indicator::CasesResolved],
        kind: "bar",
        x: "period",
        group: None,
    },
    ChartSpec {
        id: "provinces",
        title: "stats-chart-provinces",
        answer: PROVINCES,
        series: &[Indicator::Departures],
        kind: "bar",
        x: "home_province",
        group: None,
    },
    ChartSpec {
        id: "agencies",
        title: "stats-chart-agencies",
        answer: AGENCIES,
        series: &[Indicator::AgenciesByLicenceStatus],
        kind: "bar",
        x: "status",
        group: Some(Breakdown::Country),
    },
];

/// A figure as the reader reads it.
pub struct Shown {
    pub text: String,
    pub suppressed: bool,
}

/// A chart's figures as a table: one line per category, one column per series.
pub struct Table {
    pub corner: String,
    pub columns: Vec<String>,
    pub lines: Vec<(String, Vec<Shown>)>,
}

/// A chart as the template writes it: its container (which statistics.js fills) and its table.
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub answer_id: &'static str,
    pub series: String,
    pub kind: &'static str,
    pub x: &'static str,
    pub group: &'static str,
    pub unit: String,
    pub table: Table,
}

/// A headline figure.
pub struct Headline {
    pub code: &'static str,
    pub label: String,
    pub value: Shown,
}

/// An answer's JSON, for the chart script: the API's own answer to `api`.
pub struct DataBlock {
    pub id: &'static str,
    pub api: String,
    pub json: String,
}

/// A monthly release in the list.
pub struct ReleaseLine {
    pub month: String,
    pub label: String,
    pub rows: String,
    pub sha256: String,
    pub csv: String,
    pub metadata: String,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsTemplate<'a> {
    page: &'a Page,
    from: String,
    to: String,
    period: String,
    error: Option<String>,
    error_field: String,
    view: String,
    /// `public` (suppressed) or `authority`.
    view_kind: &'static str,
    narrowed: Option<String>,
    headline: Vec<Headline>,
    charts: Vec<Chart>,
    data: Vec<DataBlock>,
    labels: String,
    releases: Vec<ReleaseLine>,
    version: &'static str,
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The statistics page: the period's headline figures, charts and tables, the view the
/// reader has (public, or its authority's), the definitions' version and the monthly releases.
#[get("/statistics")]
pub async fn overview(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<PeriodQuery>,
) -> PageResult {
    let mut page = Page::new(&req, &state, user.as_deref());
    // The language switch comes back to the same period.
    if let Some(asked) = req.uri().query().filter(|q| !q.is_empty()) {
        page.path = format!("{}?{asked}", req.path());
    }
    let query = query.into_inner();
    let actor = user.as_deref().map(|u| &u.actor);
    let reference = Reference::read(&state).await?;
    let releases = releases::list(&state).await?;
    let answered =
        statistics::answers(&state, actor, query.from.clone(), query.to.clone(), questions()).await;
    let (template, status) = match answered {
        Ok(answers) => (render(&page, &reference, &answers, &releases), StatusCode::OK),
        Err(err) if err.code == ErrorCode::ValidationFailed => {
            let field = refused_field(&err, "from").to_owned();
            let template = StatisticsTemplate {
                page: &page,
                from: query.from.unwrap_or_default(),
                to: query.to.unwrap_or_default(),
                period: String::new(),
                error: Some(field_refusal(page.lang, &field)),
                error_field: field,
                view: String::new(),
                view_kind: "",
                narrowed: None,
                headline: Vec::new(),
                charts: Vec::new(),
                data: Vec::new(),
                labels: String::new(),
                releases: release_lines(&releases, page.lang),
                version: DEFINITIONS_VERSION,
            };
            (template, err.code.status())
        }
        Err(err) => return Err(err.into()),
    };
    Ok(with_policy(page.respond(status, &template)))
}

fn render<'a>(
    page: &'a Page,
    reference: &Reference,
    answers: &Answers,
    releases: &[ReleaseSummary],
) -> StatisticsTemplate<'a> {
    let lang = page.lang;
    let report = |i: usize| answers.answers.get(i).and_then(|a| a.report.as_ref());
    let view = if answers.suppressed { "stats-view-public" } else { "stats-view-authority" };
    let narrowed = answers
        .region
        .as_deref()
        .or(answers.home_province.as_deref())
        .map(|code| lang.t1("stats-view-narrowed", "region", reference.name(code, lang)));
    let charts =
        CHARTS.iter().filter_map(|spec| Some(chart(spec, report(spec.answer)?, reference, lang))).collect();
    let data = answers
        .answers
        .iter()
        .zip(ANSWER_IDS)
        .filter_map(|(answer, id)| {
            Some(DataBlock {
                id,
                api: format!("/api/v1/statistics?{}", answer.query),
                json: script_json(&serde_json::to_value(answer.report.as_ref()?).ok()?),
            })
        })
        .collect();
    StatisticsTemplate {
        page,
        from: answers.from.to_string(),
        to: answers.to.to_string(),
        period: lang.dates(answers.from, answers.to),
        error: None,
        error_field: String::new(),
        view: lang.t(view),
        view_kind: if answers.suppressed { "public" } else { "authority" },
        narrowed,
        headline: report(HEADLINE).map(|r| headline(r, lang)).unwrap_or_default(),
        charts,
        data,
        labels: script_json(&labels(answers, reference, lang)),
        releases: release_lines(releases, lang),
        version: DEFINITIONS_VERSION,
    }
}

/// JSON to put inside a `<script type="application/json">` block: `<`, `>` and `&` escaped
/// (still the same JSON), so that no text can close the block.
fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// What statistics.js needs to write the charts in the reader's language: the indicators',
/// provinces', countries' and statuses' names, and how a suppressed figure reads.
fn labels(answers: &Answers, reference: &Reference, lang: Lang) -> serde_json::Value {
    let mut names = serde_json::Map::new();
    for indicator in Indicator::ALL {
        names.insert(indicator.as_str().into(), statistics::name(*indicator, lang).into());
    }
    for report in answers.answers.iter().filter_map(|a| a.report.as_ref()) {
        for row in report.indicators.iter().flat_map(|f| &f.rows) {
            for code in row.keys.values().flatten() {
                names.entry(code.clone()).or_insert_with(|| reference.name(code, lang).into());
            }
        }
    }
    for report in answers.answers.iter().filter_map(|a| a.report.as_ref()) {
        for row in report.indicators.iter().flat_map(|f| &f.rows) {
            if let Some(month) = Month::parse(&row.period) {
                names.entry(row.period.clone()).or_insert_with(|| month_label(month, lang).into());
            }
        }
    }
    for country in ["CN", "VN"] {
        names.insert(country.into(), lang.t(&format!("country-{country}")).into());
    }
    for status in ["active", "suspended", "revoked", "expired"] {
        names.insert(status.into(), lang.t(&format!("stats-status-{status}")).into());
    }
    json!({
        "lang": lang.tag(),
        "suppressed": "<5",
        "none": "–",
        "nothing": lang.t("stats-nothing-to-draw"),
        "percent": lang.t("stats-unit-percent"),
        "yuan": lang.t("stats-unit-yuan"),
        "names": names,
    })
}

/// A figure in the reader's words: `<5` when suppressed, `–` when there is none (a rate of
/// nothing), a percentage, an amount of yuan or a number.
fn shown(row: Option<&FigureRow>, unit: &str, lang: Lang) -> Shown {
    let Some(row) = row else { return Shown { text: "–".into(), suppressed: false } };
    if row.suppressed {
        return Shown { text: "<5".into(), suppressed: true };
    }
    let text = match (row.value, unit) {
        (None, _) => "–".to_owned(),
        (Some(v), "per_mille") => lang.percent(v),
        (Some(v), "fen") => lang.amount(Fen::new(v)),
        (Some(v), _) => lang.number(v),
    };
    Shown { text, suppressed: false }
}

fn figures(report: &Report, indicator: Indicator) -> Option<&Figures> {
    report.indicators.iter().find(|f| f.code == indicator.as_str())
}

/// The headline: each indicator's total over the period; agencies, one figure per status.
fn headline(report: &Report, lang: Lang) -> Vec<Headline> {
    let mut lines = Vec::new();
    for figures in &report.indicators {
        let Some(indicator) = Indicator::parse(&figures.code) else { continue };
        if indicator.split().is_some() {
            for row in &figures.rows {
                let status = row.status.clone().unwrap_or_default();
                lines.push(Headline {
                    code: indicator.as_str(),
                    label: format!(
                        "{}: {}",
                        statistics::name(indicator, lang),
                        lang.t(&format!("stats-status-{status}"))
                    ),
                    value: shown(Some(row), &figures.unit, lang),
                });
            }
            continue;
        }
        lines.push(Headline {
            code: indicator.as_str(),
            label: statistics::name(indicator, lang),
            value: shown(figures.rows.first(), &figures.unit, lang),
        });
    }
    lines
}

/// A month as the reader writes it: 11/2026, 2026年11月, 2026-11.
fn month_label(month: Month, lang: Lang) -> String {
    let first = month.period().first;
    lang.month(first.year(), first.month())
}

/// The category a row belongs to on a chart's x axis.
fn category(row: &FigureRow, x: &str) -> String {
    match x {
        "period" => row.period.clone(),
        "status" => row.status.clone().unwrap_or_default(),
        breakdown => row.keys.get(breakdown).cloned().flatten().unwrap_or_default(),
    }
}

/// A category as the reader reads it: a month, a province's or a status's name.
fn category_label(code: &str, x: &str, reference: &Reference, lang: Lang) -> String {
    match x {
        "period" => Month::parse(code).map_or_else(|| code.to_owned(), |m| month_label(m, lang)),
        "status" => lang.t(&format!("stats-status-{code}")),
        _ if code.is_empty() => "–".to_owned(),
        _ => reference.name(code, lang).to_owned(),
    }
}

fn chart(spec: &ChartSpec, report: &Report, reference: &Reference, lang: Lang) -> Chart {
    let unit = spec.series.first().map(|i| i.unit()).unwrap_or_default();
    let unit_note = match unit {
        "per_mille" => format!(" ({})", lang.t("stats-unit-percent")),
        "fen" => format!(" ({})", lang.t("stats-unit-yuan")),
        _ => String::new(),
    };
    // The series: the indicators, or (agencies) the group breakdown's keys.
    let mut categories: Vec<String> = Vec::new();
    let mut columns: Vec<(String, Indicator, Option<String>)> = Vec::new();
    for &indicator in spec.series {
        let Some(figures) = figures(report, indicator) else { continue };
        for row in &figures.rows {
            let key = category(row, spec.x);
            if !categories.contains(&key) {
                categories.push(key);
            }
            if let Some(group) = spec.group {
                let member = row.keys.get(group.as_str()).cloned().flatten().unwrap_or_default();
                if !columns.iter().any(|(_, _, m)| m.as_deref() == Some(member.as_str())) {
                    let label = lang.t(&format!("country-{member}"));
                    columns.push((label, indicator, Some(member)));
                }
            }
        }
        if spec.group.is_none() {
            columns.push((format!("{}{unit_note}", statistics::name(indicator, lang)), indicator, None));
        }
    }
    let lines = categories
        .iter()
        .map(|key| {
            let cells = columns
                .iter()
                .map(|(_, indicator, member)| {
                    let row = figures(report, *indicator).and_then(|f| {
                        f.rows.iter().find(|row| {
                            category(row, spec.x) == *key
                                && match (spec.group, member) {
                                    (Some(group), Some(member)) => {
                                        row.keys.get(group.as_str()).cloned().flatten().as_deref()
                                            == Some(member.as_str())
                                    }
                                    _ => true,
                                }
                        })
                    });
                    shown(row, unit, lang)
                })
                .collect();
            (category_label(key, spec.x, reference, lang), cells)
        })
        .collect();
    let corner = match spec.x {
        "period" => lang.t("stats-month"),
        "status" => lang.t("stats-status"),
        breakdown => lang.t(&format!("stat-by-{}", breakdown.replace('_', "-"))),
    };
    Chart {
        id: spec.id,
        title: lang.t(spec.title),
        answer_id: ANSWER_IDS[spec.answer],
        series: spec.series.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(","),
        kind: spec.kind,
        x: spec.x,
        group: spec.group.map(|g| g.as_str()).unwrap_or_default(),
        unit: unit.to_owned(),
        table: Table { corner, columns: columns.into_iter().map(|(label, _, _)| label).collect(), lines },
    }
}

fn release_lines(releases: &[ReleaseSummary], lang: Lang) -> Vec<ReleaseLine> {
    releases
        .iter()
        .map(|release| {
            let label =
                Month::parse(&release.month).map_or_else(|| release.month.clone(), |m| month_label(m, lang));
            ReleaseLine {
                month: release.month.clone(),
                label,
                rows: lang.count("stats-release-rows", release.rows),
                sha256: release.sha256.clone(),
                csv: release.csv.clone(),
                metadata: release.metadata.clone(),
            }
        })
        .collect()
}

/// An indicator's definition as the definitions page writes it.
pub struct DefinitionLine {
    pub code: String,
    pub name: String,
    pub counts: String,
    pub when: String,
    pub unit: String,
    pub breakdowns: String,
    pub stock: bool,
}

#[derive(Template)]
#[template(path = "statistics_definitions.html")]
struct DefinitionsTemplate<'a> {
    page: &'a Page,
    version: String,
    definitions: Vec<DefinitionLine>,
}

fn definition_line(definition: Definition, lang: Lang) -> DefinitionLine {
    let name = Indicator::parse(&definition.code).map(|i| statistics::name(i, lang)).unwrap_or_default();
    DefinitionLine {
        name,
        unit: lang.t(&format!("stat-unit-{}", definition.unit.replace('_', "-"))),
        breakdowns: definition
            .breakdowns
            .iter()
            .map(|b| lang.t(&format!("stat-by-{}", b.as_str().replace('_', "-"))))
            .collect::<Vec<_>>()
            .join(", "),
        code: definition.code,
        counts: definition.counts,
        when: definition.when,
        stock: definition.stock,
    }
}

/// What each indicator counts, when, in what unit and by what breakdowns: the definitions
/// `GET /api/v1/statistics/definitions` gives, with each name in the reader's language.
#[get("/statistics/definitions")]
pub async fn definitions(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let definitions = statistics::definitions();
    let template = DefinitionsTemplate {
        page: &page,
        version: definitions.definitions_version,
        definitions: definitions.indicators.into_iter().map(|d| definition_line(d, page.lang)).collect(),
    };
    Ok(with_policy(page.respond(StatusCode::OK, &template)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_and_breakdown_has_its_words() {
        for lang in Lang::ALL {
            for indicator in Indicator::ALL {
                let key = format!("stat-unit-{}", indicator.unit().replace('_', "-"));
                assert!(lang.try_t(&key).is_some(), "{key} in {}", lang.tag());
            }
            for breakdown in Breakdown::ALL {
                let key = format!("stat-by-{}", breakdown.as_str().replace('_', "-"));
                assert!(lang.try_t(&key).is_some(), "{key} in {}", lang.tag());
            }
            for status in ["active", "suspended", "revoked", "expired"] {
                assert!(lang.try_t(&format!("stats-status-{status}")).is_some());
            }
        }
    }

    #[test]
    fn the_charts_read_indicators_their_question_asks() {
        let questions = questions();
        assert_eq!(questions.len(), ANSWER_IDS.len());
        for spec in CHARTS {
            let question = &questions[spec.answer];
            for indicator in spec.series {
                assert!(question.indicators.contains(indicator), "{} reads {indicator}", spec.id);
            }
        }
    }

    #[test]
    fn script_json_cannot_close_its_block() {
        let text = script_json(&json!({"a": "</script><b>&"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), json!({"a": "</script><b>&"}));
    }
}
