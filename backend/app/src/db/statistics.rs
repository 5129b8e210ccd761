//! The statistics' queries: one SQL query per indicator of STATISTICS.md, the same text on
//! both backends but for the few expressions the two write differently ([`Dialect`]).
//!
//! Each indicator is a [`Source`]: the records it counts (`FROM … WHERE`), the instant or day
//! that makes a record count, the value made of them, whom they count (for suppression) and
//! the expression of each breakdown it answers. [`cells`] writes the query for the breakdowns
//! and the narrowing asked, binds the period's bounds and loads one [`Cell`] per group.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};

use super::DbConnection;
use super::compliance::PayslipRow;
use super::schema::{
    alerts, border_events, broker_reports, cases, complaints, contract_acceptances, fee_reports,
    licence_events, payslips, placement_events, placements, statistics_releases, vacancies,
};
use crate::domain::calendar::china_day;
use crate::domain::money::Fen;
use crate::domain::statistics::{Breakdown, Cell, Indicator, Measure, Paid, Period};
use crate::ids::PlacementId;

/// What a query is narrowed to, besides its period: a region of China (the worksite's, a
/// province, prefecture or county) and a province of Viet Nam (the worker's home).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowing {
    pub region: Option<String>,
    pub home_province: Option<String>,
}

/// The two SQL dialects' ways of writing what the queries need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    fn of(conn: &DbConnection) -> Dialect {
        match conn {
            DbConnection::Postgres(_) => Dialect::Postgres,
            DbConnection::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// The day in China (UTC+8) of a stored UTC instant, comparable with a DATE column.
    fn china_day(self, instant: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date({instant}, '+8 hours')"),
            Dialect::Postgres => format!("CAST({instant} + INTERVAL '8 hours' AS DATE)"),
        }
    }

    /// `YYYY-MM` of the day in China of a stored UTC instant.
    fn china_month(self, instant: &str) -> String {
        match self {
            Dialect::Sqlite => format!("strftime('%Y-%m', {instant}, '+8 hours')"),
            Dialect::Postgres => format!("to_char({instant} + INTERVAL '8 hours', 'YYYY-MM')"),
        }
    }

    /// The first day of a DATE column's month.
    fn month_start(self, day: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date({day}, 'start of month')"),
            Dialect::Postgres => format!("CAST(date_trunc('month', {day}) AS DATE)"),
        }
    }

    /// `YYYY-MM` of a DATE column (already a day in China).
    fn day_month(self, day: &str) -> String {
        match self {
            Dialect::Sqlite => format!("substr({day}, 1, 7)"),
            Dialect::Postgres => format!("to_char({day}, 'YYYY-MM')"),
        }
    }

    /// Whole days in China from one instant's day to another's.
    fn days_between(self, from: &str, to: &str) -> String {
        match self {
            Dialect::Sqlite => format!(
                "CAST(julianday({}) - julianday({}) AS INTEGER)",
                self.china_day(to),
                self.china_day(from)
            ),
            Dialect::Postgres => format!("({} - {})", self.china_day(to), self.china_day(from)),
        }
    }

    /// A text compared byte by byte: the ids and codes counted distinct need no language's
    /// collation, and PostgreSQL sorts them several times faster without one.
    fn bytewise(self, text: &str) -> String {
        match self {
            Dialect::Sqlite => text.to_owned(),
            Dialect::Postgres => format!("{text} COLLATE \"C\""),
        }
    }

    fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }
}

/// The instant or day that makes a record count.
enum At {
    /// A UTC instant: counts on its day in China, within the period.
    Instant(&'static str),
    /// A day (already China's): counts within the period.
    Day(&'static str),
    /// A stock, taken at the period's end: records from before it (the instant, if any).
    Stock(Option<&'static str>),
}

/// How a cell's value is made of its records.
enum Value {
    Count,
    Sum(&'static str),
    /// The lower middle value of the expression.
    Median(String),
    Lowest(String),
    /// The records meeting the condition ÷ all records.
    Rate(&'static str),
    /// One sum ÷ another (of tallied records).
    Ratio(&'static str, &'static str),
}

struct Source {
    from: String,
    filter: String,
    at: At,
    value: Value,
    /// A fee figure's amount.
    amount: Option<&'static str>,
    /// How many people a cell counts, for suppression.
    people: People,
    /// The column every row is split by (agencies: their licence status).
    split: Option<String>,
    /// Each breakdown's expression but `month`, which comes from `at`.
    dims: Vec<(Breakdown, &'static str)>,
}

/// The worksite's prefecture: a county's worksite counts in its prefecture.
const PREFECTURE: &str = "CASE WHEN rg.level = 'county' THEN rg.parent_code ELSE rg.code END";
const COUNTY: &str = "CASE WHEN rg.level = 'county' THEN rg.code END";
/// The Chinese prefecture of a region `rg` that may lie in either country (a place a broker
/// was reported): none for a Vietnamese region or a country.
const CN_PREFECTURE: &str = "CASE WHEN rg.country = 'CN' AND rg.level <> 'country' THEN \
     (CASE WHEN rg.level = 'county' THEN rg.parent_code ELSE rg.code END) END";
/// The Vietnamese province of such a region: none for a Chinese region or a country.
const VN_PROVINCE: &str = "CASE WHEN rg.country = 'VN' AND rg.level = 'province' THEN rg.code END";
/// A worksite in (or equal to) the narrowing region, whatever its level.
const IN_REGION: &str = "(rg.code = :region OR rg.parent_code = :region OR rp.parent_code = :region)";
/// Records `f` with a placement's keys (`record_fact`), and their worksite `rg` (and its parent).
fn at_worksite(records: &str) -> String {
    format!(
        "{records} LEFT JOIN regions rg ON rg.code = f.region_code LEFT JOIN regions rp ON rp.code = rg.parent_code"
    )
}
/// An overstay `al`'s placement's keys: its offer's fact.
const OVERSTAYED: &str =
    "alerts al JOIN placement_facts f ON f.placement_id = al.placement_id AND f.fact = 'offered'";
/// An overstay `al` whose worker has come home by the period's end. Whether a return was on
/// time is the return service's decision, kept in the return's fact.
const RETURNED_BY_END: &str = "EXISTS (SELECT 1 FROM placement_facts r WHERE r.placement_id = al.placement_id \
     AND r.fact IN ('returned_on_time', 'returned_late') AND r.day <= :last)";
/// Payslips as tallied (`tally_payslip`): the months' tallies of the period's whole months and
/// the days' tallies of the days before and after them; each tally once more for each named
/// worker past the first, so that a cell's named workers can be counted (the sums ride on its
/// first row only).
const TALLIED_PAYSLIPS: &str = "(SELECT t.paid_on, t.region_code, t.occupation_code, t.home_province_code, \
     t.agency_id, t.workers, CASE WHEN n.k = 1 THEN t.payslips ELSE 0 END AS payslips, \
     CASE WHEN n.k = 1 THEN t.gross_fen ELSE 0 END AS gross_fen, CASE WHEN n.k = 1 THEN t.net_fen ELSE 0 END AS net_fen, \
     CASE WHEN n.k = 1 THEN t.compliant ELSE 0 END AS compliant, \
     CASE n.k WHEN 1 THEN t.w1 WHEN 2 THEN t.w2 WHEN 3 THEN t.w3 ELSE t.w4 END AS w \
     FROM (SELECT * FROM payslip_tallies WHERE span = 'month' AND paid_on >= :whole_from AND paid_on <= :whole_until \
           UNION ALL SELECT * FROM payslip_tallies WHERE span = 'day' AND paid_on >= :first AND paid_on < :whole_from \
           UNION ALL SELECT * FROM payslip_tallies WHERE span = 'day' AND paid_on > :whole_until AND paid_on <= :last) t \
     JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) n \
       ON n.k = 1 OR (n.k = 2 AND t.w2 IS NOT NULL) OR (n.k = 3 AND t.w3 IS NOT NULL) OR (n.k = 4 AND t.w4 IS NOT NULL)) pd \
     LEFT JOIN regions rg ON rg.code = pd.region_code LEFT JOIN regions rp ON rp.code = rg.parent_code";
/// Whom a cell's records are about, counted for suppression.
enum People {
    /// `COUNT(DISTINCT …)` of the expression.
    Distinct(&'static str),
    /// Tallied payslips ([`TALLIED_PAYSLIPS`]): five (or more) if one of the cell's tallies counts
    /// five, else the workers its tallies name: exact up to five, all suppression needs.
    Tallied,
}

fn fact_dims() -> Vec<(Breakdown, &'static str)> {
    vec![
        (Breakdown::Region, PREFECTURE),
        (Breakdown::County, COUNTY),
        (Breakdown::Occupation, "f.occupation_code"),
        (Breakdown::HomeProvince, "f.home_province_code"),
        (Breakdown::Agency, "f.agency_id"),
    ]
}

fn market_dims() -> Vec<(Breakdown, &'static str)> {
    vec![
        (Breakdown::Region, PREFECTURE),
        (Breakdown::County, COUNTY),
        (Breakdown::Occupation, "v.occupation_code"),
    ]
}

/// A case's breakdowns. Its region is a Chinese one (a broker report's case may name a
/// Vietnamese province, which counts in no region).
fn case_dims() -> Vec<(Breakdown, &'static str)> {
    vec![
        (Breakdown::Kind, "cs.kind"),
        (Breakdown::Region, CN_PREFECTURE),
        (Breakdown::County, COUNTY),
        (Breakdown::Agency, "CASE WHEN cs.subject_kind = 'agency' THEN cs.subject_id ELSE p.agency_id END"),
    ]
}

impl Source {
    fn new(
        from: String,
        at: At,
        value: Value,
        people: &'static str,
        dims: Vec<(Breakdown, &'static str)>,
    ) -> Self {
        let people = People::Distinct(people);
        Source { from, filter: String::new(), at, value, amount: None, people, split: None, dims }
    }

    fn filter(self, filter: impl Into<String>) -> Self {
        Source { filter: filter.into(), ..self }
    }

    fn only(mut self, breakdowns: &[Breakdown]) -> Self {
        self.dims.retain(|(b, _)| breakdowns.contains(b));
        self
    }
}

fn source(indicator: Indicator, dialect: Dialect) -> Source {
    use Indicator::*;
    let vacancies = "vacancies v LEFT JOIN regions rg ON rg.code = v.region_code \
                     LEFT JOIN regions rp ON rp.code = rg.parent_code"
        .to_owned();
    let fact = |fact: Fact, value: Value, dims: Vec<(Breakdown, &'static str)>| {
        Source::new(at_worksite("placement_facts f"), At::Day("f.day"), value, "f.worker_id", dims)
            .filter(format!("f.fact = '{}'", fact.as_str()))
    };
    let agreed = |value: Value| {
        fact(Fact::Accepted, value, fact_dims()).only(&[
            Breakdown::Region,
            Breakdown::County,
            Breakdown::Occupation,
        ])
    };
    let cases = "cases cs LEFT JOIN regions rg ON rg.code = cs.region_code \
                 LEFT JOIN regions rp ON rp.code = rg.parent_code \
                 LEFT JOIN placements p ON p.id = cs.placement_id LEFT JOIN workers w ON w.id = p.worker_id"
        .to_owned();
    let fee_dims =
        || vec![(Breakdown::HomeProvince, "w.home_province_code"), (Breakdown::Agency, "fr.agency_id")];
    match indicator {
        VacanciesPosted => {
            Source::new(vacancies, At::Instant("v.opened_at"), Value::Count, "v.employer_id", market_dims())
        }
        PositionsPosted => Source::new(
            vacancies,
            At::Instant("v.opened_at"),
            Value::Sum("v.headcount + v.local_hires"),
            "v.employer_id",
            market_dims(),
        ),
        LocalHires => Source::new(
            "local_hires lh JOIN vacancies v ON v.id = lh.vacancy_id \
             LEFT JOIN regions rg ON rg.code = v.region_code LEFT JOIN regions rp ON rp.code = rg.parent_code"
                .to_owned(),
            At::Day("lh.hired_on"),
            Value::Sum("lh.people"),
            "v.employer_id",
            market_dims(),
        ),
        VacanciesOpenToAgencies => Source::new(
            vacancies,
            At::Day("v.open_to_agencies_on"),
            Value::Count,
            "v.employer_id",
            market_dims(),
        ),
        PositionsFilled | Acceptances => fact(Fact::Accepted, Value::Count, fact_dims()),
        Offers => fact(Fact::Offered, Value::Count, fact_dims()),
        Declines => fact(Fact::Declined, Value::Count, fact_dims()),
        Departures => fact(Fact::Departed, Value::Count, fact_dims()),
        ReturnsOnTime => fact(Fact::ReturnedOnTime, Value::Count, fact_dims()),
        ReturnsLate => fact(Fact::ReturnedLate, Value::Count, fact_dims()),
        OverstaysOpen => Source::new(
            at_worksite(OVERSTAYED),
            At::Stock(Some("al.raised_at")),
            Value::Count,
            "f.worker_id",
            fact_dims(),
        )
        .filter(format!("al.kind = 'overstay' AND NOT {RETURNED_BY_END}")),
        OnTimeReturnRate => {
            // Returns in the period, on time or late, and overstays raised in the period whose
            // worker has not returned by its end: each placement at most once.
            let keys = "f.region_code, f.occupation_code, f.home_province_code, f.agency_id, f.worker_id";
            let records = format!(
                "(SELECT f.day, {keys}, CASE WHEN f.fact = 'returned_on_time' THEN 1 ELSE 0 END AS on_time \
                   FROM placement_facts f WHERE f.fact IN ('returned_on_time', 'returned_late') \
                    AND f.day >= :first AND f.day <= :last \
                 UNION ALL \
                 SELECT {} AS day, {keys}, 0 AS on_time FROM {OVERSTAYED} \
                  WHERE al.kind = 'overstay' AND al.raised_at >= :from AND al.raised_at < :to \
                    AND NOT {RETURNED_BY_END}) f",
                dialect.china_day("al.raised_at")
            );
            Source::new(
                at_worksite(&records),
                At::Day("f.day"),
                Value::Rate("f.on_time = 1"),
                "f.worker_id",
                fact_dims(),
            )
        }
        AgreedWageMedian => agreed(Value::Median("f.hourly_fen".to_owned())),
        AgreedWageLowest => agreed(Value::Lowest("f.hourly_fen".to_owned())),
        AgreedWageOverFloorMedian => agreed(Value::Median("f.hourly_fen - f.floor_hourly_fen".to_owned())),
        WagesPaidGross | WagesPaidNet | Payslips | PayslipComplianceRate => {
            let value = match indicator {
                WagesPaidGross => Value::Sum("pd.gross_fen"),
                WagesPaidNet => Value::Sum("pd.net_fen"),
                Payslips => Value::Sum("pd.payslips"),
                _ => Value::Ratio("pd.compliant", "pd.payslips"),
            };
            let dims = vec![
                (Breakdown::Region, PREFECTURE),
                (Breakdown::County, COUNTY),
                (Breakdown::Occupation, "pd.occupation_code"),
                (Breakdown::HomeProvince, "pd.home_province_code"),
                (Breakdown::Agency, "pd.agency_id"),
            ];
            let source = Source {
                people: People::Tallied,
                ..Source::new(TALLIED_PAYSLIPS.to_owned(), At::Day("pd.paid_on"), value, "pd.w", dims)
            };
            if matches!(indicator, Payslips | PayslipComplianceRate) {
                source.only(&[Breakdown::Region, Breakdown::County, Breakdown::Occupation, Breakdown::Agency])
            } else {
                source
            }
        }
        FeesReported => Source {
            amount: Some("fr.amount_fen"),
            ..Source::new(
                "fee_reports fr JOIN workers w ON w.id = fr.worker_id".to_owned(),
                At::Instant("fr.created_at"),
                Value::Count,
                "fr.worker_id",
                fee_dims(),
            )
        },
        FeesUpheld => Source {
            amount: Some("fr.amount_fen"),
            ..Source::new(
                "fee_reports fr JOIN cases cs ON cs.id = fr.case_id JOIN workers w ON w.id = fr.worker_id"
                    .to_owned(),
                At::Instant("cs.resolved_at"),
                Value::Count,
                "fr.worker_id",
                fee_dims(),
            )
            .filter("cs.upheld = TRUE")
        },
        Complaints => Source::new(
            "complaints c".to_owned(),
            At::Instant("c.created_at"),
            Value::Count,
            "COALESCE(c.filed_by, c.id)",
            vec![(Breakdown::Category, "c.category"), (Breakdown::Agency, "c.agency_id")],
        ),
        BrokerReports => Source::new(
            "broker_reports b LEFT JOIN regions rg ON rg.code = b.region_code \
             LEFT JOIN regions rp ON rp.code = rg.parent_code"
                .to_owned(),
            At::Instant("b.created_at"),
            Value::Count,
            "COALESCE(b.filed_by, b.id)",
            vec![
                (Breakdown::Region, CN_PREFECTURE),
                (Breakdown::County, COUNTY),
                (Breakdown::HomeProvince, VN_PROVINCE),
            ],
        ),
        CasesOpened => Source::new(cases, At::Instant("cs.opened_at"), Value::Count, "cs.id", case_dims()),
        CasesResolved => {
            Source::new(cases, At::Instant("cs.resolved_at"), Value::Count, "cs.id", case_dims())
        }
        DaysToResolveMedian => Source::new(
            cases,
            At::Instant("cs.resolved_at"),
            Value::Median(dialect.days_between("cs.opened_at", "cs.resolved_at")),
            "cs.id",
            case_dims(),
        )
        .only(&[Breakdown::Kind]),
        AgenciesByLicenceStatus => Source {
            split: Some(
                "CASE WHEN l.event IN ('suspended', 'revoked') THEN l.event \
                 WHEN ag.licence_valid_until < :last OR ag.licence_valid_from > :last THEN 'expired' \
                 ELSE 'active' END"
                    .to_owned(),
            ),
            ..Source::new(
                "agencies ag JOIN (SELECT le.agency_id, le.event, ROW_NUMBER() OVER \
                 (PARTITION BY le.agency_id ORDER BY le.at DESC, le.id DESC) AS rn \
                 FROM licence_events le WHERE le.at < :to) l ON l.agency_id = ag.id AND l.rn = 1"
                    .to_owned(),
                At::Stock(None),
                Value::Count,
                "ag.id",
                vec![(Breakdown::Country, "ag.country")],
            )
        },
    }
}

/// The breakdowns an indicator's query can answer: `month` unless it is a stock, and each
/// breakdown with an expression. `domain::statistics` lists the same (a test checks).
#[cfg(test)]
fn answered(indicator: Indicator) -> Vec<Breakdown> {
    let source = source(indicator, Dialect::Sqlite);
    let month = (!matches!(source.at, At::Stock(_))).then_some(Breakdown::Month);
    month.into_iter().chain(source.dims.iter().map(|(b, _)| *b)).collect()
}

/// The query's text with `:name` parameters, in a given dialect.
fn query(indicator: Indicator, dialect: Dialect, by: &[Breakdown], narrowing: &Narrowing) -> Option<String> {
    let source = source(indicator, dialect);
    let mut groups = vec![source.split.clone()];
    for breakdown in by {
        let expression = match (breakdown, &source.at) {
            (Breakdown::Month, At::Instant(at)) => dialect.china_month(at),
            (Breakdown::Month, At::Day(day)) => dialect.day_month(day),
            (Breakdown::Month, At::Stock(_)) => return None,
            (other, _) => source.dims.iter().find(|(b, _)| b == other).map(|(_, e)| (*e).to_owned())?,
        };
        groups.push(Some(expression));
    }
    groups.resize(4, None);

    let mut conditions: Vec<String> = Vec::new();
    let from = &source.from;
    if !source.filter.is_empty() {
        conditions.push(source.filter.clone());
    }
    match source.at {
        At::Instant(at) => conditions.push(format!("{at} >= :from AND {at} < :to")),
        At::Day(day) => conditions.push(format!("{day} >= :first AND {day} <= :last")),
        At::Stock(Some(at)) => conditions.push(format!("{at} < :to")),
        At::Stock(None) => {}
    }
    if narrowing.region.is_some() {
        source.dims.iter().find(|(b, _)| *b == Breakdown::Region)?;
        conditions.push(IN_REGION.to_owned());
    }
    if narrowing.home_province.is_some() {
        let home = source.dims.iter().find(|(b, _)| *b == Breakdown::HomeProvince)?.1;
        conditions.push(format!("{home} = :home"));
    }
    let filter =
        if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    let column = |g: &Option<String>| g.clone().unwrap_or_else(|| "CAST(NULL AS TEXT)".to_owned());
    let selected: Vec<String> =
        groups.iter().enumerate().map(|(i, g)| format!("{} AS g{i}", column(g))).collect();
    let used = |prefix: &str| -> Vec<String> {
        groups
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                g.as_ref().map(|e| if prefix.is_empty() { e.clone() } else { format!("{prefix}g{i}") })
            })
            .collect()
    };
    let group_by = |items: Vec<String>| {
        if items.is_empty() { String::new() } else { format!(" GROUP BY {}", items.join(", ")) }
    };
    let people = match source.people {
        People::Distinct(who) => format!("COUNT(DISTINCT {})", dialect.bytewise(who)),
        People::Tallied => {
            format!(
                "CASE WHEN MAX(pd.workers) >= 5 THEN 5 ELSE COUNT(DISTINCT {}) END",
                dialect.bytewise("pd.w")
            )
        }
    };
    let people = format!("CAST({people} AS BIGINT) AS people");
    let amount = source.amount.map_or_else(
        || "CAST(NULL AS BIGINT) AS amount_fen".to_owned(),
        |a| format!("CAST(COALESCE(SUM({a}), 0) AS BIGINT) AS amount_fen"),
    );
    let no_parts = "CAST(NULL AS BIGINT) AS numerator, CAST(NULL AS BIGINT) AS denominator";
    let values = match &source.value {
        Value::Count => format!("CAST(COUNT(*) AS BIGINT) AS value, {no_parts}"),
        Value::Sum(x) => format!("CAST(COALESCE(SUM({x}), 0) AS BIGINT) AS value, {no_parts}"),
        Value::Lowest(x) => format!("CAST(MIN({x}) AS BIGINT) AS value, {no_parts}"),
        Value::Rate(condition) => format!(
            "CAST(NULL AS BIGINT) AS value, \
             CAST(COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS BIGINT) AS numerator, \
             CAST(COUNT(*) AS BIGINT) AS denominator"
        ),
        Value::Ratio(part, whole) => format!(
            "CAST(NULL AS BIGINT) AS value, CAST(COALESCE(SUM({part}), 0) AS BIGINT) AS numerator, \
             CAST(COALESCE(SUM({whole}), 0) AS BIGINT) AS denominator"
        ),
        Value::Median(x) => {
            // The lower middle value, counted over each cell's distinct values (a wage is one
            // of a few hundred, a delay one of a few dozen) rather than sorting every record:
            // the smallest value whose running count reaches half the cell's.
            let partition = used("t0.");
            let partition = if partition.is_empty() {
                String::new()
            } else {
                let keys: Vec<String> = partition.iter().map(|key| dialect.bytewise(key)).collect();
                format!("PARTITION BY {} ", keys.join(", "))
            };
            let outer: Vec<String> = groups
                .iter()
                .enumerate()
                .map(
                    |(i, g)| {
                        if g.is_some() { format!("t.g{i}") } else { format!("CAST(NULL AS TEXT) AS g{i}") }
                    },
                )
                .collect();
            let middle: Vec<String> = (0..groups.len()).map(|i| format!("t0.g{i}")).collect();
            let mut distinct = used("");
            distinct.push(x.clone());
            return Some(format!(
                "SELECT {}, CAST(MIN(CASE WHEN below >= (n + 1) / 2 THEN x END) AS BIGINT) AS value, \
                 {no_parts}, CAST(NULL AS BIGINT) AS amount_fen, CAST(COALESCE(MAX(n), 0) AS BIGINT) AS people \
                 FROM (SELECT {}, t0.x, CAST(SUM(t0.c) OVER ({partition}ORDER BY t0.x) AS BIGINT) AS below, \
                 CAST(SUM(t0.c) OVER ({partition}) AS BIGINT) AS n \
                 FROM (SELECT {}, {x} AS x, COUNT(*) AS c FROM {from}{filter}{}) t0) t{}",
                outer.join(", "),
                middle.join(", "),
                selected.join(", "),
                group_by(distinct),
                group_by(used("t."))
            ));
        }
    };
    Some(format!(
        "SELECT {}, {values}, {amount}, {people} FROM {from}{filter}{}",
        selected.join(", "),
        group_by(used(""))
    ))
}

/// A bound value of a query.
#[derive(Clone, Debug)]
enum Param {
    Instant(NaiveDateTime),
    Day(NaiveDate),
    Text(String),
}

/// Numbers the `:name` parameters in order of first use, in the dialect's placeholders, and
/// lists the values to bind in that order.
fn bind_names(sql: &str, dialect: Dialect, period: Period, narrowing: &Narrowing) -> (String, Vec<Param>) {
    let value = |name: &str| -> Option<Param> {
        Some(match name {
            "from" => Param::Instant(period.starts().naive_utc()),
            "to" => Param::Instant(period.ends().naive_utc()),
            "first" => Param::Day(period.first),
            "last" => Param::Day(period.last),
            // None: an empty range, which holds no month and leaves every day before it.
            "whole_from" => {
                Param::Day(period.whole_months().map_or(period.last + Duration::days(1), |w| w.0))
            }
            "whole_until" => Param::Day(period.whole_months().map_or(period.last, |w| w.1)),
            "region" => Param::Text(narrowing.region.clone()?),
            "home" => Param::Text(narrowing.home_province.clone()?),
            _ => return None,
        })
    };
    let (mut out, mut names, mut params) =
        (String::with_capacity(sql.len()), Vec::<String>::new(), Vec::new());
    let mut rest = sql;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let len = tail.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(tail.len());
        let name = &tail[..len];
        match value(name) {
            Some(param) => {
                let n = match names.iter().position(|known| known == name) {
                    Some(i) => i + 1,
                    None => {
                        names.push(name.to_owned());
                        params.push(param);
                        names.len()
                    }
                };
                out.push_str(&dialect.placeholder(n));
            }
            None => out.push_str(&rest[at..at + 1 + len]),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    (out, params)
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Nullable<Text>)]
    g0: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    g1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    g2: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    g3: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    value: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    numerator: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    denominator: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    amount_fen: Option<i64>,
    #[diesel(sql_type = BigInt)]
    people: i64,
}

/// Loads a query with its parameters on one backend.
macro_rules! load_rows {
    ($conn:expr, $backend:ty, $sql:expr, $params:expr) => {{
        let mut query = diesel::sql_query($sql).into_boxed::<$backend>();
        for param in $params {
            query = match param {
                Param::Instant(at) => query.bind::<Timestamp, _>(at),
                Param::Day(day) => query.bind::<Date, _>(day),
                Param::Text(text) => query.bind::<Text, _>(text),
            };
        }
        query.load::<Row>($conn)
    }};
}

/// The indicator's cells over the period, one per group of the breakdowns asked (in their
/// order), narrowed as asked. None if the indicator answers neither a breakdown nor a
/// narrowing asked (the service refuses those first).
pub fn cells(
    conn: &mut DbConnection,
    indicator: Indicator,
    period: Period,
    by: &[Breakdown],
    narrowing: &Narrowing,
) -> Option<QueryResult<Vec<Cell>>> {
    let dialect = Dialect::of(conn);
    let sql = query(indicator, dialect, by, narrowing)?;
    let (sql, params) = bind_names(&sql, dialect, period, narrowing);
    let rows = match conn {
        DbConnection::Postgres(pg) => load_rows!(pg, diesel::pg::Pg, sql, params),
        DbConnection::Sqlite(sqlite) => load_rows!(sqlite, diesel::sqlite::Sqlite, sql, params),
    };
    let rate = indicator.measure() == Measure::Rate;
    Some(rows.map(|rows| {
        rows.into_iter()
            .map(|row| Cell {
                keys: [row.g1, row.g2, row.g3].into_iter().take(by.len()).collect(),
                split: row.g0,
                value: if rate {
                    Cell::per_mille(row.numerator.unwrap_or(0), row.denominator.unwrap_or(0))
                } else {
                    row.value
                },
                numerator: row.numerator,
                denominator: row.denominator,
                amount_fen: row.amount_fen,
                people: row.people,
                suppressed: false,
            })
            .collect()
    }))
}

/// What the statistics break a placement's records down by, as they are now: its worksite,
/// occupation, home province and agency; and its worker, whom they count.
struct Keys {
    region: String,
    occupation: String,
    home_province: String,
    agency: String,
    worker: String,
}

fn keys_of(conn: &mut DbConnection, placement_id: &str) -> QueryResult<Keys> {
    use super::schema::workers;
    let (region, occupation, home_province, agency, worker) = placements::table
        .inner_join(vacancies::table)
        .inner_join(workers::table)
        .filter(placements::id.eq(placement_id))
        .select((
            vacancies::region_code,
            vacancies::occupation_code,
            workers::home_province_code,
            placements::agency_id,
            placements::worker_id,
        ))
        .first(conn)?;
    Ok(Keys { region, occupation, home_province, agency, worker })
}

/// Adds a payslip just written to its day's and its month's tallies (`payslip_tallies`), in
/// the writer's transaction. The upsert comes first: on PostgreSQL it holds the tally's row
/// until commit, so two payslips of one tally add up one after the other.
pub fn tally_payslip(conn: &mut DbConnection, payslip: &PayslipRow) -> QueryResult<()> {
    use super::schema::payslip_tallies as pt;
    let keys = keys_of(conn, payslip.placement_id.as_str())?;
    let month = payslip.paid_on.with_day(1).unwrap_or(payslip.paid_on);
    for (span, paid_on) in [("day", payslip.paid_on), ("month", month)] {
        let new = (
            pt::span.eq(span),
            pt::paid_on.eq(paid_on),
            pt::region_code.eq(&keys.region),
            pt::occupation_code.eq(&keys.occupation),
            pt::home_province_code.eq(&keys.home_province),
            pt::agency_id.eq(&keys.agency),
            pt::payslips.eq(1_i64),
            pt::gross_fen.eq(payslip.gross_fen),
            pt::net_fen.eq(payslip.net_fen),
            pt::compliant.eq(i64::from(payslip.compliant)),
            pt::workers.eq(1),
            pt::w1.eq(Some(&keys.worker)),
        );
        macro_rules! upsert {
            ($conn:expr) => {
                diesel::insert_into(pt::table)
                    .values(new)
                    .on_conflict((
                        pt::span,
                        pt::paid_on,
                        pt::region_code,
                        pt::occupation_code,
                        pt::home_province_code,
                        pt::agency_id,
                    ))
                    .do_update()
                    .set((
                        pt::payslips.eq(pt::payslips + 1_i64),
                        pt::gross_fen.eq(pt::gross_fen + payslip.gross_fen),
                        pt::net_fen.eq(pt::net_fen + payslip.net_fen),
                        pt::compliant.eq(pt::compliant + i64::from(payslip.compliant)),
                    ))
                    .execute($conn)
            };
        }
        match conn {
            DbConnection::Postgres(pg) => upsert!(pg)?,
            DbConnection::Sqlite(sqlite) => upsert!(sqlite)?,
        };
        let tally = pt::table.find((
            span,
            paid_on,
            &keys.region,
            &keys.occupation,
            &keys.home_province,
            &keys.agency,
        ));
        let (workers, w1, w2, w3, w4): (i32, Option<String>, Option<String>, Option<String>, Option<String>) =
            tally.select((pt::workers, pt::w1, pt::w2, pt::w3, pt::w4)).first(conn)?;
        let paid = Paid::from_stored(workers, [w1, w2, w3, w4]);
        let with = paid.clone().with(&keys.worker);
        if with != paid {
            let [w1, w2, w3, w4] = with.names();
            diesel::update(tally)
                .set((
                    pt::workers.eq(with.workers()),
                    pt::w1.eq(w1),
                    pt::w2.eq(w2),
                    pt::w3.eq(w3),
                    pt::w4.eq(w4),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// A placement's milestone as the statistics count it (`placement_facts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    Offered,
    /// The first acceptance of its contract, with the version's wage and floor.
    Accepted,
    Declined,
    Departed,
    ReturnedOnTime,
    ReturnedLate,
}

impl Fact {
    pub fn as_str(self) -> &'static str {
        match self {
            Fact::Offered => "offered",
            Fact::Accepted => "accepted",
            Fact::Declined => "declined",
            Fact::Departed => "departed",
            Fact::ReturnedOnTime => "returned_on_time",
            Fact::ReturnedLate => "returned_late",
        }
    }
}

/// Keeps a placement's milestone on its day (China's), in the writer's transaction, with the
/// keys the statistics break it down by as they are now: the worksite, occupation, home
/// province and agency. A placement keeps each fact once, from its first day; `agreed` is
/// an acceptance's hourly wage and floor.
pub fn record_fact(
    conn: &mut DbConnection,
    placement_id: &PlacementId,
    fact: Fact,
    day: NaiveDate,
    agreed: Option<(Fen, Fen)>,
) -> QueryResult<()> {
    use super::schema::placement_facts as pf;
    let keys = keys_of(conn, placement_id.as_str())?;
    let row = (
        pf::fact.eq(fact.as_str()),
        pf::day.eq(day),
        pf::placement_id.eq(placement_id.as_str()),
        pf::region_code.eq(keys.region),
        pf::occupation_code.eq(keys.occupation),
        pf::home_province_code.eq(keys.home_province),
        pf::agency_id.eq(keys.agency),
        pf::worker_id.eq(keys.worker),
        pf::hourly_fen.eq(agreed.map(|(wage, _)| wage.get())),
        pf::floor_hourly_fen.eq(agreed.map(|(_, floor)| floor.get())),
    );
    match conn {
        DbConnection::Postgres(pg) => {
            diesel::insert_into(pf::table).values(row).on_conflict_do_nothing().execute(pg)?
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::insert_into(pf::table).values(row).on_conflict_do_nothing().execute(sqlite)?
        }
    };
    Ok(())
}

/// Tallies every payslip (`payslip_tallies`) and keeps every placement's facts
/// (`placement_facts`) again from what is recorded, as the migrations that made the tables
/// did: after a bulk load that wrote without the services.
pub fn retally(conn: &mut DbConnection) -> QueryResult<()> {
    let dialect = Dialect::of(conn);
    diesel::sql_query("DELETE FROM payslip_tallies").execute(conn)?;
    diesel::sql_query(every_tally(dialect)).execute(conn)?;
    diesel::sql_query("DELETE FROM placement_facts").execute(conn)?;
    diesel::sql_query(every_fact(dialect)).execute(conn)?;
    Ok(())
}

/// Every placement's facts from the records they are made of, in one statement (the same as
/// the migration `2026-12-01-000016_placement_facts`, which keeps its own copy as it ran).
fn every_fact(dialect: Dialect) -> String {
    let day = |instant: &str| dialect.china_day(instant);
    let none = "CAST(NULL AS BIGINT)";
    format!(
        "INSERT INTO placement_facts (fact, day, placement_id, region_code, occupation_code, home_province_code, \
                                      agency_id, worker_id, hourly_fen, floor_hourly_fen) \
         WITH milestones AS ( \
             SELECT 'offered' AS fact, {} AS day, id AS placement_id, {none} AS hourly_fen, \
                    {none} AS floor_hourly_fen FROM placements \
             UNION ALL SELECT 'accepted', {}, id, agreed_hourly_fen, agreed_floor_hourly_fen \
               FROM placements WHERE first_accepted_at IS NOT NULL \
             UNION ALL SELECT 'declined', {}, placement_id, {none}, {none} \
               FROM placement_events WHERE to_status = 'declined' GROUP BY placement_id \
             UNION ALL SELECT 'departed', {}, placement_id, {none}, {none} \
               FROM border_events WHERE kind = 'departure' \
             UNION ALL SELECT CASE WHEN returned_on_time THEN 'returned_on_time' ELSE 'returned_late' END, \
                    returned_on, placement_id, {none}, {none} \
               FROM worker_returns wr WHERE placement_id IS NOT NULL AND NOT EXISTS ( \
                   SELECT 1 FROM worker_returns earlier WHERE earlier.placement_id = wr.placement_id \
                      AND (earlier.returned_on < wr.returned_on \
                           OR (earlier.returned_on = wr.returned_on AND earlier.id < wr.id))) \
         ) \
         SELECT m.fact, m.day, m.placement_id, v.region_code, v.occupation_code, w.home_province_code, \
                p.agency_id, p.worker_id, m.hourly_fen, m.floor_hourly_fen \
           FROM milestones m JOIN placements p ON p.id = m.placement_id \
           JOIN vacancies v ON v.id = p.vacancy_id JOIN workers w ON w.id = p.worker_id",
        day("created_at"),
        day("first_accepted_at"),
        day("MIN(at)"),
        day("at"),
    )
}

/// Every payslip's tallies, in one statement (the same as the migration
/// `2026-12-01-000016_statistics_facts`, which keeps its own copy as it ran).
fn every_tally(dialect: Dialect) -> String {
    let keys = "span, paid_on, region_code, occupation_code, home_province_code, agency_id";
    format!(
        "INSERT INTO payslip_tallies ({keys}, payslips, gross_fen, net_fen, compliant, workers, w1, w2, w3, w4) \
         WITH keyed AS ( \
             SELECT ps.paid_on, v.region_code, v.occupation_code, w.home_province_code, p.agency_id, p.worker_id, \
                    ps.gross_fen, ps.net_fen, CASE WHEN ps.compliant THEN 1 ELSE 0 END AS compliant \
               FROM payslips ps JOIN placements p ON p.id = ps.placement_id \
               JOIN vacancies v ON v.id = p.vacancy_id JOIN workers w ON w.id = p.worker_id \
         ), paid AS ( \
             SELECT 'day' AS span, paid_on, region_code, occupation_code, home_province_code, agency_id, \
                    worker_id, gross_fen, net_fen, compliant FROM keyed \
             UNION ALL \
             SELECT 'month', {}, region_code, occupation_code, home_province_code, agency_id, \
                    worker_id, gross_fen, net_fen, compliant FROM keyed \
         ), ranked AS ( \
             SELECT {keys}, worker_id, DENSE_RANK() OVER (PARTITION BY {keys} ORDER BY worker_id) AS n FROM paid \
         ) \
         SELECT t.span, t.paid_on, t.region_code, t.occupation_code, t.home_province_code, t.agency_id, \
                t.payslips, t.gross_fen, t.net_fen, t.compliant, k.workers, \
                CASE WHEN k.workers < 5 THEN k.w1 END, CASE WHEN k.workers < 5 THEN k.w2 END, \
                CASE WHEN k.workers < 5 THEN k.w3 END, CASE WHEN k.workers < 5 THEN k.w4 END \
           FROM (SELECT {keys}, COUNT(*) AS payslips, SUM(gross_fen) AS gross_fen, SUM(net_fen) AS net_fen, \
                        SUM(compliant) AS compliant FROM paid GROUP BY {keys}) t \
           JOIN (SELECT {keys}, CASE WHEN MAX(n) > 5 THEN 5 ELSE MAX(n) END AS workers, \
                        MAX(CASE WHEN n = 1 THEN worker_id END) AS w1, MAX(CASE WHEN n = 2 THEN worker_id END) AS w2, \
                        MAX(CASE WHEN n = 3 THEN worker_id END) AS w3, MAX(CASE WHEN n = 4 THEN worker_id END) AS w4 \
                   FROM ranked GROUP BY {keys}) k \
             ON k.span = t.span AND k.paid_on = t.paid_on AND k.region_code = t.region_code \
            AND k.occupation_code = t.occupation_code AND k.home_province_code = t.home_province_code \
            AND k.agency_id = t.agency_id",
        dialect.month_start("paid_on")
    )
}

/// Positions a vacancy asks for, as the demand outlook counts them.
#[derive(Clone, Debug, Queryable)]
pub struct Demand {
    pub occupation_code: String,
    pub region_code: String,
    /// `open`, or `draft`: planned, not yet opened.
    pub status: String,
    pub headcount: i32,
    pub season_start: NaiveDate,
    pub season_end: NaiveDate,
}

/// The vacancies of verified employers, open or planned (drafts), whose season overlaps the
/// period.
pub fn demand(conn: &mut DbConnection, period: Period) -> QueryResult<Vec<Demand>> {
    use super::schema::{employers, vacancies};
    vacancies::table
        .inner_join(employers::table)
        .filter(employers::status.eq("verified"))
        .filter(vacancies::status.eq_any(["open", "draft"]))
        .filter(vacancies::season_start.le(period.last))
        .filter(vacancies::season_end.ge(period.first))
        .select((
            vacancies::occupation_code,
            vacancies::region_code,
            vacancies::status,
            vacancies::headcount,
            vacancies::season_start,
            vacancies::season_end,
        ))
        .load(conn)
}

/// The first day (China's) on which any record the indicators count counts: the month of
/// the first release. None while there are no records.
pub fn first_record_day(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    use diesel::dsl::min;
    let instants: Vec<Option<NaiveDateTime>> = vec![
        vacancies::table.select(min(vacancies::opened_at)).first(conn)?,
        placements::table.select(min(placements::created_at)).first(conn)?,
        placement_events::table.select(min(placement_events::at)).first(conn)?,
        contract_acceptances::table.select(min(contract_acceptances::accepted_at)).first(conn)?,
        border_events::table.select(min(border_events::at)).first(conn)?,
        alerts::table.select(min(alerts::raised_at)).first(conn)?,
        fee_reports::table.select(min(fee_reports::created_at)).first(conn)?,
        complaints::table.select(min(complaints::created_at)).first(conn)?,
        broker_reports::table.select(min(broker_reports::created_at)).first(conn)?,
        cases::table.select(min(cases::opened_at)).first(conn)?,
        cases::table.select(min(cases::resolved_at)).first(conn)?,
        licence_events::table.select(min(licence_events::at)).first(conn)?,
    ];
    let paid: Option<NaiveDate> = payslips::table.select(min(payslips::paid_on)).first(conn)?;
    Ok(instants.into_iter().flatten().map(|at| china_day(at.and_utc())).chain(paid).min())
}

/// A monthly release as stored: never changed once written.
#[derive(Clone, Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = statistics_releases)]
pub struct ReleaseRow {
    /// `YYYY-MM`.
    pub month: String,
    pub definitions_version: String,
    pub csv: String,
    pub sha256: String,
    pub rows: i64,
    /// The metadata file, JSON, as it was written.
    pub metadata: String,
    pub generated_at: NaiveDateTime,
}

/// A release without its files, for the list.
#[derive(Clone, Debug, Queryable)]
pub struct ReleaseEntry {
    pub month: String,
    pub definitions_version: String,
    pub sha256: String,
    pub rows: i64,
    pub generated_at: NaiveDateTime,
}

/// Stores a release unless its month has one already (`ON CONFLICT DO NOTHING`, through each
/// backend's own connection): the first stored stays. True if this one was stored.
pub fn insert_release(conn: &mut DbConnection, row: &ReleaseRow) -> QueryResult<bool> {
    let inserted = match conn {
        DbConnection::Postgres(pg) => diesel::insert_into(statistics_releases::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::insert_into(statistics_releases::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(sqlite)?,
    };
    Ok(inserted == 1)
}

/// The release of a month, if it has been made.
pub fn find_release(conn: &mut DbConnection, month: &str) -> QueryResult<Option<ReleaseRow>> {
    statistics_releases::table
        .filter(statistics_releases::month.eq(month))
        .select(ReleaseRow::as_select())
        .first(conn)
        .optional()
}

/// Every release made, newest month first.
pub fn list_releases(conn: &mut DbConnection) -> QueryResult<Vec<ReleaseEntry>> {
    statistics_releases::table
        .order(statistics_releases::month.desc())
        .select((
            statistics_releases::month,
            statistics_releases::definitions_version,
            statistics_releases::sha256,
            statistics_releases::rows,
            statistics_releases::generated_at,
        ))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_query_answers_the_breakdowns_the_definitions_list() {
        for indicator in Indicator::ALL {
            assert_eq!(answered(*indicator), indicator.breakdowns(), "{indicator}");
        }
    }

    #[test]
    fn parameters_are_numbered_by_first_use() {
        let period = Period::new("2026-11-01".parse().unwrap(), "2026-11-30".parse().unwrap()).unwrap();
        let narrowing = Narrowing { region: Some("451400".into()), home_province: None };
        let (sql, params) = bind_names(
            "a < :to AND b >= :from AND c < :to AND r = :region AND '%H:%M'",
            Dialect::Postgres,
            period,
            &narrowing,
        );
        assert_eq!(sql, "a < $1 AND b >= $2 AND c < $1 AND r = $3 AND '%H:%M'");
        assert_eq!(params.len(), 3);
        let (sql, _) = bind_names("x = :last", Dialect::Sqlite, period, &narrowing);
        assert_eq!(sql, "x = ?1");
    }

    #[test]
    fn a_query_is_written_for_every_breakdown_and_narrowing_it_answers() {
        let narrowing = Narrowing { region: Some("451400".into()), home_province: Some("VN-09".into()) };
        for indicator in Indicator::ALL {
            for dialect in [Dialect::Sqlite, Dialect::Postgres] {
                for breakdown in indicator.breakdowns() {
                    let narrow = Narrowing {
                        region: narrowing.region.clone().filter(|_| indicator.has_worksite()),
                        home_province: narrowing
                            .home_province
                            .clone()
                            .filter(|_| indicator.has_home_province()),
                    };
                    let sql = query(*indicator, dialect, &[*breakdown], &narrow);
                    assert!(sql.is_some(), "{indicator} by {breakdown}");
                }
                assert!(query(*indicator, dialect, &[], &Narrowing::default()).is_some());
            }
        }
        assert!(
            query(Indicator::OverstaysOpen, Dialect::Sqlite, &[Breakdown::Month], &Narrowing::default())
                .is_none()
        );
        assert!(query(Indicator::Complaints, Dialect::Sqlite, &[], &narrowing).is_none());
    }
}
