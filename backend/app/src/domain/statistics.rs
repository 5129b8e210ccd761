//! The scheme's statistics as STATISTICS.md defines them: the indicators, what each counts
//! and how it may be broken down, the period asked (in China's days), and the small-cell
//! suppression of anything public. The queries are in `db::statistics`; this is pure.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveTime, Utc};

/// The version of STATISTICS.md the figures are computed with; every answer and release
/// names it. A change to any definition makes a new one.
pub const DEFINITIONS_VERSION: &str = "2026-12-4";

/// A cell counting fewer people than this is suppressed in anything public.
pub const SMALLEST_PUBLIC_CELL: i64 = 5;

/// The longest period asked at once: ten years (the last day before the same date ten years
/// on).
pub const LONGEST_PERIOD_MONTHS: u32 = 120;

text_enum! {
    /// What an indicator's rows may be broken down by.
    Breakdown {
        /// The calendar month, in China's days.
        Month => "month",
        /// The worksite's prefecture (a county's worksite counts in its prefecture); for a
        /// report against an unlicensed broker, the Chinese prefecture reported.
        Region => "region",
        /// The worksite's county.
        County => "county",
        Occupation => "occupation",
        /// The worker's Vietnamese province; for a report against an unlicensed broker, the
        /// Vietnamese province reported.
        HomeProvince => "home_province",
        Agency => "agency",
        /// A complaint's category.
        Category => "category",
        /// A case's kind.
        Kind => "kind",
        /// An agency's country.
        Country => "country",
    }
}

text_enum! {
    /// An indicator of STATISTICS.md.
    Indicator {
        VacanciesPosted => "vacancies_posted",
        PositionsPosted => "positions_posted",
        LocalHires => "local_hires",
        VacanciesOpenToAgencies => "vacancies_open_to_agencies",
        PositionsFilled => "positions_filled",
        Offers => "offers",
        Acceptances => "acceptances",
        Declines => "declines",
        Departures => "departures",
        ReturnsOnTime => "returns_on_time",
        ReturnsLate => "returns_late",
        OverstaysOpen => "overstays_open",
        OnTimeReturnRate => "on_time_return_rate",
        AgreedWageMedian => "agreed_wage_median",
        AgreedWageLowest => "agreed_wage_lowest",
        AgreedWageOverFloorMedian => "agreed_wage_over_floor_median",
        WagesPaidGross => "wages_paid_gross",
        WagesPaidNet => "wages_paid_net",
        Payslips => "payslips",
        PayslipComplianceRate => "payslip_compliance_rate",
        FeesReported => "fees_reported",
        FeesUpheld => "fees_upheld",
        Complaints => "complaints",
        BrokerReports => "broker_reports",
        CasesOpened => "cases_opened",
        CasesResolved => "cases_resolved",
        DaysToResolveMedian => "days_to_resolve_median",
        AgenciesByLicenceStatus => "agencies_by_licence_status",
    }
}

/// How an indicator's cell is made from its records, which decides how an empty cell reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// A number of records: an empty cell is 0.
    Count,
    /// A sum of amounts: an empty cell is 0.
    Sum,
    /// The lower middle value, or the lowest: an empty cell has none.
    Middle,
    /// Numerator ÷ denominator in ‰, rounded down: an empty cell has none.
    Rate,
}

/// Whom a cell counts, for suppression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counts {
    Workers,
    Employers,
    /// Complainants, and those who report unlicensed brokers: each anonymous one a person.
    Complainants,
    /// Organisations whose figures are public anyway (agencies' licences): never suppressed.
    Nobody,
}

use Breakdown::{
    Agency, Category, Country, County, HomeProvince, Kind, Month as ByMonth, Occupation, Region,
};

const MARKET: &[Breakdown] = &[ByMonth, Region, County, Occupation];
const JOURNEY: &[Breakdown] = &[ByMonth, Region, County, Occupation, HomeProvince, Agency];

impl Indicator {
    /// The unit of `value`.
    pub fn unit(self) -> &'static str {
        use Indicator::*;
        match self {
            VacanciesPosted | VacanciesOpenToAgencies => "vacancies",
            PositionsPosted | PositionsFilled => "positions",
            LocalHires => "workers",
            Offers => "offers",
            Acceptances => "acceptances",
            Declines => "declines",
            Departures | ReturnsOnTime | ReturnsLate | OverstaysOpen => "workers",
            OnTimeReturnRate | PayslipComplianceRate => "per_mille",
            AgreedWageMedian | AgreedWageLowest | AgreedWageOverFloorMedian => "fen_per_hour",
            WagesPaidGross | WagesPaidNet => "fen",
            Payslips => "payslips",
            FeesReported | FeesUpheld => "reports",
            Complaints => "complaints",
            BrokerReports => "broker_reports",
            CasesOpened | CasesResolved => "cases",
            DaysToResolveMedian => "days",
            AgenciesByLicenceStatus => "agencies",
        }
    }

    pub fn measure(self) -> Measure {
        use Indicator::*;
        match self {
            WagesPaidGross | WagesPaidNet | LocalHires => Measure::Sum,
            AgreedWageMedian | AgreedWageLowest | AgreedWageOverFloorMedian | DaysToResolveMedian => {
                Measure::Middle
            }
            OnTimeReturnRate | PayslipComplianceRate => Measure::Rate,
            _ => Measure::Count,
        }
    }

    /// The breakdowns it answers (STATISTICS.md's last column).
    pub fn breakdowns(self) -> &'static [Breakdown] {
        use Indicator::*;
        match self {
            VacanciesPosted
            | PositionsPosted
            | LocalHires
            | VacanciesOpenToAgencies
            | AgreedWageMedian
            | AgreedWageLowest
            | AgreedWageOverFloorMedian => MARKET,
            PositionsFilled | Offers | Acceptances | Declines | Departures | ReturnsOnTime | ReturnsLate
            | OnTimeReturnRate | WagesPaidGross | WagesPaidNet => JOURNEY,
            OverstaysOpen => &[Region, County, Occupation, HomeProvince, Agency],
            Payslips | PayslipComplianceRate => &[ByMonth, Region, County, Occupation, Agency],
            FeesReported | FeesUpheld => &[ByMonth, HomeProvince, Agency],
            Complaints => &[ByMonth, Category, Agency],
            BrokerReports => &[ByMonth, Region, County, HomeProvince],
            CasesOpened | CasesResolved => &[ByMonth, Kind, Region, County, Agency],
            DaysToResolveMedian => &[ByMonth, Kind],
            AgenciesByLicenceStatus => &[Country],
        }
    }

    /// Taken at the end of the period rather than counted over it.
    pub fn is_stock(self) -> bool {
        matches!(self, Indicator::OverstaysOpen | Indicator::AgenciesByLicenceStatus)
    }

    /// Whom its cells count, for suppression.
    pub fn counts(self) -> Counts {
        use Indicator::*;
        match self {
            VacanciesPosted | PositionsPosted | LocalHires | VacanciesOpenToAgencies => Counts::Employers,
            Complaints | BrokerReports => Counts::Complainants,
            AgenciesByLicenceStatus => Counts::Nobody,
            _ => Counts::Workers,
        }
    }

    /// Its figures also carry an amount in fen (fee reports: how many, and how much).
    pub fn has_amount(self) -> bool {
        matches!(self, Indicator::FeesReported | Indicator::FeesUpheld)
    }

    /// Its rows are always split by a column of their own (agencies: by licence status).
    pub fn split(self) -> Option<&'static str> {
        (self == Indicator::AgenciesByLicenceStatus).then_some("status")
    }

    /// It can be narrowed to a Chinese region (the worksite's).
    pub fn has_worksite(self) -> bool {
        self.breakdowns().contains(&Region)
    }

    /// It can be narrowed to a Vietnamese home province (the worker's).
    pub fn has_home_province(self) -> bool {
        self.breakdowns().contains(&HomeProvince)
    }
}

/// A range of China's days, both ends included, at most ten years long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The period, or why not.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Period, &'static str> {
        if last < first {
            return Err("the period ends before it starts");
        }
        if first.checked_add_months(Months::new(LONGEST_PERIOD_MONTHS)).is_none_or(|bound| last >= bound) {
            return Err("at most ten years at once");
        }
        Ok(Period { first, last })
    }

    /// The twelve months up to `today`: from the first day of the month eleven months back.
    pub fn last_twelve_months(today: NaiveDate) -> Period {
        let first = first_of_month(today.year() * 12 + today.month0() as i32 - 11);
        Period { first, last: today }
    }

    /// One calendar month.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let last = first_of_month(year * 12 + month as i32) - Duration::days(1);
        Some(Period { first, last })
    }

    /// The instant the first day begins (midnight in China), in UTC.
    pub fn starts(self) -> DateTime<Utc> {
        china_midnight(self.first)
    }

    /// The instant after the last day ends (the next midnight in China), in UTC.
    pub fn ends(self) -> DateTime<Utc> {
        china_midnight(self.last + Duration::days(1))
    }

    /// Its months, `YYYY-MM`, oldest first.
    pub fn months(self) -> Vec<String> {
        let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
        (month_index(self.first)..=month_index(self.last))
            .map(|m| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
            .collect()
    }

    /// The whole calendar months within the period: the first day of the first and the last
    /// day of the last. None if it holds no whole month.
    pub fn whole_months(self) -> Option<(NaiveDate, NaiveDate)> {
        let month_index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
        let from =
            if self.first.day() == 1 { self.first } else { first_of_month(month_index(self.first) + 1) };
        let after = self.last + Duration::days(1);
        let until = if after.day() == 1 {
            self.last
        } else {
            first_of_month(month_index(self.last)) - Duration::days(1)
        };
        (from < until).then_some((from, until))
    }

    /// `first/last`, as ISO 8601 writes an interval of days.
    pub fn label(self) -> String {
        format!("{}/{}", self.first, self.last)
    }
}

/// A season of the scheme: from 1 September of its first year to 31 August of the next, which
/// holds the cane harvest (November to April) with its recruitment and returns. Written
/// `2026/27`; asked as `2026` or `2026/27`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Season(pub i32);

impl Season {
    /// The season `day` falls in.
    pub fn of(day: NaiveDate) -> Season {
        Season(if day.month() >= 9 { day.year() } else { day.year() - 1 })
    }

    /// `2026` or `2026/27` (the second year must follow the first).
    pub fn parse(text: &str) -> Option<Season> {
        let text = text.trim();
        let (first, second) = match text.split_once('/') {
            Some((first, second)) => (first, Some(second)),
            None => (text, None),
        };
        let year: i32 = first.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        match second {
            None => Some(Season(year)),
            Some(next) if next == format!("{:02}", (year + 1) % 100) || next == (year + 1).to_string() => {
                Some(Season(year))
            }
            Some(_) => None,
        }
    }

    pub fn label(self) -> String {
        format!("{}/{:02}", self.0, (self.0 + 1) % 100)
    }

    /// Its days: 1 September to 31 August.
    pub fn period(self) -> Period {
        let first = NaiveDate::from_ymd_opt(self.0, 9, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(self.0 + 1, 8, 31).unwrap_or(NaiveDate::MIN);
        Period { first, last }
    }

    pub fn previous(self) -> Season {
        Season(self.0 - 1)
    }
}

/// A calendar month of China's days, written `YYYY-MM`: what a monthly release covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Months since year 0: `year * 12 + month - 1`.
    index: i32,
}

impl Month {
    /// `YYYY-MM` exactly (four digits, a dash, two digits, 01 to 12), or none.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4
            || month.len() != 2
            || !(year.bytes().chain(month.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
        (1..=12).contains(&month).then(|| Month { index: year * 12 + month as i32 - 1 })
    }

    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Month {
        Month { index: day.year() * 12 + day.month0() as i32 }
    }

    /// The last month that has ended in China at `now`: the one before today's.
    pub fn last_closed(now: DateTime<Utc>) -> Month {
        Month::of(crate::domain::calendar::china_day(now)).previous()
    }

    /// Whether its last day has ended in China at `now`.
    pub fn is_closed(self, now: DateTime<Utc>) -> bool {
        self <= Month::last_closed(now)
    }

    pub fn previous(self) -> Month {
        Month { index: self.index - 1 }
    }

    pub fn next(self) -> Month {
        Month { index: self.index + 1 }
    }

    /// Its days.
    pub fn period(self) -> Period {
        let first = first_of_month(self.index);
        Period { first, last: first_of_month(self.index + 1) - Duration::days(1) }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.index.div_euclid(12), self.index.rem_euclid(12) + 1)
    }
}

fn first_of_month(month_index: i32) -> NaiveDate {
    let (year, month0) = (month_index.div_euclid(12), month_index.rem_euclid(12));
    NaiveDate::from_ymd_opt(year, month0 as u32 + 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Midnight in China (UTC+8 all year) at the start of `day`, in UTC.
fn china_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() - Duration::hours(8)
}

/// One figure: the breakdowns' keys (in the order asked), the split (agencies' status), the
/// value, a rate's parts, a fee figure's amount, and how many people it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub keys: Vec<Option<String>>,
    pub split: Option<String>,
    pub value: Option<i64>,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub amount_fen: Option<i64>,
    pub people: i64,
    pub suppressed: bool,
}

impl Cell {
    /// A rate in ‰, rounded down; none without a denominator.
    pub fn per_mille(numerator: i64, denominator: i64) -> Option<i64> {
        (denominator > 0).then(|| numerator.saturating_mul(1000) / denominator)
    }

    fn hide(&mut self) {
        self.suppressed = true;
        self.value = None;
        self.numerator = None;
        self.denominator = None;
        self.amount_fen = None;
    }
}

/// A line of a table: a cell's keys but one, and its split.
type LineKey = (Vec<Option<String>>, Option<String>);

/// Who was paid in one tally of payslips, as far as suppression needs to know: the distinct
/// workers named while they are four or fewer, then only "five or more". Tallies of one cell
/// merge exactly: a cell's people are counted exactly up to five ([`SMALLEST_PUBLIC_CELL`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paid {
    /// One to four workers, in order.
    Few(Vec<String>),
    /// Five or more.
    Many,
}

impl Paid {
    /// As stored: the count (5 for five or more) and up to four names.
    pub fn from_stored(workers: i32, names: [Option<String>; 4]) -> Paid {
        if i64::from(workers) >= SMALLEST_PUBLIC_CELL {
            return Paid::Many;
        }
        let mut names: Vec<String> = names.into_iter().flatten().collect();
        names.sort();
        names.dedup();
        Paid::Few(names)
    }

    /// With one more payslip paid to `worker`.
    pub fn with(self, worker: &str) -> Paid {
        match self {
            Paid::Few(mut names) if !names.iter().any(|n| n == worker) => {
                if names.len() + 1 >= SMALLEST_PUBLIC_CELL as usize {
                    return Paid::Many;
                }
                names.push(worker.to_owned());
                names.sort();
                Paid::Few(names)
            }
            same => same,
        }
    }

    /// The count as stored (5 for five or more).
    pub fn workers(&self) -> i32 {
        match self {
            Paid::Few(names) => names.len() as i32,
            Paid::Many => SMALLEST_PUBLIC_CELL as i32,
        }
    }

    /// The four name slots as stored.
    pub fn names(&self) -> [Option<String>; 4] {
        let mut slots: [Option<String>; 4] = Default::default();
        if let Paid::Few(names) = self {
            for (slot, name) in slots.iter_mut().zip(names) {
                *slot = Some(name.clone());
            }
        }
        slots
    }
}

/// Suppresses, for the public, every cell counting 1 to 4 people (a rate: whose numerator,
/// or the rest of its denominator, counts 1 to 4), and then, in each line of
/// the table (the cells that differ in one breakdown only), the smallest other cell where a
/// line holds exactly one suppressed cell — so that no suppressed figure can be recovered by
/// subtracting the others from the line's total. Repeats until nothing changes.
pub fn suppress(cells: &mut [Cell]) {
    let small = |n: i64| n > 0 && n < SMALLEST_PUBLIC_CELL;
    for cell in cells.iter_mut() {
        // A rate also gives away its parts: those meeting the condition and the rest.
        let small_part = match (cell.numerator, cell.denominator) {
            (Some(part), Some(whole)) => small(part) || small(whole - part),
            _ => false,
        };
        if small(cell.people) || small_part {
            cell.hide();
        }
    }
    let dimensions = cells.first().map_or(0, |c| c.keys.len());
    loop {
        let mut changed = false;
        for dimension in 0..dimensions {
            let mut lines: HashMap<LineKey, Vec<usize>> = HashMap::new();
            for (i, cell) in cells.iter().enumerate() {
                let mut rest = cell.keys.clone();
                rest.remove(dimension);
                lines.entry((rest, cell.split.clone())).or_default().push(i);
            }
            for line in lines.values() {
                if line.iter().filter(|&&i| cells[i].suppressed).count() != 1 {
                    continue;
                }
                let smallest = line
                    .iter()
                    .copied()
                    .filter(|&i| !cells[i].suppressed && cells[i].people > 0)
                    .min_by_key(|&i| (cells[i].people, cells[i].keys.clone()));
                if let Some(i) = smallest {
                    cells[i].hide();
                    changed = true;
                }
            }
        }
        if !changed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_names_up_to_four_workers_then_only_counts_five() {
        let mut paid = Paid::Few(Vec::new());
        for worker in ["d", "b", "b", "a", "c"] {
            paid = paid.with(worker);
        }
        assert_eq!(paid, Paid::Few(vec!["a".into(), "b".into(), "c".into(), "d".into()]));
        assert_eq!(paid.workers(), 4);
        assert_eq!(Paid::from_stored(paid.workers(), paid.names()), paid, "stored and read back");
        let five = paid.with("e");
        assert_eq!((five.clone(), five.workers(), five.names()), (Paid::Many, 5, Default::default()));
        assert_eq!(five.with("f"), Paid::Many);
        assert_eq!(Paid::from_stored(5, Default::default()), Paid::Many);
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn cell(keys: &[&str], people: i64) -> Cell {
        Cell {
            keys: keys.iter().map(|k| Some((*k).to_owned())).collect(),
            split: None,
            value: Some(people),
            numerator: None,
            denominator: None,
            amount_fen: None,
            people,
            suppressed: false,
        }
    }

    #[test]
    fn a_period_runs_from_china_midnight_to_china_midnight() {
        let period = Period::new(day("2026-11-01"), day("2026-11-30")).unwrap();
        assert_eq!(period.starts().to_rfc3339(), "2026-10-31T16:00:00+00:00");
        assert_eq!(period.ends().to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert_eq!(period.label(), "2026-11-01/2026-11-30");
    }

    #[test]
    fn a_period_is_ordered_and_at_most_ten_years_long() {
        assert!(Period::new(day("2026-11-02"), day("2026-11-01")).is_err());
        assert!(Period::new(day("2016-12-02"), day("2026-12-01")).is_ok());
        assert!(Period::new(day("2016-12-01"), day("2026-12-01")).is_err(), "ten years and a day");
    }

    #[test]
    fn months_cross_the_year() {
        let period = Period::new(day("2026-11-15"), day("2027-02-01")).unwrap();
        assert_eq!(period.months(), ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(Period::last_twelve_months(day("2026-12-01")).first, day("2026-01-01"));
        assert_eq!(Period::last_twelve_months(day("2026-03-31")).first, day("2025-04-01"));
        let feb = Period::month(2028, 2).unwrap();
        assert_eq!((feb.first, feb.last), (day("2028-02-01"), day("2028-02-29")));
        assert_eq!(Period::month(2026, 12).unwrap().last, day("2026-12-31"));
        assert!(Period::month(2026, 13).is_none());
    }

    #[test]
    fn a_period_holds_the_whole_months_it_covers() {
        let whole = |first: &str, last: &str| Period::new(day(first), day(last)).unwrap().whole_months();
        assert_eq!(whole("2026-11-15", "2027-02-01"), Some((day("2026-12-01"), day("2027-01-31"))));
        assert_eq!(whole("2026-11-01", "2026-11-30"), Some((day("2026-11-01"), day("2026-11-30"))));
        assert_eq!(whole("2026-01-01", "2026-12-01"), Some((day("2026-01-01"), day("2026-11-30"))));
        assert_eq!(whole("2026-11-02", "2026-11-30"), None);
        assert_eq!(whole("2026-11-01", "2026-11-29"), None);
        assert_eq!(whole("2026-11-15", "2026-12-14"), None);
        assert_eq!(whole("2028-02-01", "2028-02-29"), Some((day("2028-02-01"), day("2028-02-29"))));
    }

    #[test]
    fn a_season_runs_september_to_august() {
        assert_eq!(Season::of(day("2026-12-01")), Season(2026));
        assert_eq!(Season::of(day("2027-08-31")), Season(2026));
        assert_eq!(Season::of(day("2027-09-01")), Season(2027));
        assert_eq!(Season::parse("2026/27"), Some(Season(2026)));
        assert_eq!(Season::parse("2026/2027"), Some(Season(2026)));
        assert_eq!(Season::parse("2026"), Some(Season(2026)));
        assert_eq!(Season::parse("2026/28"), None);
        assert_eq!(Season::parse("next"), None);
        assert_eq!(Season(2026).label(), "2026/27");
        assert_eq!(Season(1999).label(), "1999/00");
        let period = Season(2026).period();
        assert_eq!((period.first, period.last), (day("2026-09-01"), day("2027-08-31")));
    }

    #[test]
    fn a_month_is_written_yyyy_mm_and_closes_when_its_last_day_ends_in_china() {
        let november = Month::parse("2026-11").unwrap();
        assert_eq!(november.to_string(), "2026-11");
        assert_eq!(november.period().label(), "2026-11-01/2026-11-30");
        assert_eq!(november.next().to_string(), "2026-12");
        assert_eq!(Month::parse("2027-01").unwrap().previous().to_string(), "2026-12");
        for bad in
            ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "+026-11", "２０２６-11", ""]
        {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
        // 30 November 2026 ends at 16:00 UTC (midnight in China).
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        assert!(!november.is_closed(at("2026-11-30T15:59:59Z")));
        assert!(november.is_closed(at("2026-11-30T16:00:00Z")));
        assert_eq!(Month::last_closed(at("2026-11-30T16:00:00Z")), november);
        assert_eq!(Month::of(day("2026-11-30")), november);
        assert!(november < november.next());
    }

    #[test]
    fn a_rate_is_per_mille_rounded_down_and_absent_without_a_denominator() {
        assert_eq!(Cell::per_mille(2, 3), Some(666));
        assert_eq!(Cell::per_mille(3, 3), Some(1000));
        assert_eq!(Cell::per_mille(0, 0), None);
    }

    #[test]
    fn a_small_cell_and_its_smallest_neighbour_are_suppressed() {
        let mut cells = vec![cell(&["a"], 3), cell(&["b"], 9), cell(&["c"], 7), cell(&["d"], 0)];
        suppress(&mut cells);
        let hidden: Vec<bool> = cells.iter().map(|c| c.suppressed).collect();
        assert_eq!(hidden, [true, false, true, false], "3 is small, 7 its complement, 0 stays 0");
        assert_eq!(cells[0].value, None);
        assert_eq!(cells[2].value, None);
        assert_eq!(cells[1].value, Some(9));
    }

    #[test]
    fn a_rate_whose_parts_are_small_is_suppressed() {
        let rate = |numerator: i64, denominator: i64| Cell {
            numerator: Some(numerator),
            denominator: Some(denominator),
            value: Cell::per_mille(numerator, denominator),
            ..cell(&["m"], denominator)
        };
        for (numerator, denominator, hidden) in
            [(4, 5, true), (1, 9, true), (5, 10, false), (0, 0, false), (9, 9, false)]
        {
            let mut cells = vec![rate(numerator, denominator)];
            suppress(&mut cells);
            assert_eq!(cells[0].suppressed, hidden, "{numerator} of {denominator}");
        }
    }

    #[test]
    fn two_small_cells_protect_each_other() {
        let mut cells = vec![cell(&["a"], 3), cell(&["b"], 2), cell(&["c"], 7)];
        suppress(&mut cells);
        assert_eq!(cells.iter().filter(|c| c.suppressed).count(), 2);
        assert!(!cells[2].suppressed);
    }

    #[test]
    fn suppression_protects_rows_and_columns_of_a_two_way_table() {
        // month × region: Jan/A is small. Its row and its column each get a complement,
        // and so on until every line with a hidden cell has two.
        let mut cells = vec![
            cell(&["jan", "A"], 2),
            cell(&["jan", "B"], 10),
            cell(&["jan", "C"], 20),
            cell(&["feb", "A"], 30),
            cell(&["feb", "B"], 40),
            cell(&["feb", "C"], 50),
        ];
        suppress(&mut cells);
        for dimension in 0..2 {
            let mut lines: HashMap<Vec<Option<String>>, usize> = HashMap::new();
            for c in cells.iter().filter(|c| c.suppressed) {
                let mut rest = c.keys.clone();
                rest.remove(dimension);
                *lines.entry(rest).or_default() += 1;
            }
            assert!(lines.values().all(|&n| n != 1), "no line has a lone hidden cell: {lines:?}");
        }
        assert!(cells[0].suppressed);
        assert!(cells[1].suppressed, "jan's smallest other cell");
        assert!(cells[3].suppressed, "A's smallest other cell");
    }

    #[test]
    fn every_indicator_has_a_unit_and_month_unless_it_is_a_stock() {
        for indicator in Indicator::ALL {
            assert!(!indicator.unit().is_empty());
            assert_eq!(
                indicator.breakdowns().contains(&Breakdown::Month),
                !indicator.is_stock(),
                "{indicator}"
            );
        }
    }
}
