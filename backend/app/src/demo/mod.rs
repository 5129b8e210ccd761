//! Demo data for `seasonlink demo`: a Chongzuo cane season about to start, and the one
//! before it already lived (`history`), loaded once and skipped when already there. Every
//! vacancy goes through the same floor-checked service as the API; every agency and worker
//! through the same licence and registry services; every step of the last season through
//! the service that takes it, at its own past instant.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::actor::{Actor, Scope};
use crate::db::{DbConnection, users};
use crate::domain::account::{NewPassword, Role, SignIn};
use crate::domain::contract::Insurance;
use crate::domain::licence::LicenceAction;
use crate::domain::money::Fen;
use crate::domain::pay::{Deduction, PayBasis};
use crate::domain::wage_floor::RuleKind;
use crate::domain::worker::Draft;
use crate::error::{AppError, ErrorCode};
use crate::ids::{AuthorityId, UserId, WorkerId};
use crate::services::accounts::{self, NewAccount};
use crate::services::agencies::{self, AgencyInput, LicenceDecision};
use crate::services::authorities::{self, CN_NATIONAL, VN_NATIONAL};
use crate::services::credentials::{self, ActivationRequest};
use crate::services::employers::{self, Registration};
use crate::services::placements::{self, OfferInput, Rules};
use crate::services::vacancies::{self, NewStatus, PostingRules, VacancyInput};
use crate::services::wage_floors::{self, NewRule};
use crate::services::workers;

mod history;
pub(crate) use history::ORIENTATION_PLACE;
mod people;
pub mod season;

pub use people::worker_drafts;
use people::{SplitMix64, worker};

/// The password of every demo account (printed by `seasonlink demo`).
pub const DEMO_PASSWORD: &str = "seasonlink-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub role: Role,
}

/// The accounts `seasonlink demo` prints; the employer account belongs to the first employer,
/// the agency account to the first agency, the worker account to that agency's first worker.
/// The regulators act for the national authorities: `regulator@` (the demo's first, kept)
/// and `regulator-cn@` for China's side, `regulator-vn@` for Viet Nam's.
pub const DEMO_ACCOUNTS: [DemoAccount; 6] = [
    DemoAccount { email: "regulator@demo.seasonlink.vn", role: Role::Regulator },
    DemoAccount { email: "employer@demo.seasonlink.vn", role: Role::Employer },
    DemoAccount { email: "agency@demo.seasonlink.vn", role: Role::Agency },
    DemoAccount { email: "worker@demo.seasonlink.vn", role: Role::Worker },
    DemoAccount { email: "regulator-cn@demo.seasonlink.vn", role: Role::Regulator },
    DemoAccount { email: "regulator-vn@demo.seasonlink.vn", role: Role::Regulator },
];

/// The national authority a demo regulator acts for: Viet Nam's for `regulator-vn@`,
/// China's for the others.
fn demo_authority(email: &str) -> AuthorityId {
    AuthorityId::from(if email.starts_with("regulator-vn@") { VN_NATIONAL } else { CN_NATIONAL })
}

/// The demo regulator acting for `country`'s side.
fn demo_regulator(conn: &mut DbConnection, country: &str) -> Result<Actor, AppError> {
    let email = if country == "VN" { DEMO_ACCOUNTS[5].email } else { DEMO_ACCOUNTS[4].email };
    let user = users::find_user_by_email(conn, email)?.ok_or_else(AppError::not_found)?;
    Ok(Actor { user_id: user.id, role: Role::Regulator, org_id: user.org_id })
}

const GUANGXI_2023: &str = "桂政发〔2023〕24号 (Guangxi minimum wage, in force 2023-11-01)";

/// Guangxi's statutory tiers (2023): tier 3 province-wide, tiers 2 and 1 where they apply;
/// then a few prevailing wages for the harvest (demo figures, labelled as such).
fn rules(from: NaiveDate) -> Vec<NewRule> {
    let rule =
        |region: &str, occupation: Option<&str>, hourly: i64, monthly: Option<i64>, source: &str| NewRule {
            region_code: region.into(),
            kind: if occupation.is_some() { RuleKind::Prevailing } else { RuleKind::StatutoryMinimum },
            occupation_code: occupation.map(Into::into),
            hourly_fen: Fen::new(hourly),
            monthly_fen: monthly.map(Fen::new),
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

/// The first demo account (small or season) this database holds, if any: their password is
/// published, so production refuses to serve such a database.
pub fn account_present(conn: &mut DbConnection) -> Result<Option<&'static str>, AppError> {
    let demo = DEMO_ACCOUNTS.iter().map(|a| a.email).chain(season::SEASON_REGULATORS.iter().map(|r| r.0));
    for email in demo {
        if users::find_user_by_email(conn, email)?.is_some() {
            return Ok(Some(email));
        }
    }
    Ok(None)
}

/// Loads the demo data in one transaction; returns false when it was already loaded. The
/// scheme's parties are set up before the last season, which is lived first (`history`);
/// then the coming season opens: most employers' vacancies a day past their local window, the
/// last employer's at `now` (still shown to local job-seekers only).
pub fn load(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    placement_rules: Rules,
    posting: PostingRules,
) -> Result<bool, AppError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        if users::find_user_by_email(conn, DEMO_ACCOUNTS[0].email)?.is_some() {
            return Ok(false);
        }
        let set_up = now - Duration::days(history::SET_UP_DAYS);
        for demo in DEMO_ACCOUNTS.iter().filter(|a| a.role == Role::Regulator) {
            let authority = Some(demo_authority(demo.email).into());
            let account = NewAccount::parse_here(demo.email, DEMO_PASSWORD, demo.role, authority)?;
            accounts::create_user(conn, &account, set_up)?;
        }
        // China's side keeps the floors and verifies employers. (On a clock so early that the
        // last season would come before the 2023 rules, they start with the demo's parties,
        // so that every season has a floor.)
        let regulator = demo_regulator(conn, "CN")?;
        let in_force = NaiveDate::from_ymd_opt(2023, 11, 1).unwrap_or_default().min(set_up.date_naive());
        for rule in rules(in_force) {
            wage_floors::create_rule_in(conn, &regulator, rule, set_up)?;
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
            let account = NewAccount::parse_here(email, DEMO_PASSWORD, Role::Employer, None)?;
            let employer = employers::register_in(conn, registration, account, set_up)?;
            if is_verified {
                employers::verify_in(conn, &regulator, &employer.id, set_up)?;
                let user = users::find_user_by_email(conn, email)?.ok_or_else(AppError::not_found)?;
                let actor =
                    Actor { user_id: user.id, role: Role::Employer, org_id: Some(employer.id.into()) };
                verified.push((actor, region, crossing));
            }
        }
        let agencies = license_agencies(conn, now)?;
        let mut parties = history::Parties {
            cn: regulator,
            vn: demo_regulator(conn, "VN")?,
            employers: verified.clone(),
            agencies: agencies.clone(),
        };
        let mut documents = HashSet::new();
        history::load(conn, &mut parties, (placement_rules, posting), &mut documents, now)?;

        let start = now.date_naive() + Duration::days(7);
        let past_window = now - Duration::days(posting.local_window_days + 1);
        for (i, (employer, region, crossing)) in verified.iter().enumerate() {
            let opened = if i + 1 < verified.len() { past_window } else { now };
            for (j, offer) in offers(start).into_iter().enumerate() {
                let input = VacancyInput {
                    region_code: (*region).into(),
                    crossing_code: (*crossing).into(),
                    headcount: 10 + ((i * 7 + j * 13) % 50) as i32,
                    ..offer
                };
                vacancies::create_in(conn, employer, input, posting, opened)?;
            }
        }
        load_agencies(conn, &agencies, &mut documents, now)?;
        load_offers(conn, placement_rules, now)?;
        Ok(true)
    })
}

/// The group policy a demo employer's contracts state: work injury 600,000 CNY and the
/// return home 3,000 CNY a worker, the employer paying; its number drawn from `key` (a
/// vacancy's title or id).
pub(crate) fn insurance(key: &str) -> Insurance {
    let number = key.bytes().fold(7u32, |n, b| n.wrapping_mul(31).wrapping_add(u32::from(b))) % 1_000_000;
    Insurance {
        insurer: "中国人民财产保险股份有限公司崇左市分公司".into(),
        policy_number: format!("PICC-GX-2026-{number:06}"),
        work_injury_cover_fen: Fen::new(60_000_000),
        return_cover_fen: Fen::new(300_000),
        paid_by: "employer".into(),
    }
}

/// Six offers per verified employer: cane cutting by the piece, loading by the hour, mill
/// work by the month, all above the floors above and with modest, capped deductions.
fn offers(start: NaiveDate) -> Vec<VacancyInput> {
    let base = |title: &str, occupation: &str, basis: PayBasis, wage: i64, weeks: i64| VacancyInput {
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
        wage_fen: Fen::new(wage),
        piece_unit: None,
        guaranteed_hourly_fen: None,
        deductions: vec![],
        housing_provided: true,
        description_zh: None,
        description_vi: None,
        insurance: Some(insurance(title)),
        status: NewStatus::Open,
    };
    let meals = |fen| vec![Deduction { kind: "meals".into(), fen_per_month: Fen::new(fen) }];
    vec![
        VacancyInput {
            piece_unit: Some("tonne".into()),
            guaranteed_hourly_fen: Some(Fen::new(2100)),
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
            guaranteed_hourly_fen: Some(Fen::new(2050)),
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
    /// How many workers it has registered, in all.
    pub workers: usize,
    /// How many of them it registered for the last season, which the demo lives first
    /// (`history`); the others it registers for the coming one.
    pub last_season: usize,
    /// Set for the agency whose licence the regulator suspended: why.
    pub suspended_for: Option<&'static str>,
}

/// Four Vietnamese agencies in the border provinces and two Chinese ones at the crossings;
/// the first owns the demo agency account, and one is suspended now (its workers of last
/// season reported fees), with no workers for the coming season.
pub const AGENCIES: [DemoAgency; 6] = [
    DemoAgency {
        name: "Xứ Lạng Labour Supply JSC (demo)",
        country: "VN",
        licence_number: "VN-LS-2026-0012",
        email: DEMO_ACCOUNTS[2].email,
        home_province: "VN-09",
        workers: 900,
        last_season: 45,
        suspended_for: None,
    },
    DemoAgency {
        name: "Cao Bằng Border Manpower Co., Ltd. (demo)",
        country: "VN",
        licence_number: "VN-CB-2026-0007",
        email: "caobang.agency@demo.seasonlink.vn",
        home_province: "VN-04",
        workers: 700,
        last_season: 32,
        suspended_for: None,
    },
    DemoAgency {
        name: "Móng Cái Overseas Labour JSC (demo)",
        country: "VN",
        licence_number: "VN-QN-2026-0031",
        email: "quangninh.agency@demo.seasonlink.vn",
        home_province: "VN-13",
        workers: 550,
        last_season: 24,
        suspended_for: None,
    },
    DemoAgency {
        name: "Hà Giang Highland Workforce Co., Ltd. (demo)",
        country: "VN",
        licence_number: "VN-HG-2026-0004",
        email: "hagiang.agency@demo.seasonlink.vn",
        home_province: "VN-03",
        workers: 12,
        last_season: 12,
        suspended_for: Some("fees charged to workers reported, under investigation"),
    },
    DemoAgency {
        name: "Pingxiang Youyi Labour Services Co. (demo)",
        country: "CN",
        licence_number: "CN-GX-PX-2026-0003",
        email: "pingxiang.agency@demo.seasonlink.vn",
        home_province: "VN-09",
        workers: 500,
        last_season: 28,
        suspended_for: None,
    },
    DemoAgency {
        name: "Dongxing Beibu Gulf Human Resources Co. (demo)",
        country: "CN",
        licence_number: "CN-GX-DX-2026-0009",
        email: "dongxing.agency@demo.seasonlink.vn",
        home_province: "VN-13",
        workers: 350,
        last_season: 19,
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

/// Each side licenses its own agencies, before the last season; returns their first
/// accounts, in [`AGENCIES`]' order.
fn license_agencies(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Vec<Actor>, AppError> {
    let today = now.date_naive();
    let set_up = now - Duration::days(history::SET_UP_DAYS);
    let mut licensed = Vec::new();
    for (i, demo) in AGENCIES.iter().enumerate() {
        let offset = i as i64;
        let input = AgencyInput {
            name: demo.name.into(),
            country: demo.country.into(),
            licence_number: demo.licence_number.into(),
            licence_valid_from: today - Duration::days(730 - 20 * offset),
            licence_valid_until: today + Duration::days(365 + 30 * offset),
            email: demo.email.into(),
            password: DEMO_PASSWORD.into(),
        };
        let regulator = demo_regulator(conn, demo.country)?;
        let account = NewAccount::parse_here(demo.email, DEMO_PASSWORD, Role::Agency, None)?;
        agencies::create_in(conn, &regulator, input, account, set_up)?;
        let user = users::find_user_by_email(conn, demo.email)?.ok_or_else(AppError::not_found)?;
        licensed.push(Actor { user_id: user.id, role: Role::Agency, org_id: user.org_id });
    }
    Ok(licensed)
}

/// The coming season's registrations: one agency suspended; the others register their
/// workers through the bulk path of a CSV import. The demo worker account logs in as the
/// first agency's first worker of the coming season.
fn load_agencies(
    conn: &mut DbConnection,
    licensed: &[Actor],
    documents: &mut HashSet<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Viet Nam's side activates workers in person.
    let vn_regulator = demo_regulator(conn, "VN")?;
    let today = now.date_naive();
    // The coming harvest season, as the vacancies above.
    let season_start = today + Duration::days(7);
    let mut rng = SplitMix64(0x5EA5_0171_2026_0001);
    for (i, (demo, agency_actor)) in AGENCIES.iter().zip(licensed).enumerate() {
        if let Some(reason) = demo.suspended_for {
            let regulator = demo_regulator(conn, demo.country)?;
            let decision = LicenceDecision { reason: Some(reason.into()) };
            let agency_id = agency_actor.agency_id()?;
            agencies::decide_in(conn, &regulator, &agency_id, LicenceAction::Suspend, decision, now)?;
            continue;
        }
        let mut drafts: Vec<Draft> = (0..demo.workers - demo.last_season)
            .map(|_| worker(&mut rng, demo.home_province, today, season_start, documents))
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
        let ids = workers::register_many(conn, agency_actor, drafts, now)?;
        if i == 0
            && let Some(id) = ids.first()
        {
            let sign_in = SignIn::parse(worker_email).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            let password =
                NewPassword::parse(DEMO_PASSWORD).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            let hash = accounts::hash_password(&password)?;
            activate_in_person(conn, &vn_regulator, id, &sign_in, &hash, now)?;
        }
    }
    Ok(())
}

/// A worker activates its account as it does at the pre-departure session: an authority
/// officer checks its identity document and hands it a one-time code, and the worker sets
/// its own password (the demo's, hashed already). Returns the worker's account.
fn activate_in_person(
    conn: &mut DbConnection,
    regulator: &Actor,
    id: &WorkerId,
    sign_in: &SignIn,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<UserId, AppError> {
    let scope = authorities::scope_in(conn, regulator)?;
    let worker = workers::find_visible(conn, id, &scope)?;
    let request = ActivationRequest { in_person: true, id_document_number: worker.id_document_number };
    // The code is redeemed at once, in this transaction: any key will do.
    let sent =
        credentials::request_activation_in(conn, b"demo", regulator, id, request, Duration::hours(1), now)?;
    let code =
        sent.code.ok_or_else(|| AppError::internal(anyhow::anyhow!("an in-person code is returned")))?;
    credentials::activate_in(conn, sign_in, &code, password_hash, 1, now)?
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
    let own = workers::list_in(conn, &Scope::Agency(agency.agency_id()?))?;
    let demo_worker = own.iter().position(|w| w.email.as_deref() == Some(DEMO_ACCOUNTS[3].email));
    // Those free for the coming season: last season's workers are free no longer.
    let free = now.date_naive();
    let mut order: Vec<usize> = (0..own.len()).filter(|&i| own[i].available_until > free).collect();
    if let Some(first) = demo_worker.and_then(|w| order.iter().position(|&i| i == w)) {
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
                Err(e)
                    if matches!(
                        e.code,
                        ErrorCode::ValidationFailed | ErrorCode::VacancyFull | ErrorCode::LocalWindowOpen
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
        if made == DEMO_OFFERS {
            break;
        }
    }
    Ok(())
}
