//! A whole season at full size (`seasonlink demo --scale season`, issue 15): some twenty
//! licensed Vietnamese agencies holding 150,000 workers; 2,000 verified employers across
//! Chongzuo's counties; the last completed season's 10,000 vacancies, closed, with the
//! placements that filled them lived to their end (offers, acceptances, permits, crossings,
//! about a million payslips, complaints, fee reports and cases); and 10,000 open vacancies for
//! the coming season.
//!
//! Planned, not lived: the small demo (`history`) takes every step through its service; at
//! this size that would take hours, so the season is planned in memory from a seed and the
//! clock's `now`, and written in bulk (`db::bulk`: COPY on PostgreSQL, multi-row INSERTs on
//! SQLite), in one transaction, so that a failed load leaves nothing behind. What a service
//! would decide is decided by the same code: the floors by the floor lookup (read once per
//! region and occupation), pay terms by `PayTerms::check`, every move by the state machine
//! (`domain::placement::next`), contracts as `Terms` with their canonical hash, payslips by
//! `Payslip::consistency` and `Payslip::findings`, the hours guarantee by
//! `payslip::hours_shortfall`, a case's side by `domain::case::routed_to`, a worker's record
//! by `domain::worker::validate`. The bulk rows have no audit entries and make no events (the
//! partners' feed would otherwise carry a season at once); one audit entry records the load.
//!
//! Deterministic: the same seed, `now` and size give the same rows, ids and codes included
//! (UUIDv7s made from each row's instant and the generator), on either backend. Not the
//! password hashes (argon2 salts them; hashed once per load), and not the document numbers
//! of a database that already holds workers, which the new ones must not repeat.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use serde_json::json;

mod journeys;

use super::DEMO_PASSWORD;
use super::people::{SplitMix64, worker};
use crate::actor::Actor;
use crate::codes::CODE_ALPHABET;
use crate::db::agencies::{AgencyRow, LicenceEventRow};
use crate::db::bulk::{self, VacancyRecord, VacancySkillRow, WorkerRecord};
use crate::db::compliance::{CaseRow, ComplaintRow, FeeReportRow};
use crate::db::employers::EmployerRow;
use crate::db::users::UserRow;
use crate::db::vacancies::{DeductionRow, InsuranceRow};
use crate::db::workers::{LanguageRow, SkillRow};
use crate::db::{DbConnection, users, wage_floors as floors_db, workers as workers_db};
use crate::domain::account::{NewPassword, Phone, Role};
use crate::domain::authority::Country;
use crate::domain::case::{CaseKind, CaseStatus, SubjectKind, routed_to};
use crate::domain::contract::{self, FloorRef, Holder, Insurance, Named, Party, Terms};
use crate::domain::money::Fen;
use crate::domain::pay::{Deduction, PayBasis, PayFigures, PayTerms, PayViolation};
use crate::domain::placement::Action;
use crate::domain::statistics::Season;
use crate::domain::wage_floor::Floor;
use crate::domain::worker::{ValidWorker, validate};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::{
    AgencyId, CaseId, ComplaintId, EmployerId, FeeReportId, PlacementId, RuleId, UserId, VacancyId, WorkerId,
};
use crate::services::accounts;
use crate::services::placements::Rules;
use crate::services::reference::Reference;
use crate::services::{audit, authorities, wage_floors, workers};

/// The seed of `seasonlink demo --scale season`.
pub const SEASON_SEED: u64 = 0x5EA5_0171_5CA1_E015;

/// The rules the season's contracts were made under: `config/default.toml`'s grace period
/// and deductions cap (a contract carries its own, whatever the server's settings say now).
const RULES: Rules = Rules { permit_grace_days: 14, deductions_cap_percent: 20, pay_grace_days: 7 };
/// The local window of the default settings: agencies offer a vacancy's seats from a week
/// after it opened.
const LOCAL_WINDOW_DAYS: i64 = 7;

/// The accounts of the season's regulators (password [`DEMO_PASSWORD`]); the first is also
/// the mark that the season is loaded.
pub const SEASON_REGULATORS: [(&str, Country); 2] =
    [("regulator-cn@season.seasonlink.vn", Country::CN), ("regulator-vn@season.seasonlink.vn", Country::VN)];

/// The e-mail of the season's `n`th agency account (from 1; password [`DEMO_PASSWORD`]).
pub fn agency_email(n: usize) -> String {
    format!("agency{n:02}@season.seasonlink.vn")
}

/// The e-mail of the season's `n`th employer account (from 1; password [`DEMO_PASSWORD`]).
pub fn employer_email(n: usize) -> String {
    format!("employer{n:04}@season.seasonlink.vn")
}

/// How big a season to load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeasonSize {
    /// Licensed Vietnamese agencies; the first holds a third of the workers.
    pub agencies: usize,
    pub workers: usize,
    /// Verified employers.
    pub employers: usize,
    /// The last completed season's vacancies, closed, which carry its placements.
    pub past_vacancies: usize,
    /// The coming season's vacancies, open.
    pub open_vacancies: usize,
}

impl SeasonSize {
    /// A season at full size (issue 15).
    pub fn season() -> SeasonSize {
        SeasonSize {
            agencies: 20,
            workers: 150_000,
            employers: 2_000,
            past_vacancies: 10_000,
            open_vacancies: 10_000,
        }
    }

    /// The same shape, small enough for a test.
    pub fn tiny() -> SeasonSize {
        SeasonSize { agencies: 2, workers: 300, employers: 20, past_vacancies: 40, open_vacancies: 40 }
    }
}

/// What a load wrote, table by table; all zero (and `loaded` false) when the season was
/// there already.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SeasonReport {
    pub loaded: bool,
    /// Accounts (`users`): regulators, agencies, employers and the workers who were offered a seat.
    pub accounts: usize,
    pub agencies: usize,
    pub employers: usize,
    pub workers: usize,
    /// Vacancies, past and open.
    pub vacancies: usize,
    pub open_vacancies: usize,
    pub placements: usize,
    /// Lines of the placements' timelines (`placement_events`).
    pub placement_events: usize,
    pub contracts: usize,
    pub acceptances: usize,
    pub permits: usize,
    /// Border crossings (`border_events`), out and back.
    pub crossings: usize,
    /// The workers' season records (`worker_returns`).
    pub returns: usize,
    pub alerts: usize,
    pub payslips: usize,
    pub payslip_deductions: usize,
    pub findings: usize,
    pub cases: usize,
    pub fee_reports: usize,
    pub complaints: usize,
}

/// Past vacancies written per batch, with everything that hangs from them.
const VACANCIES_PER_BATCH: usize = 250;

/// Loads the season once, in one transaction: skipped (a report with `loaded` false) when its
/// first regulator's account exists. Dates are relative to `now`: the last completed season
/// (`Season`, September to August) before the one `now` falls in, and a coming season that
/// starts a week after `now`.
pub fn load_season(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    size: &SeasonSize,
    seed: u64,
) -> Result<SeasonReport, AppError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        if let DbConnection::Postgres(pg) = conn {
            // Minutes of COPY and index work in one transaction: past the server's bound.
            diesel::connection::SimpleConnection::batch_execute(pg, "SET LOCAL statement_timeout = 0")?;
        }
        if users::find_user_by_email(conn, SEASON_REGULATORS[0].0)?.is_some() {
            return Ok(SeasonReport::default());
        }
        let report = bulk::with_stamps_held(conn, |conn| Loader::new(conn, now, size, seed)?.load(conn))?;
        let detail = json!({"seed": format!("{seed:#x}"), "report": report});
        audit::record(conn, None, "demo.season_loaded", ("demo", "season"), detail, now)?;
        Ok(report)
    })
}

fn internal(what: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("season demo: {what}"))
}

/// An instant `minutes` after midnight of `day` in China (UTC+8 all year).
fn china(day: NaiveDate, minutes: i64) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::minutes(minutes) - Duration::hours(8)
}

/// The day in China of an instant.
fn china_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

fn naive(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

/// The generator: one stream for what the season holds, one for ids and codes, so that a
/// change in how many ids are drawn does not move the season itself.
struct Draw {
    rng: SplitMix64,
    ids: SplitMix64,
}

impl Draw {
    fn new(seed: u64) -> Draw {
        Draw { rng: SplitMix64(seed), ids: SplitMix64(seed ^ 0x1D5_1D5_1D5) }
    }

    /// A UUIDv7 for a row made at `at`.
    fn id(&mut self, at: DateTime<Utc>) -> String {
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.ids.next().to_le_bytes());
        random[8..].copy_from_slice(&self.ids.next().to_le_bytes()[..2]);
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid().to_string()
    }

    /// `len` characters of the alphabet of codes people type.
    fn code(&mut self, len: usize) -> String {
        (0..len).map(|_| CODE_ALPHABET[self.ids.below(CODE_ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// 128 random bits in hex: a contract's salt.
    fn salt(&mut self) -> String {
        format!("{:016x}{:016x}", self.ids.next(), self.ids.next())
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.rng.below(u64::try_from(hi - lo + 1).unwrap_or(1)) as i64
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.rng.below(1000) < per_mille
    }
}

/// The days the season is built around, in China.
struct Calendar {
    now: DateTime<Utc>,
    /// The last completed season: its harvest runs from November to April or May.
    year: i32,
    /// The scheme's parties were set up a month before that season began.
    set_up: NaiveDate,
    /// The coming season's first vacancies start a week after today.
    coming_start: NaiveDate,
}

impl Calendar {
    fn new(now: DateTime<Utc>) -> Calendar {
        let today = china_day(now);
        let last = Season::of(today).previous();
        Calendar {
            now,
            year: last.0,
            set_up: last.period().first - Duration::days(30),
            coming_start: today + Duration::days(7),
        }
    }

    fn today(&self) -> NaiveDate {
        china_day(self.now)
    }

    fn day(&self, month: u32, day: u32) -> NaiveDate {
        let year = if month >= 9 { self.year } else { self.year + 1 };
        NaiveDate::from_ymd_opt(year, month, day).unwrap_or(self.set_up)
    }
}

/// The border provinces the agencies work from, with the places their names come from.
const PROVINCES: [(&str, &str, &[&str]); 4] = [
    ("VN-09", "LS", &["Xứ Lạng", "Đồng Đăng", "Chi Lăng", "Tràng Định", "Lộc Bình", "Văn Lãng"]),
    ("VN-04", "CB", &["Non Nước Cao Bằng", "Trùng Khánh", "Hà Quảng", "Thạch An", "Phục Hòa"]),
    ("VN-13", "QN", &["Móng Cái", "Hải Hà", "Bình Liêu", "Tiên Yên", "Đầm Hà"]),
    ("VN-03", "HG", &["Hà Giang", "Đồng Văn", "Yên Minh", "Quản Bạ", "Bắc Quang"]),
];
const AGENCY_FORMS: [&str; 4] =
    ["Labour Supply JSC", "Manpower Co., Ltd.", "Overseas Workers JSC", "Human Resources Co., Ltd."];

/// Chongzuo's counties weighted by their cane (Fusui and Jiangzhou grow the most), each with
/// the crossing its workers use. Nanning is not in the reference data, so none are there.
const COUNTIES: [(&str, &str, &str, u32); 7] = [
    ("451421", "Fusui", "youyiguan", 30),
    ("451402", "Jiangzhou", "youyiguan", 18),
    ("451422", "Ningming", "aidian", 14),
    ("451423", "Longzhou", "shuikou", 10),
    ("451424", "Daxin", "shuikou", 10),
    ("451425", "Tiandeng", "shuikou", 6),
    ("451481", "Pingxiang", "youyiguan", 6),
];
const EMPLOYER_FORMS: [&str; 5] =
    ["Cane Growers' Cooperative", "Sugar Co.", "Cane Estate", "Agricultural Co.", "Sugar Mill"];

/// A kind of job: what the employers post, weighted.
struct JobKind {
    title: &'static str,
    occupation: &'static str,
    skill: Option<&'static str>,
    basis: PayBasis,
    weight: u32,
    weeks: (i64, i64),
    hours: (i32, i32),
    meals: Option<(i64, i64)>,
    zh: &'static str,
    vi: &'static str,
}

const JOBS: [JobKind; 5] = [
    JobKind {
        title: "Cane cutters, harvest season",
        occupation: "sugarcane_cutting",
        skill: Some("cane_knife"),
        basis: PayBasis::Piece,
        weight: 50,
        weeks: (14, 20),
        hours: (48, 40),
        meals: Some((15_000, 25_000)),
        zh: "甘蔗砍收，计件，保底时薪，包住。",
        vi: "Chặt mía, trả theo tấn, bảo đảm lương theo giờ, có chỗ ở.",
    },
    JobKind {
        title: "Cane loaders",
        occupation: "cane_loading",
        skill: Some("heavy_loading"),
        basis: PayBasis::Hourly,
        weight: 22,
        weeks: (14, 20),
        hours: (48, 40),
        meals: Some((15_000, 20_000)),
        zh: "甘蔗装车，按小时计酬。",
        vi: "Bốc xếp mía lên xe, trả theo giờ.",
    },
    JobKind {
        title: "Tractor drivers for cane haulage",
        occupation: "cane_loading",
        skill: Some("tractor_driving"),
        basis: PayBasis::Hourly,
        weight: 4,
        weeks: (14, 20),
        hours: (48, 40),
        meals: None,
        zh: "运蔗拖拉机司机。",
        vi: "Lái máy kéo chở mía.",
    },
    JobKind {
        title: "Sugar-mill crushing season crew",
        occupation: "sugar_mill",
        skill: Some("machine_operation"),
        basis: PayBasis::Monthly,
        weight: 6,
        weeks: (16, 22),
        hours: (48, 40),
        meals: Some((20_000, 25_000)),
        zh: "糖厂榨季工人，按月计酬。",
        vi: "Công nhân nhà máy đường mùa ép, trả theo tháng.",
    },
    JobKind {
        title: "Cassava harvest hands",
        occupation: "cassava_harvest",
        skill: None,
        basis: PayBasis::Hourly,
        weight: 18,
        weeks: (6, 10),
        hours: (40, 40),
        meals: None,
        zh: "木薯收获，按小时计酬。",
        vi: "Thu hoạch sắn, trả theo giờ.",
    },
];

struct Agency {
    id: AgencyId,
    name: String,
    licence_number: String,
    province: &'static str,
    user: UserId,
    workers: usize,
}

struct Employer {
    id: EmployerId,
    name: String,
    region: &'static str,
    crossing: &'static str,
    user: UserId,
}

struct Person {
    agency: usize,
    worker: ValidWorker,
    id: WorkerId,
    /// The account's sign-in: the worker's phone, E.164.
    phone: String,
    registered: DateTime<Utc>,
    /// The seat it was offered, if any (one a season).
    seat: Option<usize>,
}

/// A vacancy with what was decided about it.
struct Job {
    kind: usize,
    employer: usize,
    record: VacancyRecord,
    deductions: Vec<Deduction>,
    floor: Floor,
    figures: PayFigures,
    /// The group policy its contracts state, verified at each permit.
    insurance: Insurance,
}

/// What became of a worker offered a seat.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Fate {
    Declined,
    /// Accepted and permitted, then the agency withdrew (the worker fell ill).
    Withdrawn,
    #[default]
    OnTime,
    /// Came home after the permit's last day, once the sweeper had raised it.
    Late,
    /// Never came home: an overstay still open.
    Overstay,
    /// The employer ended the placement early; the worker came home at once.
    Terminated,
    /// Paid for too few hours: the hours guarantee opens a case at the season's end.
    HoursShort,
    /// One payslip below the floor.
    BelowFloor,
    /// One payslip deducts what the contract does not name.
    NotInContract,
}

/// The fates of those who departed, per mille, in this order (the rest come home on time).
const FATES: [(Fate, u64); 6] = [
    (Fate::Overstay, 3),
    (Fate::Late, 37),
    (Fate::Terminated, 12),
    (Fate::HoursShort, 10),
    (Fate::BelowFloor, 15),
    (Fate::NotInContract, 5),
];

/// One offer of a past vacancy's seat, and the days of its journey.
struct Seat {
    job: usize,
    person: usize,
    fate: Fate,
    offered: DateTime<Utc>,
    /// The worker activated its account in person and answered (accepted or declined).
    activated: DateTime<Utc>,
    answered: DateTime<Utc>,
    lang: &'static str,
    journey: Journey,
    /// The worker's account, once written.
    account: Option<UserId>,
}

/// A crossing: when it happened, and when the agency recorded it.
#[derive(Clone, Copy, Debug)]
struct Crossed {
    at: DateTime<Utc>,
    recorded: DateTime<Utc>,
}

/// The days of one seat's journey after the worker's answer; what did not happen is `None`.
#[derive(Clone, Copy, Debug, Default)]
struct Journey {
    permit_issued: Option<DateTime<Utc>>,
    withdrawn: Option<DateTime<Utc>>,
    departed: Option<Crossed>,
    /// Completed (at the season's end) or terminated (early), by the employer.
    finished: Option<(Action, DateTime<Utc>)>,
    /// Marked by the sweeper the day after the permit ran out.
    overstayed: Option<DateTime<Utc>>,
    returned: Option<Crossed>,
}

/// The whole plan, then the rows, written batch by batch.
struct Loader {
    cal: Calendar,
    draw: Draw,
    size: SeasonSize,
    cn: Actor,
    vn: Actor,
    password_hash: String,
    reference: Reference,
    named: HashMap<String, Named>,
    agencies: Vec<Agency>,
    employers: Vec<Employer>,
    people: Vec<Person>,
    jobs: Vec<Job>,
    seats: Vec<Seat>,
    report: SeasonReport,
}

impl Loader {
    /// The parties that go through their services (the two regulators and, on a database
    /// without them, the demo's wage floor rules), and the generator.
    fn new(
        conn: &mut DbConnection,
        now: DateTime<Utc>,
        size: &SeasonSize,
        seed: u64,
    ) -> Result<Loader, AppError> {
        let cal = Calendar::new(now);
        let set_up = china(cal.set_up, 9 * 60);
        let mut draw = Draw::new(seed);
        let password = NewPassword::parse(DEMO_PASSWORD).map_err(internal)?;
        let password_hash = accounts::hash_password(&password)?;
        let mut regulators = Vec::new();
        let mut rows = Vec::new();
        for (email, country) in SEASON_REGULATORS {
            let authority = authorities::national_in(conn, country, set_up)?;
            let user_id = UserId::from(draw.id(set_up));
            rows.push(UserRow {
                id: user_id.clone(),
                email: Some(email.to_owned()),
                phone: None,
                password_hash: password_hash.clone(),
                role: Role::Regulator.as_str().to_owned(),
                org_id: Some(authority.id.clone().into()),
                created_at: naive(set_up),
                language: None,
                activated_at: Some(naive(set_up)),
            });
            regulators.push(Actor { user_id, role: Role::Regulator, org_id: Some(authority.id.into()) });
        }
        let accounts = bulk::write(conn, &rows)?;
        let [cn, vn]: [Actor; 2] = regulators.try_into().map_err(|_| internal("two regulators"))?;
        // China's side keeps the floors: on a database without any, it enters the demo's
        // through the floors' service.
        if floors_db::list(conn, None)?.is_empty() {
            let in_force = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap_or_default().min(cal.set_up);
            for rule in super::rules(in_force) {
                wage_floors::create_rule_in(conn, &cn, rule, set_up)?;
            }
        }
        Ok(Loader {
            cal,
            draw,
            size: *size,
            cn,
            vn,
            password_hash,
            reference: Reference::load(conn)?,
            named: HashMap::new(),
            agencies: Vec::new(),
            employers: Vec::new(),
            people: Vec::new(),
            jobs: Vec::new(),
            seats: Vec::new(),
            report: SeasonReport { loaded: true, accounts, ..SeasonReport::default() },
        })
    }

    fn load(mut self, conn: &mut DbConnection) -> Result<SeasonReport, AppError> {
        self.write_agencies(conn)?;
        self.write_employers(conn)?;
        self.plan_people(conn)?;
        self.plan_jobs(conn)?;
        self.plan_seats();
        self.write_people(conn)?;
        self.write_jobs(conn)?;
        bulk::analyze(conn, &["users", "agencies", "employers", "workers", "vacancies", "worker_returns"])?;
        self.write_journeys(conn)?;
        self.write_fees_and_complaints(conn)?;
        // The payslips and journeys went in without the services, which keep the statistics'
        // tallies and facts as they write.
        crate::db::statistics::retally(conn)?;
        // So that the first queries on the season read it through its indexes.
        bulk::analyze(
            conn,
            &[
                &journeys::JOURNEY_TABLES[..],
                &["payslip_deductions", "findings", "alerts", "payslip_tallies", "placement_facts"],
            ]
            .concat(),
        )?;
        Ok(self.report)
    }

    fn account(
        &self,
        id: UserId,
        email: Option<String>,
        phone: Option<String>,
        role: Role,
        org: String,
        at: DateTime<Utc>,
    ) -> UserRow {
        UserRow {
            id,
            email,
            phone,
            password_hash: self.password_hash.clone(),
            role: role.as_str().to_owned(),
            org_id: Some(org.into()),
            created_at: naive(at),
            language: None,
            activated_at: Some(naive(at)),
        }
    }

    /// The agencies, licensed by Viet Nam's side when the scheme was set up, each with its
    /// account; the first holds a third of the workers, the others share the rest.
    fn write_agencies(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let n = self.size.agencies.max(1);
        let at = china(self.cal.set_up, 10 * 60);
        let first = self.size.workers / 3;
        let weights: Vec<usize> = (1..n).map(|_| 3 + self.draw.rng.below(5) as usize).collect();
        let total: usize = weights.iter().sum();
        let rest = self.size.workers - if n > 1 { first } else { self.size.workers };
        let mut shares = vec![if n > 1 { first } else { self.size.workers }];
        let mut given = 0;
        for (i, w) in weights.iter().enumerate() {
            let share = if i + 2 == n { rest - given } else { rest * w / total.max(1) };
            given += share;
            shares.push(share);
        }
        let (mut rows, mut events, mut accounts) = (Vec::new(), Vec::new(), Vec::new());
        for (i, workers) in shares.into_iter().enumerate() {
            let (province, abbreviation, places) = PROVINCES[i % PROVINCES.len()];
            let place = places[(i / PROVINCES.len()) % places.len()];
            let name = format!("{place} {} (season demo)", AGENCY_FORMS[i % AGENCY_FORMS.len()]);
            let licence_number = format!("VN-{abbreviation}-{}-S{:03}", self.cal.year, i + 1);
            let id = AgencyId::from(self.draw.id(at));
            let user = UserId::from(self.draw.id(at));
            let offset = i64::try_from(i).unwrap_or(0);
            rows.push(AgencyRow {
                id: id.clone(),
                name: name.clone(),
                country: Country::VN.as_str().to_owned(),
                licence_number: licence_number.clone(),
                licence_valid_from: self.cal.set_up - Duration::days(365),
                licence_valid_until: self.cal.today() + Duration::days(365 + 30 * offset),
                licence_state: "active".to_owned(),
                created_by: Some(self.vn.user_id.clone()),
                created_at: naive(at),
                updated_at: naive(at),
            });
            events.push(LicenceEventRow {
                id: self.draw.id(at),
                agency_id: id.clone(),
                event: "created".to_owned(),
                reason: None,
                by_user_id: Some(self.vn.user_id.clone()),
                at: naive(at),
            });
            accounts.push(self.account(
                user.clone(),
                Some(agency_email(i + 1)),
                None,
                Role::Agency,
                id.to_string(),
                at,
            ));
            self.agencies.push(Agency { id, name, licence_number, province, user, workers });
        }
        self.report.agencies = bulk::write(conn, &rows)?;
        bulk::write(conn, &events)?;
        self.report.accounts += bulk::write(conn, &accounts)?;
        Ok(())
    }

    /// The employers, registered and verified by China's side when the scheme was set up.
    fn write_employers(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let at = china(self.cal.set_up, 11 * 60);
        let counties: Vec<(usize, u32)> = COUNTIES.iter().enumerate().map(|(i, c)| (i, c.3)).collect();
        let (mut rows, mut accounts) = (Vec::new(), Vec::new());
        for i in 0..self.size.employers {
            let (region, county, crossing, _) = COUNTIES[self.draw.rng.pick(&counties)];
            let name =
                format!("{county} {} No. {} (season demo)", EMPLOYER_FORMS[i % EMPLOYER_FORMS.len()], i + 1);
            let id = EmployerId::from(self.draw.id(at));
            let user = UserId::from(self.draw.id(at));
            rows.push(EmployerRow {
                id: id.clone(),
                name: name.clone(),
                registration_no: format!("91{region}SEAS{:05}", i + 1),
                region_code: region.to_owned(),
                status: "verified".to_owned(),
                verified_at: Some(naive(at + Duration::hours(1))),
                verified_by: Some(self.cn.user_id.clone()),
                created_at: naive(at),
            });
            accounts.push(self.account(
                user.clone(),
                Some(employer_email(i + 1)),
                None,
                Role::Employer,
                id.to_string(),
                at,
            ));
            self.employers.push(Employer { id, name, region, crossing, user });
        }
        self.report.employers = bulk::write(conn, &rows)?;
        self.report.accounts += bulk::write(conn, &accounts)?;
        Ok(())
    }

    /// The workers, as the demo's people generator makes them for each agency's province,
    /// checked as registration checks them; each with a phone of its own, which its account
    /// signs in with.
    fn plan_people(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let today = self.cal.today();
        let context = workers::context(conn, today)?;
        let mut documents: HashSet<String> = workers_db::document_numbers(conn)?.into_iter().collect();
        for (a, agency) in self.agencies.iter().enumerate() {
            for _ in 0..agency.workers {
                let n = self.people.len();
                let mut draft =
                    worker(&mut self.draw.rng, agency.province, today, self.cal.coming_start, &mut documents);
                // Unique among the season's workers, and apart from the small demo's (+84 9…).
                let number = (n as u64).wrapping_mul(7_777_777).wrapping_add(1_234_567) % 100_000_000;
                draft.phone = Some(format!(
                    "+84 8{:02} {:03} {:03}",
                    number / 1_000_000,
                    number / 1_000 % 1_000,
                    number % 1_000
                ));
                let phone = Phone::parse(draft.phone.as_deref().unwrap_or_default()).map_err(internal)?;
                let worker = validate(draft, &context).map_err(|e| internal(format!("worker {n}: {e:?}")))?;
                let registered = china(
                    self.cal.set_up + Duration::days(self.draw.between(1, 25)),
                    self.draw.between(8 * 60, 17 * 60),
                );
                let id = WorkerId::from(self.draw.id(registered));
                self.people.push(Person {
                    agency: a,
                    worker,
                    id,
                    phone: phone.as_str().to_owned(),
                    registered,
                    seat: None,
                });
            }
        }
        Ok(())
    }

    /// The floor for a job, read once per region, occupation and season through the floor
    /// lookup: the highest rule in force on any day of the season's window, so that every
    /// vacancy and payslip in it is held to at least its own day's floor.
    fn floor(
        conn: &mut DbConnection,
        cache: &mut HashMap<(&'static str, &'static str, bool), Floor>,
        key: (&'static str, &'static str, bool),
        window: (NaiveDate, NaiveDate),
    ) -> Result<Floor, AppError> {
        if let Some(floor) = cache.get(&key) {
            return Ok(floor.clone());
        }
        let floor = wage_floors::floor_over(conn, key.0, Some(key.1), window.0, window.1)?;
        cache.insert(key, floor.clone());
        Ok(floor)
    }

    /// The vacancies: the last season's, closed after their harvest, then the coming
    /// season's, open. Every wage at or above its floor, as `PayTerms::check` decides.
    fn plan_jobs(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let past_window = (self.cal.day(11, 1), self.cal.day(6, 30));
        let coming = self.cal.coming_start;
        let coming_window = (coming, coming + Duration::days(30) + Duration::weeks(22));
        let kinds: Vec<(usize, u32)> = JOBS.iter().enumerate().map(|(i, j)| (i, j.weight)).collect();
        let mut floors = HashMap::new();
        for n in 0..self.size.past_vacancies + self.size.open_vacancies {
            let open = n >= self.size.past_vacancies;
            let kind = self.draw.rng.pick(&kinds);
            let job = &JOBS[kind];
            let employer = self.draw.rng.below(self.employers.len().max(1) as u64) as usize;
            let (region, crossing) = (self.employers[employer].region, self.employers[employer].crossing);
            let floor = Self::floor(
                conn,
                &mut floors,
                (region, job.occupation, open),
                if open { coming_window } else { past_window },
            )?;
            let (opened, start) = if open {
                let opened = china(
                    self.cal.today() - Duration::days(self.draw.between(1, 30)),
                    self.draw.between(8 * 60, 18 * 60),
                );
                (opened, coming + Duration::days(self.draw.between(0, 30)))
            } else {
                let opened = china(
                    self.cal.day(9, 1) + Duration::days(self.draw.between(0, 49)),
                    self.draw.between(8 * 60, 18 * 60),
                );
                (opened, self.cal.day(11, 1) + Duration::days(self.draw.between(0, 39)))
            };
            let end =
                start + Duration::weeks(self.draw.between(job.weeks.0, job.weeks.1)) - Duration::days(1);
            let deductions: Vec<Deduction> = job
                .meals
                .map(|(lo, hi)| Deduction {
                    kind: "meals".into(),
                    fen_per_month: Fen::new(self.draw.between(lo / 500, hi / 500) * 500),
                })
                .into_iter()
                .collect();
            let floor_fen = floor.hourly_fen.get();
            let (wage, guaranteed) = match job.basis {
                PayBasis::Piece => {
                    (self.draw.between(240, 270) * 50, Some(floor_fen + self.draw.between(4, 8) * 50))
                }
                PayBasis::Hourly => (floor_fen + self.draw.between(4, 12) * 50, None),
                PayBasis::Monthly => {
                    // Above the floor by 1.50 to 4 CNY an hour, in whole yuan a month.
                    let hours = i64::from(job.hours.0) * 52 / 12;
                    (((floor_fen + self.draw.between(150, 400)) * hours / 100) * 100, None)
                }
            };
            let mut terms = PayTerms {
                basis: job.basis,
                wage_fen: Fen::new(wage),
                guaranteed_hourly_fen: guaranteed.map(Fen::new),
                hours_per_week: i64::from(job.hours.0),
                deductions: deductions.clone(),
            };
            // An employer whose meals would take the pay below the floor raises the pay.
            let figures = loop {
                match terms.check(floor.hourly_fen, RULES.deductions_cap_percent) {
                    Ok(figures) => break figures,
                    Err(PayViolation::BelowFloor { shortfall_fen, .. }) => {
                        let raise = shortfall_fen.checked_add(Fen::new(50)).ok_or_else(|| internal("pay"))?;
                        let raised = |fen: Fen| fen.checked_add(raise);
                        match job.basis {
                            PayBasis::Piece => {
                                terms.guaranteed_hourly_fen = terms.guaranteed_hourly_fen.and_then(raised)
                            }
                            PayBasis::Hourly => {
                                terms.wage_fen = raised(terms.wage_fen).ok_or_else(|| internal("pay"))?
                            }
                            PayBasis::Monthly => {
                                let monthly = raise
                                    .checked_mul(i64::from(job.hours.0) * 52)
                                    .and_then(|f| f.checked_div(12));
                                terms.wage_fen = monthly
                                    .and_then(|m| terms.wage_fen.checked_add(m))
                                    .ok_or_else(|| internal("pay"))?;
                            }
                        }
                    }
                    Err(other) => return Err(internal(format!("{other:?}"))),
                }
            };
            let closed = china(end + Duration::days(1), 18 * 60);
            let record = VacancyRecord {
                id: VacancyId::from(self.draw.id(opened)),
                employer_id: self.employers[employer].id.clone(),
                title: job.title.to_owned(),
                occupation_code: job.occupation.to_owned(),
                region_code: region.to_owned(),
                crossing_code: crossing.to_owned(),
                headcount: 1,
                season_start: start,
                season_end: end,
                hours_per_week: job.hours.0,
                guaranteed_hours_per_week: job.hours.1,
                pay_basis: job.basis.as_str().to_owned(),
                wage_fen: terms.wage_fen,
                piece_unit: (job.basis == PayBasis::Piece).then(|| "tonne".to_owned()),
                guaranteed_hourly_fen: terms.guaranteed_hourly_fen,
                housing_provided: job.meals.is_some(),
                description_zh: Some(job.zh.to_owned()),
                description_vi: Some(job.vi.to_owned()),
                status: if open { "open" } else { "closed" }.to_owned(),
                hourly_equivalent_fen: figures.hourly_equivalent_fen,
                floor_hourly_fen: floor.hourly_fen,
                floor_rule_id: RuleId::from(floor.binding.id.as_str()),
                created_at: naive(opened),
                updated_at: naive(if open { opened } else { closed }),
                seats_taken: 0,
                opened_at: Some(naive(opened)),
                open_to_agencies_on: Some(china_day(opened) + Duration::days(LOCAL_WINDOW_DAYS)),
            };
            let insurance = super::insurance(record.id.as_str());
            self.jobs.push(Job { kind, employer, record, deductions, floor, figures, insurance });
        }
        Ok(())
    }

    /// Who was offered which seat of the last season, and what became of it. Each worker is
    /// offered one seat at most; a seat needs the job's skill; a seat whose first offer was
    /// declined or withdrawn went to the next worker. About 85 % of the workers are offered
    /// one, so that the coming season has both returning workers and new ones.
    fn plan_seats(&mut self) {
        let past = self.size.past_vacancies;
        // Seats for 85 % of the workers, less the offers declined or withdrawn (about 7 %).
        let wanted = self.size.workers * 85 / 100 * 100 / 107;
        let mean_x100 = i64::try_from(wanted * 100 / past.max(1)).unwrap_or(100);
        // The rarest skills first, so that those who have them are placed there.
        let rarity = |kind: usize| match JOBS[kind].skill {
            Some("tractor_driving") => 0,
            Some("machine_operation") => 1,
            Some("cane_knife") => 2,
            Some(_) => 3,
            None => 4,
        };
        let mut order: Vec<usize> = (0..past).collect();
        order.sort_by_key(|&j| (rarity(self.jobs[j].kind), j));
        // The agencies offer their workers in an order of their own: a shuffle.
        let mut queue: Vec<(u64, usize)> =
            (0..self.people.len()).map(|p| (self.draw.rng.next(), p)).collect();
        queue.sort_unstable();
        let queue: Vec<usize> = queue.into_iter().map(|(_, p)| p).collect();
        let mut cursors: HashMap<Option<&'static str>, usize> = HashMap::new();
        let fates: Vec<(Fate, u32)> = FATES.iter().map(|(f, w)| (*f, *w as u32)).collect();
        let mut plans = Vec::new();
        for j in order {
            let headcount = ((mean_x100 * self.draw.between(60, 140) / 100 + 50) / 100).max(1);
            self.jobs[j].record.headcount = i32::try_from(headcount).unwrap_or(1);
            let skill = JOBS[self.jobs[j].kind].skill;
            let opened = self.jobs[j].record.opened_at.unwrap_or_default().and_utc();
            let start = self.jobs[j].record.season_start;
            for _ in 0..headcount {
                loop {
                    let fate = if self.draw.chance(60) {
                        Fate::Declined
                    } else if self.draw.chance(5) {
                        Fate::Withdrawn
                    } else if self.draw.chance(fates.iter().map(|f| u64::from(f.1)).sum()) {
                        self.draw.rng.pick(&fates)
                    } else {
                        Fate::OnTime
                    };
                    let cursor = cursors.entry(skill).or_insert(0);
                    let found = queue[*cursor..].iter().position(|&p| {
                        self.people[p].seat.is_none()
                            && skill.is_none_or(|s| self.people[p].worker.skills.iter().any(|k| k == s))
                    });
                    let Some(offset) = found else { break };
                    *cursor += offset + 1;
                    let person = queue[*cursor - 1];
                    // Offered within two weeks of the local window's end, answered within a
                    // week, at least ten days before the season.
                    let local = opened + Duration::days(LOCAL_WINDOW_DAYS);
                    let latest = (china(start - Duration::days(10), 9 * 60) - local).num_days().max(1);
                    let offered = local
                        + Duration::days(self.draw.between(1, latest.min(14)))
                        + Duration::minutes(self.draw.between(0, 300));
                    let activated = china(
                        china_day(offered) + Duration::days(self.draw.between(1, 5)),
                        self.draw.between(8 * 60, 11 * 60),
                    );
                    let answered = activated + Duration::minutes(self.draw.between(15, 90));
                    let lang = if self.draw.chance(60) { Lang::ZhCn.tag() } else { Lang::Vi.tag() };
                    let (end, answered_day) = (self.jobs[j].record.season_end, china_day(answered));
                    let journey = self.journey(fate, (start, end), answered_day);
                    self.people[person].seat = Some(plans.len());
                    plans.push(Seat {
                        job: j,
                        person,
                        fate,
                        offered,
                        activated,
                        answered,
                        lang,
                        journey,
                        account: None,
                    });
                    if !matches!(fate, Fate::Declined | Fate::Withdrawn) {
                        break;
                    }
                }
            }
        }
        // In the order of the vacancies, so that each batch holds its vacancies' seats.
        plans.sort_by_key(|s| (s.job, s.offered));
        for (i, seat) in plans.iter().enumerate() {
            self.people[seat.person].seat = Some(i);
        }
        self.seats = plans;
    }

    /// The workers' records (with the season they came home from, as the return records
    /// it), their skills and languages, and the accounts of those offered a seat.
    fn write_people(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        for batch in 0..self.people.len().div_ceil(10_000) {
            let range = batch * 10_000..((batch + 1) * 10_000).min(self.people.len());
            let (mut rows, mut skills, mut languages, mut accounts) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for p in range {
                let person = &self.people[p];
                let w = &person.worker;
                let returned = person.seat.and_then(|s| self.seats[s].journey.returned).map(|r| r.recorded);
                rows.push(WorkerRecord {
                    id: person.id.clone(),
                    agency_id: self.agencies[person.agency].id.clone(),
                    full_name: w.full_name.clone(),
                    date_of_birth: w.date_of_birth,
                    gender: w.gender.clone(),
                    id_document_number: w.id_document_number.clone(),
                    home_province_code: w.home_province_code.clone(),
                    phone: w.phone.clone(),
                    email: w.email.clone(),
                    available_from: w.available_from,
                    available_until: w.available_until,
                    seasons_worked: w.seasons_worked,
                    created_at: naive(person.registered),
                    updated_at: naive(returned.unwrap_or(person.registered)),
                    skill_codes: w.skills.join(" "),
                    language_codes: w.languages.join(" "),
                });
                skills.extend(
                    w.skills.iter().map(|s| SkillRow { worker_id: person.id.clone(), skill_code: s.clone() }),
                );
                languages.extend(
                    w.languages
                        .iter()
                        .map(|l| LanguageRow { worker_id: person.id.clone(), language: l.clone() }),
                );
                // Offered a seat, the worker activated its own account in person, at the
                // pre-departure session, and signed in with its phone.
                if let Some(s) = person.seat {
                    let activated = self.seats[s].activated;
                    let id = UserId::from(self.draw.id(activated));
                    let (phone, worker_id) = (self.people[p].phone.clone(), self.people[p].id.to_string());
                    let mut account =
                        self.account(id.clone(), None, Some(phone), Role::Worker, worker_id, activated);
                    account.language = Some(Lang::Vi.tag().to_owned());
                    accounts.push(account);
                    self.seats[s].account = Some(id);
                }
            }
            self.report.workers += bulk::write(conn, &rows)?;
            bulk::write(conn, &skills)?;
            bulk::write(conn, &languages)?;
            self.report.accounts += bulk::write(conn, &accounts)?;
        }
        Ok(())
    }

    /// The days of a seat's journey: the permit a day or three after the acceptance; the
    /// crossing on the season's first days; the season's end (or an early one); the return
    /// within the permit's grace, or after it once the sweeper has raised the overstay.
    fn journey(&mut self, fate: Fate, (start, end): (NaiveDate, NaiveDate), answered: NaiveDate) -> Journey {
        if fate == Fate::Declined {
            return Journey::default();
        }
        let permit_day = (answered + Duration::days(self.draw.between(1, 3))).min(start - Duration::days(1));
        let mut journey = Journey { permit_issued: Some(china(permit_day, 14 * 60)), ..Journey::default() };
        if fate == Fate::Withdrawn {
            journey.withdrawn = Some(china(start - Duration::days(1), 10 * 60));
            return journey;
        }
        let crossed = |day: NaiveDate, minutes: i64| {
            let at = china(day, minutes);
            Crossed { at, recorded: at + Duration::hours(1) }
        };
        journey.departed = Some(crossed(
            start + Duration::days(self.draw.between(0, 2)),
            self.draw.between(8 * 60, 11 * 60),
        ));
        let valid_until = end + Duration::days(RULES.permit_grace_days);
        if fate == Fate::Terminated {
            let last = (start + Duration::days(self.draw.between(20, 60))).min(end - Duration::days(1));
            journey.finished = Some((Action::Terminate, china(last, 17 * 60)));
            journey.returned = Some(crossed(last + Duration::days(self.draw.between(1, 3)), 11 * 60));
            return journey;
        }
        journey.finished = Some((Action::Complete, china(end, 18 * 60)));
        match fate {
            Fate::Late | Fate::Overstay => {
                journey.overstayed = Some(china(valid_until + Duration::days(1), 30));
                if fate == Fate::Late {
                    journey.returned =
                        Some(crossed(valid_until + Duration::days(self.draw.between(2, 10)), 11 * 60));
                }
            }
            _ => {
                journey.returned = Some(crossed(
                    end + Duration::days(self.draw.between(1, RULES.permit_grace_days)),
                    11 * 60,
                ));
            }
        }
        journey
    }

    /// The vacancies with their deductions and required skills; a past vacancy's seats still
    /// taken are those of its open overstays.
    fn write_jobs(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        for seat in &self.seats {
            if seat.fate == Fate::Overstay {
                self.jobs[seat.job].record.seats_taken += 1;
            }
        }
        for batch in self.jobs.chunks(5_000) {
            let rows: Vec<VacancyRecord> = batch.iter().map(|j| j.record.clone()).collect();
            let mut deductions = Vec::new();
            let mut skills = Vec::new();
            let mut insurance = Vec::new();
            for job in batch {
                insurance.push(InsuranceRow {
                    vacancy_id: job.record.id.clone(),
                    insurer: job.insurance.insurer.clone(),
                    policy_number: job.insurance.policy_number.clone(),
                    work_injury_cover_fen: job.insurance.work_injury_cover_fen,
                    return_cover_fen: job.insurance.return_cover_fen,
                    paid_by: job.insurance.paid_by.clone(),
                });
                for (position, d) in (0..).zip(&job.deductions) {
                    deductions.push(DeductionRow {
                        vacancy_id: job.record.id.clone(),
                        position,
                        kind: d.kind.clone(),
                        fen_per_month: d.fen_per_month,
                    });
                }
                if let Some(skill) = JOBS[job.kind].skill {
                    skills.push(VacancySkillRow {
                        vacancy_id: job.record.id.clone(),
                        skill_code: skill.to_owned(),
                    });
                }
            }
            self.report.vacancies += bulk::write(conn, &rows)?;
            bulk::write(conn, &deductions)?;
            bulk::write(conn, &skills)?;
            bulk::write(conn, &insurance)?;
        }
        self.report.open_vacancies = self.size.open_vacancies.min(self.jobs.len());
        Ok(())
    }

    /// A code's names in the three languages, as a contract carries them.
    fn named(&mut self, code: &str) -> Named {
        if let Some(named) = self.named.get(code) {
            return named.clone();
        }
        let named = Named {
            code: code.to_owned(),
            zh: self.reference.name(code, Lang::ZhCn).to_owned(),
            vi: self.reference.name(code, Lang::Vi).to_owned(),
            en: self.reference.name(code, Lang::En).to_owned(),
        };
        self.named.insert(code.to_owned(), named.clone());
        named
    }

    /// The contract of a seat, as the placement service makes it at the offer.
    fn terms(&mut self, placement_id: &PlacementId, s: usize) -> Terms {
        let (j, p) = (self.seats[s].job, self.seats[s].person);
        let (occupation, region, crossing) = {
            let r = &self.jobs[j].record;
            (r.occupation_code.clone(), r.region_code.clone(), r.crossing_code.clone())
        };
        let (occupation, worksite, crossing) =
            (self.named(&occupation), self.named(&region), self.named(&crossing));
        let salt = self.draw.salt();
        let (job, person) = (&self.jobs[j], &self.people[p]);
        let (employer, agency) = (&self.employers[job.employer], &self.agencies[person.agency]);
        let r = &job.record;
        Terms {
            placement_id: placement_id.to_string(),
            version: 1,
            employer: Party { id: employer.id.to_string(), name: employer.name.clone() },
            agency: Party { id: agency.id.to_string(), name: agency.name.clone() },
            agency_licence_number: agency.licence_number.clone(),
            worker: Holder {
                id: person.id.to_string(),
                full_name: person.worker.full_name.clone(),
                date_of_birth: person.worker.date_of_birth,
            },
            occupation,
            worksite,
            crossing,
            season_start: r.season_start,
            season_end: r.season_end,
            hours_per_week: r.hours_per_week,
            guaranteed_hours_per_week: r.guaranteed_hours_per_week,
            guaranteed_hours_season: contract::guaranteed_hours(
                r.season_start,
                r.season_end,
                r.guaranteed_hours_per_week,
            ),
            pay_basis: JOBS[job.kind].basis,
            wage_fen: r.wage_fen,
            piece_unit: r.piece_unit.clone(),
            guaranteed_hourly_fen: r.guaranteed_hourly_fen,
            hourly_equivalent_fen: job.figures.hourly_equivalent_fen,
            floor: FloorRef {
                hourly_fen: job.floor.hourly_fen,
                rule_id: job.floor.binding.id.clone(),
                kind: job.floor.binding.kind.as_str().to_owned(),
                source: job.floor.binding.source.clone(),
            },
            deductions: job.deductions.clone(),
            deductions_cap_percent: RULES.deductions_cap_percent,
            housing_provided: r.housing_provided,
            worker_paid_fees_fen: Fen::ZERO,
            return_by: r.season_end + Duration::days(RULES.permit_grace_days),
            contacts: contract::contacts(),
            insurance: Some(job.insurance.clone()),
            salt: Some(salt),
        }
    }

    /// A case as the regulator of its side works it: resolved some weeks or months after it
    /// was opened (when that is past), assigned, or still open.
    #[allow(clippy::too_many_arguments)]
    fn case(
        &mut self,
        kind: CaseKind,
        subject: (SubjectKind, Option<String>),
        region_code: Option<String>,
        placement_id: Option<PlacementId>,
        owed: Fen,
        opened: DateTime<Utc>,
        outcome: (bool, &str),
    ) -> CaseRow {
        let agency_country = (subject.0 == SubjectKind::Agency).then_some(Country::VN);
        let side = routed_to(subject.0, agency_country);
        let regulator = if side == Country::VN { &self.vn.user_id } else { &self.cn.user_id };
        let resolved = opened + Duration::days(self.draw.between(10, 150));
        let (status, assigned_to, resolved_at) =
            if resolved < self.cal.now - Duration::days(1) && self.draw.chance(800) {
                (CaseStatus::Resolved, Some(regulator.clone()), Some(naive(resolved)))
            } else if self.draw.chance(500) {
                (CaseStatus::Assigned, Some(regulator.clone()), None)
            } else {
                (CaseStatus::Open, None, None)
            };
        let done = status == CaseStatus::Resolved;
        let (upheld, text) = outcome;
        CaseRow {
            id: CaseId::from(self.draw.id(opened)),
            kind: kind.as_str().to_owned(),
            subject_kind: subject.0.as_str().to_owned(),
            subject_id: subject.1,
            region_code,
            placement_id,
            status: status.as_str().to_owned(),
            assigned_to,
            amount_owed_fen: owed,
            outcome: done.then(|| text.to_owned()),
            amount_recovered_fen: done.then_some(if upheld { owed } else { Fen::ZERO }),
            opened_at: naive(opened),
            resolved_at,
            upheld: done.then_some(upheld),
            routed_to: side.as_str().to_owned(),
        }
    }

    /// Fee reports of workers against their agencies (Viet Nam's side works them) and
    /// complaints in every category, each with its case.
    fn write_fees_and_complaints(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let (mut cases, mut fees, mut complaints) = (Vec::new(), Vec::new(), Vec::new());
        let departed: Vec<usize> =
            (0..self.seats.len()).filter(|&s| self.seats[s].journey.departed.is_some()).collect();
        let latest = self.cal.now - Duration::days(1);
        for &s in departed.iter().step_by(400) {
            let seat = &self.seats[s];
            let (person, offered) = (seat.person, seat.offered);
            let filed_from = seat.journey.returned.map_or(offered, |r| r.recorded);
            let agency_id = self.agencies[self.people[person].agency].id.clone();
            let worker_id = self.people[person].id.clone();
            let filed = (filed_from + Duration::days(self.draw.between(3, 90))).min(latest);
            let amount = Fen::new(self.draw.between(8, 35) * 10_000);
            let (paid_to, description) = FEE_TEXTS[self.draw.rng.below(FEE_TEXTS.len() as u64) as usize];
            let upheld = self.draw.chance(700);
            let outcome = if upheld {
                "The agency charged a recruitment fee; refunded in full."
            } else {
                "The payment was a public office's own fee, not the agency's."
            };
            let case = self.case(
                CaseKind::Fee,
                (SubjectKind::Agency, Some(agency_id.to_string())),
                None,
                None,
                amount,
                filed,
                (upheld, outcome),
            );
            fees.push(FeeReportRow {
                id: FeeReportId::from(self.draw.id(filed)),
                worker_id,
                agency_id,
                amount_fen: amount,
                paid_on: china_day(offered) - Duration::days(self.draw.between(5, 30)),
                paid_to: paid_to.to_owned(),
                description: description.to_owned(),
                case_id: case.id.clone(),
                created_at: naive(filed),
            });
            cases.push(case);
        }
        for &s in departed.iter().skip(7).step_by(250) {
            let seat = &self.seats[s];
            let (person, job, by) = (seat.person, seat.job, seat.account.clone());
            let departed_at = seat.journey.departed.map_or(seat.offered, |d| d.recorded);
            let filed = (departed_at + Duration::days(self.draw.between(5, 100))).min(latest);
            let (category, language, text) =
                COMPLAINTS[self.draw.rng.below(COMPLAINTS.len() as u64) as usize];
            let (employer_id, agency_id) = match category {
                "fees" | "documents_withheld" => {
                    (None, Some(self.agencies[self.people[person].agency].id.clone()))
                }
                "other" => (None, None),
                _ => (Some(self.employers[self.jobs[job].employer].id.clone()), None),
            };
            let region = employer_id.as_ref().map(|_| self.jobs[job].record.region_code.clone());
            let subject = match (&employer_id, &agency_id) {
                (Some(e), _) => (SubjectKind::Employer, Some(e.to_string())),
                (None, Some(a)) => (SubjectKind::Agency, Some(a.to_string())),
                (None, None) => (SubjectKind::None, None),
            };
            // Half sign in and leave their phone; the others write anonymously.
            let signed = self.draw.chance(500);
            let upheld = self.draw.chance(650);
            let outcome = if upheld {
                "Inspected and put right; the complainant was told."
            } else {
                "Looked into; nothing was found that broke the rules."
            };
            let case =
                self.case(CaseKind::Complaint, subject, region, None, Fen::ZERO, filed, (upheld, outcome));
            complaints.push(ComplaintRow {
                id: ComplaintId::from(self.draw.id(filed)),
                reference: format!("C-{}", self.draw.code(10)),
                category: category.to_owned(),
                agency_id,
                employer_id,
                text: text.to_owned(),
                language: language.to_owned(),
                contact: signed.then(|| self.people[person].phone.clone()),
                filed_by: if signed { by } else { None },
                case_id: case.id.clone(),
                created_at: naive(filed),
            });
            cases.push(case);
        }
        self.report.cases += bulk::write(conn, &cases)?;
        self.report.fee_reports = bulk::write(conn, &fees)?;
        self.report.complaints = bulk::write(conn, &complaints)?;
        Ok(())
    }
}

/// (paid to, what the worker wrote) of a fee report.
const FEE_TEXTS: [(&str, &str); 4] = [
    (
        "Người tuyển dụng của công ty",
        "Tôi phải trả tiền 'phí đào tạo' trước khi được đăng ký đi làm mùa mía.",
    ),
    ("", "Công ty thu tiền 'giữ chỗ' trước khi ký hợp đồng."),
    ("Văn phòng công ty", "Tôi trả tiền làm giấy tờ qua công ty."),
    ("Nhân viên công ty ở cửa khẩu", "Nhân viên công ty thu 'phí làm giấy phép' ở cửa khẩu."),
];

/// (category, language, text) of a complaint.
const COMPLAINTS: [(&str, &str, &str); 8] = [
    ("wages", "vi", "Tiền công nửa tháng trả chậm và không có phiếu lương."),
    ("wages", "vi", "Tiền chặt mía tính theo tấn nhưng cân không đúng."),
    ("housing", "vi", "Nhà ở tập thể bị dột, quá nhiều người một phòng."),
    ("safety", "zh-CN", "压榨车间的传送带没有防护罩，工人没有手套。"),
    ("violence", "vi", "Tổ trưởng đánh một công nhân vì làm chậm."),
    ("fees", "vi", "Người tuyển dụng thu mỗi người vài nghìn tệ trước khi đi."),
    ("documents_withheld", "vi", "Nhân viên công ty giữ hộ chiếu của chúng tôi."),
    ("other", "en", "Workers waited hours at the crossing: the post's list was late."),
];
