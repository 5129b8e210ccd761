//! Demo data for `seasonlink demo`: a Chongzuo cane season, loaded once and skipped when
//! already there. Every vacancy goes through the same floor-checked service as the API;
//! every agency and worker through the same licence and registry services.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use crate::actor::{Actor, Scope};
use crate::db::{DbConnection, users};
use crate::domain::account::Role;
use crate::domain::licence::LicenceAction;
use crate::domain::pay::{Deduction, PayBasis};
use crate::domain::wage_floor::RuleKind;
use crate::domain::worker::Draft;
use crate::error::{AppError, ErrorCode};
use crate::services::accounts::{self, NewAccount};
use crate::services::agencies::{self, AgencyInput, LicenceDecision};
use crate::services::employers::{self, Registration};
use crate::services::placements::{self, OfferInput, Rules};
use crate::services::vacancies::{self, NewStatus, VacancyInput};
use crate::services::wage_floors::{self, NewRule};
use crate::services::workers;

/// The password of every demo account (printed by `seasonlink demo`).
pub const DEMO_PASSWORD: &str = "seasonlink-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub role: Role,
}

/// The accounts `seasonlink demo` prints; the employer account belongs to the first employer,
/// the agency account to the first agency, the worker account to that agency's first worker.
pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "regulator@demo.seasonlink.vn", role: Role::Regulator },
    DemoAccount { email: "employer@demo.seasonlink.vn", role: Role::Employer },
    DemoAccount { email: "agency@demo.seasonlink.vn", role: Role::Agency },
    DemoAccount { email: "worker@demo.seasonlink.vn", role: Role::Worker },
];

const GUANGXI_2023: &str = "桂政发〔2023〕24号 (Guangxi minimum wage, in force 2023-11-01)";

/// Guangxi's statutory tiers (2023): tier 3 province-wide, tiers 2 and 1 where they apply;
/// then a few prevailing wages for the harvest (demo figures, labelled as such).
fn rules(from: NaiveDate) -> Vec<NewRule> {
    let rule = |region: &str, occupation: Option<&str>, hourly_fen, monthly_fen, source: &str| NewRule {
        region_code: region.into(),
        kind: if occupation.is_some() { RuleKind::Prevailing } else { RuleKind::StatutoryMinimum },
        occupation_code: occupation.map(Into::into),
        hourly_fen,
        monthly_fen,
        effective_from: from,
        effective_to: None,
        source: source.into(),
    };
    let cane =
        "Chongzuo cane harvest pay (demo figure; cutting pays about 120–130 CNY a tonne, Liucheng 2025)";
    vec![
        rule("450000", None, 1700, Some(169_000), GUANGXI_2023),
        rule("451402", None, 1860, Some(184_000), GUANGXI_2023),
        rule("451002", None, 1860, Some(184_000), GUANGXI_2023),
        rule("450602", None, 2010, Some(199_000), GUANGXI_2023),
        rule("450603", None, 2010, Some(199_000), GUANGXI_2023),
        rule("450681", None, 2010, Some(199_000), GUANGXI_2023),
        rule("451400", Some("sugarcane_cutting"), 1950, None, cane),
        rule("451400", Some("cane_loading"), 1850, None, "Chongzuo cane loading pay (demo figure)"),
        rule("451400", Some("sugar_mill"), 1900, None, "Chongzuo sugar-mill seasonal pay (demo figure)"),
        rule("451000", Some("fruit_picking"), 1800, None, "Baise mango harvest pay (demo figure)"),
    ]
}

/// (name, registration number, region, crossing, account e-mail, verified)
const EMPLOYERS: [(&str, &str, &str, &str, &str, bool); 7] = [
    (
        "Ningming Dongya Sugar Co. (demo)",
        "91451422DEMO00001",
        "451422",
        "aidian",
        "employer@demo.seasonlink.vn",
        true,
    ),
    (
        "Fusui Cane Growers' Cooperative (demo)",
        "91451421DEMO00002",
        "451421",
        "youyiguan",
        "fusui@demo.seasonlink.vn",
        true,
    ),
    (
        "Longzhou Nanya Sugar Mill (demo)",
        "91451423DEMO00003",
        "451423",
        "shuikou",
        "longzhou@demo.seasonlink.vn",
        true,
    ),
    (
        "Pingxiang Border Farms (demo)",
        "91451481DEMO00004",
        "451481",
        "youyiguan",
        "pingxiang@demo.seasonlink.vn",
        true,
    ),
    (
        "Jiangzhou Sugar Industry (demo)",
        "91451402DEMO00005",
        "451402",
        "youyiguan",
        "jiangzhou@demo.seasonlink.vn",
        true,
    ),
    ("Daxin Cane Estate (demo)", "91451424DEMO00006", "451424", "shuikou", "daxin@demo.seasonlink.vn", true),
    (
        "Tiandeng Hill Farms (demo, awaiting verification)",
        "91451425DEMO00007",
        "451425",
        "shuikou",
        "tiandeng@demo.seasonlink.vn",
        false,
    ),
];

/// Loads the demo data in one transaction; returns false when it was already loaded.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>, placement_rules: Rules) -> Result<bool, AppError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        if users::find_user_by_email(conn, DEMO_ACCOUNTS[0].email)?.is_some() {
            return Ok(false);
        }
        let mut regulator_id = String::new();
        for demo in DEMO_ACCOUNTS.iter().filter(|a| a.role == Role::Regulator) {
            let account = NewAccount::parse(demo.email, DEMO_PASSWORD, demo.role, None)?;
            let user = accounts::create_user(conn, &account, now)?;
            if demo.role == Role::Regulator {
                regulator_id = user.id;
            }
        }
        let regulator = Actor { user_id: regulator_id.clone(), role: Role::Regulator, org_id: None };
        let in_force = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap_or_default();
        for rule in rules(in_force) {
            wage_floors::create_rule_in(conn, &regulator, rule, now)?;
        }
        let mut verified = Vec::new();
        for (name, registration_no, region, crossing, email, is_verified) in EMPLOYERS {
            let registration = Registration {
                name: name.into(),
                registration_no: registration_no.into(),
                region_code: region.into(),
                email: email.into(),
                password: DEMO_PASSWORD.into(),
            };
            let employer = employers::register_in(conn, registration, now)?;
            if is_verified {
                employers::verify_in(conn, &regulator, &employer.id, now)?;
                let user = users::find_user_by_email(conn, email)?.ok_or_else(AppError::not_found)?;
                verified.push((employer.id, user.id, region, crossing));
            }
        }
        let start = now.date_naive() + Duration::days(7);
        for (i, (employer_id, user_id, region, crossing)) in verified.iter().enumerate() {
            let employer =
                Actor { user_id: user_id.clone(), role: Role::Employer, org_id: Some(employer_id.clone()) };
            for (j, offer) in offers(start).into_iter().enumerate() {
                let input = VacancyInput {
                    region_code: (*region).into(),
                    crossing_code: (*crossing).into(),
                    headcount: 10 + ((i * 7 + j * 13) % 50) as i32,
                    ..offer
                };
                vacancies::create_in(conn, &employer, input, placement_rules.deductions_cap_percent, now)?;
            }
        }
        load_agencies(conn, &regulator_id, now)?;
        load_offers(conn, placement_rules, now)?;
        Ok(true)
    })
}

/// Six offers per verified employer: cane cutting by the piece, loading by the hour, mill
/// work by the month, all above the floors above and with modest, capped deductions.
fn offers(start: NaiveDate) -> Vec<VacancyInput> {
    let base = |title: &str, occupation: &str, basis: PayBasis, wage_fen: i64, weeks: i64| VacancyInput {
        title: title.into(),
        occupation_code: occupation.into(),
        region_code: String::new(),
        crossing_code: String::new(),
        headcount: 0,
        season_start: start,
        season_end: start + Duration::weeks(weeks),
        hours_per_week: 48,
        guaranteed_hours_per_week: 40,
        required_skills: vec![],
        pay_basis: basis,
        wage_fen,
        piece_unit: None,
        guaranteed_hourly_fen: None,
        deductions: vec![],
        housing_provided: true,
        description_zh: None,
        description_vi: None,
        status: NewStatus::Open,
    };
    let meals = |fen| vec![Deduction { kind: "meals".into(), fen_per_month: fen }];
    vec![
        VacancyInput {
            piece_unit: Some("tonne".into()),
            guaranteed_hourly_fen: Some(2100),
            required_skills: vec!["cane_knife".into()],
            deductions: meals(20_000),
            description_zh: Some("甘蔗砍收，每吨125元，保底每小时21元，包住，伙食每月200元。".into()),
            description_vi: Some(
                "Chặt mía, 125 tệ mỗi tấn, bảo đảm 21 tệ mỗi giờ, có chỗ ở, tiền ăn 200 tệ mỗi tháng.".into(),
            ),
            ..base("Cane cutters, harvest season", "sugarcane_cutting", PayBasis::Piece, 12_500, 17)
        },
        VacancyInput {
            piece_unit: Some("tonne".into()),
            guaranteed_hourly_fen: Some(2050),
            required_skills: vec!["cane_knife".into()],
            description_zh: Some("甘蔗砍收（后期），每吨130元，保底每小时20.5元。".into()),
            description_vi: Some("Chặt mía (cuối vụ), 130 tệ mỗi tấn, bảo đảm 20,5 tệ mỗi giờ.".into()),
            ..base("Cane cutters, late harvest", "sugarcane_cutting", PayBasis::Piece, 13_000, 12)
        },
        VacancyInput {
            required_skills: vec!["heavy_loading".into()],
            deductions: meals(15_000),
            description_zh: Some("甘蔗装车，每小时21元。".into()),
            description_vi: Some("Bốc xếp mía lên xe, 21 tệ mỗi giờ.".into()),
            ..base("Cane loaders", "cane_loading", PayBasis::Hourly, 2100, 17)
        },
        VacancyInput {
            required_skills: vec!["tractor_driving".into()],
            description_zh: Some("运蔗拖拉机司机，每小时23元。".into()),
            description_vi: Some("Lái máy kéo chở mía, 23 tệ mỗi giờ.".into()),
            ..base("Tractor drivers for cane haulage", "cane_loading", PayBasis::Hourly, 2300, 17)
        },
        VacancyInput {
            required_skills: vec!["machine_operation".into()],
            deductions: meals(25_000),
            description_zh: Some("糖厂榨季工人，每月4500元（每周48小时）。".into()),
            description_vi: Some(
                "Công nhân nhà máy đường mùa ép, 4.500 tệ mỗi tháng (48 giờ mỗi tuần).".into(),
            ),
            ..base("Sugar-mill crushing season crew", "sugar_mill", PayBasis::Monthly, 450_000, 18)
        },
        VacancyInput {
            hours_per_week: 40,
            guaranteed_hours_per_week: 40,
            housing_provided: false,
            description_zh: Some("木薯收获，每小时19元。".into()),
            description_vi: Some("Thu hoạch sắn, 19 tệ mỗi giờ.".into()),
            ..base("Cassava harvest hands", "cassava_harvest", PayBasis::Hourly, 1900, 8)
        },
    ]
}

/// A licensed agency of the demo, with the workers it has registered.
pub struct DemoAgency {
    pub name: &'static str,
    /// "VN" or "CN".
    pub country: &'static str,
    pub licence_number: &'static str,
    /// Its first account (password [`DEMO_PASSWORD`]).
    pub email: &'static str,
    /// The province most of its workers come from.
    pub home_province: &'static str,
    /// How many workers it has registered.
    pub workers: usize,
    /// Set for the agency whose licence the regulator suspended: why.
    pub suspended_for: Option<&'static str>,
}

/// Four Vietnamese agencies in the border provinces and two Chinese ones at the crossings;
/// the first owns the demo agency account, and one is suspended, with no workers.
pub const AGENCIES: [DemoAgency; 6] = [
    DemoAgency {
        name: "Xứ Lạng Labour Supply JSC (demo)",
        country: "VN",
        licence_number: "VN-LS-2026-0012",
        email: DEMO_ACCOUNTS[2].email,
        home_province: "VN-09",
        workers: 900,
        suspended_for: None,
    },
    DemoAgency {
        name: "Cao Bằng Border Manpower Co., Ltd. (demo)",
        country: "VN",
        licence_number: "VN-CB-2026-0007",
        email: "caobang.agency@demo.seasonlink.vn",
        home_province: "VN-04",
        workers: 700,
        suspended_for: None,
    },
    DemoAgency {
        name: "Móng Cái Overseas Labour JSC (demo)",
        country: "VN",
        licence_number: "VN-QN-2026-0031",
        email: "quangninh.agency@demo.seasonlink.vn",
        home_province: "VN-13",
        workers: 550,
        suspended_for: None,
    },
    DemoAgency {
        name: "Hà Giang Highland Workforce Co., Ltd. (demo)",
        country: "VN",
        licence_number: "VN-HG-2026-0004",
        email: "hagiang.agency@demo.seasonlink.vn",
        home_province: "VN-03",
        workers: 0,
        suspended_for: Some("fees charged to workers reported, under investigation"),
    },
    DemoAgency {
        name: "Pingxiang Youyi Labour Services Co. (demo)",
        country: "CN",
        licence_number: "CN-GX-PX-2026-0003",
        email: "pingxiang.agency@demo.seasonlink.vn",
        home_province: "VN-09",
        workers: 500,
        suspended_for: None,
    },
    DemoAgency {
        name: "Dongxing Beibu Gulf Human Resources Co. (demo)",
        country: "CN",
        licence_number: "CN-GX-DX-2026-0009",
        email: "dongxing.agency@demo.seasonlink.vn",
        home_province: "VN-13",
        workers: 350,
        suspended_for: None,
    },
];

/// How many workers the demo registers in all.
pub const DEMO_WORKERS: usize = {
    let mut total = 0;
    let mut i = 0;
    while i < AGENCIES.len() {
        total += AGENCIES[i].workers;
        i += 1;
    }
    total
};

/// Licenses the agencies (suspending one) and registers their workers through the bulk
/// path of a CSV import; the demo worker account logs in as the first agency's first worker.
fn load_agencies(conn: &mut DbConnection, regulator_id: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let regulator = Actor { user_id: regulator_id.to_owned(), role: Role::Regulator, org_id: None };
    let today = now.date_naive();
    // The coming harvest season, as the vacancies above.
    let season_start = today + Duration::days(7);
    let mut rng = SplitMix64(0x5EA5_0171_2026_0001);
    let mut documents = HashSet::new();
    for (i, demo) in AGENCIES.iter().enumerate() {
        let offset = i as i64;
        let input = AgencyInput {
            name: demo.name.into(),
            country: demo.country.into(),
            licence_number: demo.licence_number.into(),
            licence_valid_from: today - Duration::days(365 - 20 * offset),
            licence_valid_until: today + Duration::days(365 + 30 * offset),
            email: demo.email.into(),
            password: DEMO_PASSWORD.into(),
        };
        let agency = agencies::create_in(conn, &regulator, input, now)?;
        if let Some(reason) = demo.suspended_for {
            let decision = LicenceDecision { reason: Some(reason.into()) };
            agencies::decide_in(conn, &regulator, &agency.id, LicenceAction::Suspend, decision, now)?;
            continue;
        }
        let mut drafts: Vec<Draft> = (0..demo.workers)
            .map(|_| worker(&mut rng, demo.home_province, today, season_start, &mut documents))
            .collect();
        if drafts.is_empty() {
            continue;
        }
        let worker_email = DEMO_ACCOUNTS[3].email;
        if i == 0
            && let Some(first) = drafts.first_mut()
        {
            first.email = Some(worker_email.into());
            // Free for the whole harvest, so the demo worker has an offer to read.
            first.available_from = Some(season_start - Duration::days(3));
            first.available_until = Some(season_start + Duration::weeks(22));
        }
        let ids = workers::register_many(conn, &agency.id, drafts, now)?;
        if i == 0
            && let Some(id) = ids.first()
        {
            // As `services::workers::create` does for a worker given a password.
            let account = NewAccount::parse(worker_email, DEMO_PASSWORD, Role::Worker, Some(id.clone()))?;
            accounts::create_user(conn, &account, now)?;
        }
    }
    Ok(())
}

/// How many of the first agency's workers hold an offer, the demo worker's first among them.
pub const DEMO_OFFERS: usize = 25;

/// The first agency offers seats to its first workers, the demo worker included, so that
/// every role has placements to open: the worker reads and accepts its contract, the
/// regulator issues the permit, the agency records the departure.
fn load_offers(conn: &mut DbConnection, rules: Rules, now: DateTime<Utc>) -> Result<(), AppError> {
    let agency_user = users::find_user_by_email(conn, AGENCIES[0].email)?.ok_or_else(AppError::not_found)?;
    let agency = Actor { user_id: agency_user.id, role: Role::Agency, org_id: agency_user.org_id.clone() };
    let open = vacancies::list_in(conn, &Scope::Public, &Default::default())?;
    let own = workers::list_in(conn, &Scope::Agency(agency_user.org_id.unwrap_or_default()))?;
    let demo_worker = own.iter().position(|w| w.email.as_deref() == Some(DEMO_ACCOUNTS[3].email));
    let mut order: Vec<usize> = (0..own.len()).collect();
    if let Some(first) = demo_worker {
        order.swap(0, first);
    }
    let mut made = 0;
    for i in order {
        // The first open vacancy the worker is available and skilled for.
        for vacancy in &open {
            let input = OfferInput { vacancy_id: vacancy.id.clone(), worker_id: own[i].id.clone() };
            match placements::offer_in(conn, &agency, input, rules, now) {
                Ok(_) => {
                    made += 1;
                    break;
                }
                Err(e) if matches!(e.code, ErrorCode::ValidationFailed | ErrorCode::VacancyFull) => continue,
                Err(e) => return Err(e),
            }
        }
        if made == DEMO_OFFERS {
            break;
        }
    }
    Ok(())
}

/// `count` workers as the demo makes them, of an agency based in `home_province`, for a
/// season starting `season_start`: deterministic for a `seed`, document numbers unique among
/// them (for benchmarks that need many workers).
pub fn worker_drafts(
    seed: u64,
    count: usize,
    home_province: &str,
    today: NaiveDate,
    season_start: NaiveDate,
) -> Vec<Draft> {
    let mut rng = SplitMix64(seed);
    let mut documents = HashSet::new();
    (0..count).map(|_| worker(&mut rng, home_province, today, season_start, &mut documents)).collect()
}

/// A small deterministic generator (splitmix64), so the demo is the same on every machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform enough in `0..n` (n is small).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy + Default>(&mut self, weighted: &[(T, u32)]) -> T {
        let total: u64 = weighted.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut r = self.below(total);
        for (item, weight) in weighted {
            if r < u64::from(*weight) {
                return *item;
            }
            r -= u64::from(*weight);
        }
        T::default()
    }
}

/// A home province: its ISO 3166-2 code, the 3-digit province code that opens a citizen
/// identity card number, its weight among the demo's workers, and its Tày and Nùng shares
/// (per cent). Weighted toward the Guangxi border; the ethnic shares are rough, after the
/// 2019 census (the Kinh names stand in for everyone else, H'Mông and Dao included — a
/// demo simplification).
#[derive(Clone, Copy, Default)]
struct Province {
    code: &'static str,
    card: u32,
    weight: u32,
    tay: u64,
    nung: u64,
}

const fn province(code: &'static str, card: u32, weight: u32, tay: u64, nung: u64) -> Province {
    Province { code, card, weight, tay, nung }
}

const PROVINCES: [Province; 14] = [
    province("VN-09", 20, 24, 35, 42),
    province("VN-04", 4, 16, 41, 31),
    province("VN-13", 22, 12, 3, 1),
    province("VN-03", 2, 9, 23, 9),
    province("VN-02", 10, 6, 15, 4),
    province("VN-53", 6, 6, 53, 10),
    province("VN-07", 8, 5, 25, 2),
    province("VN-54", 24, 7, 3, 5),
    province("VN-69", 19, 4, 11, 5),
    province("VN-68", 25, 3, 0, 0),
    province("VN-21", 38, 3, 0, 0),
    province("VN-22", 40, 3, 0, 0),
    province("VN-01", 12, 1, 0, 0),
    province("VN-71", 11, 1, 0, 0),
];

/// Family names weighted (per mille, roughly) as in Viet Nam's population.
const KINH_FAMILY: [(&str, u32); 16] = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 40),
    ("Huỳnh", 11),
    ("Phan", 45),
    ("Vũ", 30),
    ("Võ", 9),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
];

/// Family names common among the Tày and Nùng of the border provinces.
const TAY_NUNG_FAMILY: [(&str, u32); 9] = [
    ("Hoàng", 25),
    ("Nông", 20),
    ("Lương", 10),
    ("Triệu", 10),
    ("Bế", 8),
    ("Hà", 8),
    ("Lục", 8),
    ("Lăng", 6),
    ("Ma", 5),
];

const MALE_MIDDLE: [(&str, u32); 4] = [("Văn", 55), ("Đức", 15), ("Hữu", 15), ("Minh", 15)];
const FEMALE_MIDDLE: [(&str, u32); 4] = [("Thị", 60), ("Ngọc", 14), ("Thu", 13), ("Kim", 13)];

const MALE_GIVEN: [&str; 22] = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Mạnh", "Nam", "Phong",
    "Quân", "Sơn", "Thắng", "Thành", "Toàn", "Tuấn", "Tùng", "Việt", "Vinh",
];
const FEMALE_GIVEN: [&str; 21] = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hiền", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Mai",
    "Nga", "Ngân", "Nhung", "Phương", "Thảo", "Thơm", "Trang", "Yến",
];

/// Skills, each with the chance (%) that a worker has it: cane work first.
const SKILLS: [(&str, u64); 9] = [
    ("cane_knife", 70),
    ("heavy_loading", 55),
    ("tractor_driving", 7),
    ("machine_operation", 8),
    ("fruit_grading", 10),
    ("food_hygiene", 5),
    ("masonry", 4),
    ("scaffolding", 2),
    ("first_aid", 5),
];

/// One worker of an agency based in `agency_province`: from a border province, mostly.
fn worker(
    rng: &mut SplitMix64,
    agency_province: &str,
    today: NaiveDate,
    season_start: NaiveDate,
    documents: &mut HashSet<String>,
) -> Draft {
    let weighted: Vec<(Province, u32)> = PROVINCES
        .iter()
        .map(|p| (*p, if p.code == agency_province { p.weight + 40 } else { p.weight }))
        .collect();
    let Province { code: province, card: card_code, tay, nung, .. } = rng.pick(&weighted);
    let roll = rng.below(100);
    let (is_tay, is_nung) = (roll < tay, roll >= tay && roll < tay + nung);

    let male = rng.chance(62);
    let family = if is_tay || is_nung { rng.pick(&TAY_NUNG_FAMILY) } else { rng.pick(&KINH_FAMILY) };
    let (middle, given) = if male {
        (rng.pick(&MALE_MIDDLE), MALE_GIVEN[rng.below(MALE_GIVEN.len() as u64) as usize])
    } else {
        (rng.pick(&FEMALE_MIDDLE), FEMALE_GIVEN[rng.below(FEMALE_GIVEN.len() as u64) as usize])
    };

    // 19 to 55, most in their thirties.
    let age = 19 + ((rng.below(37) + rng.below(37)) / 2) as u32;
    let date_of_birth = today.checked_sub_months(Months::new(age * 12)).unwrap_or(today)
        - Duration::days(rng.below(365) as i64);
    let year = chrono::Datelike::year(&date_of_birth);
    let century_and_gender = match (year >= 2000, male) {
        (false, true) => 0,
        (false, false) => 1,
        (true, true) => 2,
        (true, false) => 3,
    };
    let id_document_number = loop {
        let number = format!(
            "{card_code:03}{century_and_gender}{:02}{:06}",
            year.rem_euclid(100),
            rng.below(1_000_000)
        );
        if documents.insert(number.clone()) {
            break number;
        }
    };

    let seasons_cap = u64::from(age - 18).min(7);
    let seasons_worked = rng.below(seasons_cap).min(rng.below(7)) as i32;
    let mut languages = vec!["vi".to_owned()];
    if is_tay {
        languages.push("tyz".into());
    }
    if is_nung {
        languages.push("nut".into());
    }
    if rng.chance(if seasons_worked >= 3 { 50 } else { 15 }) {
        languages.push("zh".into());
    }
    let mut skills: Vec<String> = SKILLS
        .iter()
        .filter(|(skill, percent)| {
            let percent = match (*skill, male) {
                ("tractor_driving" | "masonry" | "scaffolding", false) => percent / 4,
                ("food_hygiene" | "fruit_grading", false) => percent * 3,
                _ => *percent,
            };
            rng.chance(percent)
        })
        .map(|(skill, _)| (*skill).to_owned())
        .collect();
    if skills.is_empty() {
        skills.push(if male { "cane_knife" } else { "heavy_loading" }.into());
    }

    // Most are free for the whole harvest; some join late, some go home early.
    let (available_from, available_until) = match rng.below(10) {
        0 => (season_start + Duration::weeks(4 + rng.below(5) as i64), season_start + Duration::weeks(19)),
        1 => (season_start, season_start + Duration::weeks(6 + rng.below(5) as i64)),
        _ => (
            season_start - Duration::days(rng.below(11) as i64),
            season_start + Duration::weeks(18) + Duration::days(rng.below(31) as i64),
        ),
    };
    let phone = rng
        .chance(80)
        .then(|| format!("+84 9{:02} {:03} {:03}", rng.below(100), rng.below(1000), rng.below(1000)));

    Draft {
        full_name: format!("{family} {middle} {given}"),
        date_of_birth: Some(date_of_birth),
        gender: if male { "male" } else { "female" }.into(),
        id_document_number,
        home_province_code: province.into(),
        phone,
        email: None,
        languages,
        skills,
        available_from: Some(available_from),
        available_until: Some(available_until),
        seasons_worked: Some(seasons_worked),
    }
}
