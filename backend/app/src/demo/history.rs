//! The last season, already lived: a harvest some thirteen to seven months before the
//! clock's now, so that the statistics, the agencies' records and the regulators' cases have
//! a past to show.
//!
//! It is lived, not written: every step goes through the service that takes it in the real
//! workflow (the `*_in` twin, with the step's own past "now"), in the order the days came, so
//! that every invariant holds and every audit entry, event, timeline line, acceptance, permit,
//! crossing, alert, payslip and case is what the scheme would have recorded. The overstay
//! sweeper runs once a day, as a server would.
//!
//! The season: agencies register workers; employers of six Chongzuo counties and of Dongxing
//! (Fangchenggang) open vacancies; agencies offer seats; workers activate their accounts in
//! person at the pre-departure session and accept (some decline); China's side issues
//! permits; workers cross at the border posts; employers report payslips twice a month (a
//! few below the floor, or with a deduction the contract does not name, which open cases);
//! the season ends (a few early, a few short of the hours guarantee); workers come home, most
//! on time, some late, two not at all (overstays still open). Workers report fees charged by
//! three agencies; complaints come in every category; regulators work the cases over months;
//! Viet Nam's side suspends one agency while it looks into a complaint, then reinstates it.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::people::{SplitMix64, worker};
use super::{AGENCIES, DEMO_PASSWORD};
use crate::actor::{Actor, Jurisdiction};
use crate::db::compliance::{self as compliance_db, CaseFilter};
use crate::db::{DbConnection, users};
use crate::domain::account::{NewPassword, Role, SignIn};
use crate::domain::calendar::china_day;
use crate::domain::licence::LicenceAction;
use crate::domain::money::Fen;
use crate::domain::pay::{Deduction, PayBasis};
use crate::domain::pay_period::{Period, half_months};
use crate::domain::payslip::{Payslip, PayslipDeduction};
use crate::domain::placement::Action;
use crate::domain::worker::Draft;
use crate::error::AppError;
use crate::ids::{CaseId, PlacementId, SessionId, WorkerId};
use crate::services::accounts::{self, AuthMethod, NewAccount};
use crate::services::agencies::{self, LicenceDecision};
use crate::services::compliance::{self, CaseAction, CaseStep, ComplaintInput, FeeReportInput};
use crate::services::employers::{self, Registration};
use crate::services::placements::{self, Acceptance, Crossing, OfferInput, Orientation, Reason, Rules};
use crate::services::vacancies::{self, NewStatus, PostingRules, Vacancy, VacancyInput};
use crate::services::workers;

/// How many days before now the scheme's parties were set up: the regulators' accounts, the
/// floors, the employers and the agencies' licences.
pub(super) const SET_UP_DAYS: i64 = 420;
/// The days (before now) the agencies registered last season's workers (one agency a day).
const REGISTERED_DAYS: i64 = 410;
/// The day the employers opened their vacancies (one an hour), all in one month: seven
/// employers counted in one cell, which the public statistics do not suppress.
const OPENED_DAYS: i64 = 400;
/// The days the agencies made their offers (over six days).
const OFFERED_DAYS: i64 = 388;
/// The day the first season started; each employer's starts two days after the one before.
const SEASON_DAYS: i64 = 372;
/// The agency Viet Nam's side suspended for a while (Móng Cái), and the days it did so and
/// reinstated it: after its workers crossed, before any came home.
const SUSPENDED: usize = 2;
const SUSPENDED_DAYS: (i64, i64) = (350, 322);

/// Every step of the history is taken at a local hour: China's time is UTC+8 all year.
fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0).unwrap_or_default().and_utc() - Duration::hours(8)
}

/// Who acts in the history, as the demo set them up before it.
pub(super) struct Parties {
    /// A regulator of China's side and one of Viet Nam's.
    pub cn: Actor,
    pub vn: Actor,
    /// The verified employers (`EMPLOYERS`' order): the account, its region and crossing.
    pub employers: Vec<(Actor, &'static str, &'static str)>,
    /// The agencies' accounts, in `AGENCIES`' order.
    pub agencies: Vec<Actor>,
}

/// An employer that worked last season only: a banana packer in Dongxing, Fangchenggang, so
/// that the season spans two prefectures. (name, registration, region, crossing, e-mail)
const LAST_SEASON_EMPLOYER: (&str, &str, &str, &str, &str) = (
    "Dongxing Beibu Gulf Banana Packing Co. (demo, last season)",
    "91450681DEMO00008",
    "450681",
    "dongxing",
    "dongxing.banana@demo.seasonlink.vn",
);

/// Last season's vacancies of each verified demo employer: which of [`super::offers`], and
/// how many seats; the rarer skills first, so that those who have them are placed there.
const SEATS: [&[(usize, i32)]; 6] = [
    &[(4, 4), (0, 18), (2, 8)],
    &[(0, 12), (2, 6), (5, 6)],
    &[(4, 4), (0, 14), (2, 6)],
    &[(3, 2), (0, 12), (2, 5)],
    &[(4, 5), (2, 6), (5, 6)],
    &[(0, 12), (2, 6)],
];

/// Where each agency placed its workers (employers by index; 6 is the Dongxing packer).
const AGENCY_EMPLOYERS: [&[usize]; 6] = [&[0, 3, 1, 4], &[2, 5, 4], &[6, 1], &[5, 2], &[3, 0, 4], &[6, 1]];

/// Where the demo's workers attend the pre-departure orientation.
pub(crate) const ORIENTATION_PLACE: &str = "Hội trường Sở Nội vụ tỉnh Lạng Sơn, TP. Lạng Sơn";

/// The Dongxing packer's one vacancy, for a season starting `start`.
fn banana(start: NaiveDate) -> VacancyInput {
    VacancyInput {
        title: "Banana harvest and packing hands".into(),
        occupation_code: "banana_packing".into(),
        region_code: LAST_SEASON_EMPLOYER.2.into(),
        crossing_code: LAST_SEASON_EMPLOYER.3.into(),
        headcount: 18,
        season_start: start,
        season_end: start + Duration::weeks(12),
        hours_per_week: 44,
        guaranteed_hours_per_week: 40,
        required_skills: vec![],
        pay_basis: PayBasis::Hourly,
        wage_fen: Fen::new(2250),
        piece_unit: None,
        guaranteed_hourly_fen: None,
        deductions: vec![Deduction { kind: "meals".into(), fen_per_month: Fen::new(15_000) }],
        housing_provided: true,
        description_zh: Some("香蕉采收包装，每小时22.5元，包住，伙食每月150元。".into()),
        description_vi: Some(
            "Thu hoạch và đóng gói chuối, 22,5 tệ mỗi giờ, có chỗ ở, tiền ăn 150 tệ mỗi tháng.".into(),
        ),
        insurance: Some(super::insurance("Banana harvest and packing hands")),
        status: NewStatus::Open,
    }
}

/// What became of a worker offered a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// Worked the season, came home on time.
    OnTime,
    Decline,
    /// Accepted and got its permit, then fell ill: the agency withdrew the offer.
    Withdrawn,
    /// Never came home: an overstay still open.
    Overstay,
    /// Came home after the permit's last day, once the sweeper had raised it.
    Late,
    /// The employer ended the placement early; the worker came home at once.
    Terminated,
    /// Paid for too few hours: the hours guarantee opens a case at the season's end.
    HoursShort,
    /// One payslip below the floor: a wage case.
    BelowFloor,
    /// One payslip deducts what the contract does not name: a wage case.
    NotInContract,
}

/// How many of the placed workers meet each fate but the common one, in this order.
const FATES: [(Fate, usize); 8] = [
    (Fate::Decline, 8),
    (Fate::Withdrawn, 2),
    (Fate::Overstay, 2),
    (Fate::Late, 6),
    (Fate::Terminated, 3),
    (Fate::HoursShort, 3),
    (Fate::BelowFloor, 5),
    (Fate::NotInContract, 2),
];

/// One payslip as planned: its period, the day it was paid, and how much was worked.
struct PayPlan {
    period: (NaiveDate, NaiveDate),
    paid_on: NaiveDate,
    /// Hours worked, per mille of the contract's weekly hours.
    hours_permille: i64,
    /// A piece worker's pay above its guaranteed hourly rate, in per cent.
    bonus_percent: i64,
    /// This payslip breaks the rules (the worker's fate says how).
    faulty: bool,
}

/// A worker of the history: what was planned for it, then what the services answered.
struct Person {
    agency: usize,
    draft: Draft,
    phone: String,
    /// The vacancy it was offered a seat of.
    seat: Option<usize>,
    fate: Fate,
    lang: &'static str,
    worker_id: Option<WorkerId>,
    account: Option<(Actor, SessionId)>,
    placement: Option<placements::Placement>,
    /// The wage case its faulty payslip opened.
    wage_case: Option<CaseId>,
}

/// Which case a step is on: the one a person's payslip or season opened, or a fee report's
/// or a complaint's.
enum CaseOf {
    /// The wage case of a person's faulty payslip.
    Payslip(usize),
    /// The hours case of a person's season.
    Hours(usize),
    Fee(usize),
    Complaint(usize),
}

/// How a case ended: upheld or not, what the worker got back, in the regulator's words.
#[derive(Clone, Copy)]
struct Resolution {
    upheld: bool,
    /// In fen; `None` for all that was owed.
    recovered: Option<i64>,
    outcome: &'static str,
}

/// A case as a regulator of the side it is routed to works it: when it was opened, how many
/// days later it was assigned and noted on, and when and how it was resolved (if it was).
struct CaseWork {
    of: CaseOf,
    opened: DateTime<Utc>,
    assign_after: i64,
    comment: Option<(i64, &'static str)>,
    resolve: Option<(DateTime<Utc>, Resolution)>,
}

/// A fee a worker reported: the nth placed worker of an agency, how much, when it paid,
/// when it reported, and how the case ended (days before now).
struct FeePlan {
    agency: usize,
    nth: usize,
    yuan: i64,
    paid_days: i64,
    filed_days: i64,
    paid_to: &'static str,
    description: &'static str,
    resolved: Option<(i64, Resolution)>,
}

const fn upheld(recovered: Option<i64>, outcome: &'static str) -> Resolution {
    Resolution { upheld: true, recovered, outcome }
}

const fn not_upheld(outcome: &'static str) -> Resolution {
    Resolution { upheld: false, recovered: Some(0), outcome }
}

const FEES: [FeePlan; 9] = [
    FeePlan {
        agency: 3,
        nth: 0,
        yuan: 3000,
        paid_days: 412,
        filed_days: 355,
        paid_to: "Người tuyển dụng của công ty ở Hà Giang",
        description: "Tôi phải trả 3.000 tệ 'phí đào tạo' trước khi được đăng ký đi làm mùa mía.",
        resolved: Some((240, upheld(None, "The agency charged a 'training fee'; it refunded it in full."))),
    },
    FeePlan {
        agency: 3,
        nth: 1,
        yuan: 2500,
        paid_days: 411,
        filed_days: 348,
        paid_to: "Người tuyển dụng của công ty",
        description: "Công ty thu 2.500 tệ tiền 'giữ chỗ' trước khi ký hợp đồng.",
        resolved: Some((215, upheld(None, "A 'seat deposit' is a recruitment fee; refunded in full."))),
    },
    FeePlan {
        agency: 3,
        nth: 2,
        yuan: 3000,
        paid_days: 412,
        filed_days: 330,
        paid_to: "",
        description: "Tôi đã trả 3.000 tệ cho công ty để được đi làm ở Trung Quốc.",
        resolved: Some((
            190,
            upheld(Some(150_000), "Upheld; the agency refunded half so far, the rest is pursued."),
        )),
    },
    FeePlan {
        agency: 3,
        nth: 3,
        yuan: 1800,
        paid_days: 415,
        filed_days: 300,
        paid_to: "Văn phòng công ty",
        description: "Tôi trả 1.800 tệ khi làm hộ chiếu qua công ty.",
        resolved: Some((
            150,
            not_upheld("The payment was the passport office's own fee, paid there on the worker's behalf."),
        )),
    },
    FeePlan {
        agency: 3,
        nth: 4,
        yuan: 3500,
        paid_days: 410,
        filed_days: 96,
        paid_to: "Người tuyển dụng của công ty",
        description: "Năm ngoái tôi phải trả 3.500 tệ cho người tuyển dụng; nay mới dám báo.",
        resolved: None,
    },
    FeePlan {
        agency: 3,
        nth: 5,
        yuan: 2000,
        paid_days: 411,
        filed_days: 41,
        paid_to: "",
        description: "Công ty thu của tôi 2.000 tệ trước mùa vụ năm ngoái.",
        resolved: None,
    },
    FeePlan {
        agency: 4,
        nth: 0,
        yuan: 1200,
        paid_days: 392,
        filed_days: 320,
        paid_to: "凭祥的中介",
        description: "Tôi trả 1.200 tệ tiền xe đến buổi định hướng trước khi đi.",
        resolved: Some((
            260,
            not_upheld("The bus was hired by the worker's village, not by the agency; nothing was owed."),
        )),
    },
    FeePlan {
        agency: 4,
        nth: 1,
        yuan: 2000,
        paid_days: 395,
        filed_days: 240,
        paid_to: "Nhân viên công ty ở cửa khẩu",
        description: "Nhân viên công ty thu 2.000 tệ 'phí làm giấy phép'.",
        resolved: Some((130, upheld(None, "Permits are free to workers; the agency refunded the charge."))),
    },
    FeePlan {
        agency: 1,
        nth: 0,
        yuan: 800,
        paid_days: 400,
        filed_days: 345,
        paid_to: "",
        description: "Tôi trả 800 tệ tiền khám sức khỏe qua công ty.",
        resolved: Some((
            300,
            not_upheld("The health check was paid to the district hospital, which the worker chose itself."),
        )),
    },
];

/// Whom a complaint is about.
#[derive(Clone, Copy)]
enum About {
    Employer(usize),
    Agency(usize),
    Nobody,
}

/// Who files it.
#[derive(Clone, Copy)]
enum Filer {
    /// A worker placed with the employer or agency it is about, signed in, with its phone
    /// as the contact.
    Worker,
    /// Someone else, who leaves a contact but no account.
    Contact(&'static str),
    Anonymous,
}

struct ComplaintPlan {
    filed_days: i64,
    category: &'static str,
    about: About,
    from: Filer,
    language: &'static str,
    text: &'static str,
    resolved: Option<(i64, Resolution)>,
}

const COMPLAINTS: [ComplaintPlan; 14] = [
    ComplaintPlan {
        filed_days: 371,
        category: "other",
        about: About::Nobody,
        from: Filer::Contact("interpreter.le@example.vn"),
        language: "en",
        text: "Workers waited six hours at the Youyiguan crossing: the post said their permits were not on its list.",
        resolved: Some((
            360,
            not_upheld("The list was complete; a network outage at the post delayed the checks."),
        )),
    },
    ComplaintPlan {
        filed_days: 365,
        category: "other",
        about: About::Nobody,
        from: Filer::Anonymous,
        language: "vi",
        text: "Xe đưa công nhân từ cửa khẩu về nơi làm việc quá đông, nhiều người phải đứng suốt ba tiếng.",
        resolved: Some((357, upheld(Some(0), "The employers added buses for the arrival days."))),
    },
    ComplaintPlan {
        filed_days: 362,
        category: "fees",
        about: About::Agency(3),
        from: Filer::Anonymous,
        language: "vi",
        text: "Người tuyển dụng của công ty thu mỗi người 2.000 đến 3.500 tệ trước khi đi.",
        resolved: Some((
            200,
            upheld(Some(0), "Fees charged: the workers' own reports were upheld and refunds ordered."),
        )),
    },
    ComplaintPlan {
        filed_days: 353,
        category: "documents_withheld",
        about: About::Agency(SUSPENDED),
        from: Filer::Worker,
        language: "vi",
        text: "Nhân viên của công ty giữ hộ chiếu của chúng tôi ở nơi làm việc và không trả khi chúng tôi hỏi.",
        resolved: Some((
            322,
            upheld(
                Some(0),
                "Eleven passports were held by the agency's site staff; all returned, the staff replaced.",
            ),
        )),
    },
    ComplaintPlan {
        filed_days: 350,
        category: "fees",
        about: About::Agency(4),
        from: Filer::Worker,
        language: "vi",
        text: "Tôi phải trả tiền xe đến buổi định hướng trước khi đi.",
        resolved: Some((268, not_upheld("The bus was hired by the worker's village, not by the agency."))),
    },
    ComplaintPlan {
        filed_days: 345,
        category: "housing",
        about: About::Employer(1),
        from: Filer::Anonymous,
        language: "vi",
        text: "Mái nhà ở tập thể bị dột, mười hai người ngủ chung một phòng.",
        resolved: Some((331, upheld(Some(0), "Inspected: the roof was repaired and a second room opened."))),
    },
    ComplaintPlan {
        filed_days: 340,
        category: "wages",
        about: About::Employer(0),
        from: Filer::Worker,
        language: "vi",
        text: "Tiền công nửa tháng đầu trả chậm hai tuần và không có phiếu lương.",
        resolved: Some((
            300,
            upheld(Some(0), "The employer now pays five days after each period, with a payslip."),
        )),
    },
    ComplaintPlan {
        filed_days: 336,
        category: "safety",
        about: About::Employer(2),
        from: Filer::Anonymous,
        language: "zh-CN",
        text: "糖厂压榨车间的传送带没有防护罩，工人没有手套。",
        resolved: Some((
            250,
            upheld(Some(0), "Guards fitted and gloves issued; the work-safety bureau fined the mill."),
        )),
    },
    ComplaintPlan {
        filed_days: 326,
        category: "violence",
        about: About::Employer(3),
        from: Filer::Worker,
        language: "vi",
        text: "Tổ trưởng đánh một công nhân vì làm chậm.",
        resolved: Some((232, upheld(Some(0), "The foreman was dismissed and the police took the case."))),
    },
    ComplaintPlan {
        filed_days: 318,
        category: "safety",
        about: About::Employer(6),
        from: Filer::Worker,
        language: "vi",
        text: "Hóa chất rửa chuối làm bỏng tay, không có găng tay.",
        resolved: Some((
            306,
            upheld(Some(0), "Gloves and aprons issued; the washing line's chemical was changed."),
        )),
    },
    ComplaintPlan {
        filed_days: 312,
        category: "housing",
        about: About::Employer(4),
        from: Filer::Anonymous,
        language: "vi",
        text: "Nhà ở của công nhân nhà máy không có nước nóng.",
        resolved: Some((290, upheld(Some(0), "Water heaters installed."))),
    },
    ComplaintPlan {
        filed_days: 305,
        category: "wages",
        about: About::Employer(5),
        from: Filer::Worker,
        language: "vi",
        text: "Tiền chặt mía tính theo tấn nhưng cân không đúng, chúng tôi bị thiệt.",
        resolved: Some((
            180,
            not_upheld("The scales were within tolerance; piece pay was topped up to the guaranteed rate."),
        )),
    },
    ComplaintPlan {
        filed_days: 290,
        category: "documents_withheld",
        about: About::Agency(5),
        from: Filer::Worker,
        language: "vi",
        text: "Công ty giữ thẻ căn cước của tôi.",
        resolved: Some((
            262,
            not_upheld("The worker left the card at the agency's office for its permit; collected."),
        )),
    },
    ComplaintPlan {
        filed_days: 60,
        category: "wages",
        about: About::Employer(1),
        from: Filer::Anonymous,
        language: "vi",
        text: "Tiền làm thêm giờ mùa vụ năm ngoái vẫn chưa được trả đủ.",
        resolved: None,
    },
];

/// Days after a faulty payslip that its wage case was resolved; the last one still waits.
const WAGE_RESOLVED_AFTER: [Option<i64>; 7] =
    [Some(16), Some(33), Some(58), Some(81), Some(117), Some(149), None];
/// Days after the season's end that each hours case was resolved, and how.
const HOURS_RESOLVED: [(i64, Resolution); 3] = [
    (42, upheld(None, "The employer paid the guaranteed hours it had not offered.")),
    (88, upheld(None, "Paid after a reminder: the guaranteed hours at the contract's rate.")),
    (
        120,
        not_upheld("Work stopped for eleven days of rain and a mill breakdown: the guarantee excuses them."),
    ),
];

/// The plan of the whole season, then what the services answered.
struct History {
    today: NaiveDate,
    vacancies: Vec<(usize, VacancyInput)>,
    opened: Vec<Option<Vacancy>>,
    people: Vec<Person>,
    pay: Vec<Vec<PayPlan>>,
    cases: Vec<CaseWork>,
    fee_cases: Vec<Option<CaseId>>,
    complaint_refs: Vec<Option<String>>,
    complainants: Vec<Option<usize>>,
    fee_reporters: Vec<usize>,
}

/// One step of the season, taken at its instant.
enum Step {
    Register(usize),
    Open(usize),
    Offer(usize),
    /// The worker activates its account in person and signs in.
    Activate(usize),
    /// It reads its contract and accepts it, or declines the offer.
    Answer(usize),
    Permit(usize),
    Withdraw(usize),
    Depart(usize),
    Pay(usize, usize),
    Finish(usize),
    Return(usize),
    Sweep,
    Close(usize),
    Fee(usize),
    Complaint(usize),
    Case(usize, CaseAction),
    Licence(LicenceAction),
}

/// Lives the last season: plans it (deterministically, from the demo's seed and `now`), then
/// takes its steps in time order. `documents` collects the workers' document numbers, so that
/// the coming season's workers do not repeat them. Its offers come twelve days after its
/// vacancies opened: past a local window of up to twelve days.
pub(super) fn load(
    conn: &mut DbConnection,
    parties: &mut Parties,
    rules: (Rules, PostingRules),
    documents: &mut HashSet<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // China's days: the season's dates are days in Chongzuo.
    let today = (now + Duration::hours(8)).date_naive();
    let (name, registration_no, region, crossing, email) = LAST_SEASON_EMPLOYER;
    let registration = Registration {
        name: name.into(),
        registration_no: registration_no.into(),
        region_code: region.into(),
        email: email.into(),
        password: DEMO_PASSWORD.into(),
    };
    // Registered and verified after the demo's other parties were set up.
    let set_up = now - Duration::days(SET_UP_DAYS);
    let account = NewAccount::parse_here(email, DEMO_PASSWORD, Role::Employer, None)?;
    let employer = employers::register_in(conn, registration, account, set_up + Duration::hours(1))?;
    employers::verify_in(conn, &parties.cn, &employer.id, set_up + Duration::hours(2))?;
    let user = users::find_user_by_email(conn, email)?.ok_or_else(AppError::not_found)?;
    let actor = Actor { user_id: user.id, role: Role::Employer, org_id: Some(employer.id.into()) };
    parties.employers.push((actor, region, crossing));

    let mut history = plan(today, documents)?;
    let mut steps = schedule(&history);
    steps.sort_by_key(|(instant, order, _)| (*instant, *order));
    // Every worker sets the demo's password at activation (hashed once: a demo's shortcut).
    let password = NewPassword::parse(DEMO_PASSWORD).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let password_hash = accounts::hash_password(&password)?;
    for (instant, _, step) in steps {
        take(conn, &mut history, parties, rules, &password_hash, step, instant)?;
    }
    Ok(())
}

/// The season planned: its vacancies, its workers and where each was placed, every fate,
/// payslip, fee report, complaint and case.
fn plan(today: NaiveDate, documents: &mut HashSet<String>) -> Result<History, AppError> {
    let mut rng = SplitMix64(0x5EA5_0171_2025_0001);
    let first_start = today - Duration::days(SEASON_DAYS);
    let start_of = |employer: usize| first_start + Duration::days(2 * employer as i64);
    let mut vacancies = Vec::new();
    for (employer, seats) in SEATS.iter().enumerate() {
        let offers = super::offers(start_of(employer));
        for &(offer, headcount) in *seats {
            let Some(input) = offers.get(offer) else { continue };
            vacancies.push((employer, VacancyInput { headcount, ..input.clone() }));
        }
    }
    vacancies.push((6, banana(start_of(6))));
    let last_end = vacancies.iter().map(|(_, v)| v.season_end).max().unwrap_or(first_start);
    for (_, input) in &mut vacancies {
        let year = input.season_start.year();
        input.title = format!("{} ({year}/{:02})", input.title, (year + 1) % 100);
    }

    // The workers, agency by agency: free for the whole season, each with a phone to sign in.
    let mut people = Vec::new();
    for (agency, demo) in AGENCIES.iter().enumerate() {
        let registered = today - Duration::days(REGISTERED_DAYS) + Duration::days(agency as i64);
        for _ in 0..demo.last_season {
            let mut draft = worker(&mut rng, demo.home_province, registered, first_start, documents);
            draft.available_from = Some(first_start - Duration::days(3 + rng.below(8) as i64));
            draft.available_until = Some(last_end + Duration::days(20 + rng.below(40) as i64));
            let phone = match &draft.phone {
                Some(phone) => phone.clone(),
                None => format!("+84 3{:02} {:03} {:03}", rng.below(100), rng.below(1000), rng.below(1000)),
            };
            draft.phone = Some(phone.clone());
            let lang =
                if draft.languages.iter().any(|l| l == "zh") && rng.chance(40) { "zh-CN" } else { "vi" };
            people.push(Person {
                agency,
                draft,
                phone,
                seat: None,
                fate: Fate::OnTime,
                lang,
                worker_id: None,
                account: None,
                placement: None,
                wage_case: None,
            });
        }
    }

    // Seats, round the agencies in turn: each worker the first seat of its agency's employers
    // (starting from a different one each time) that it has the skills for.
    let mut left: Vec<i32> = vacancies.iter().map(|(_, v)| v.headcount).collect();
    let most = AGENCIES.iter().map(|a| a.last_season).max().unwrap_or(0);
    for j in 0..most {
        for (agency, preferred) in AGENCY_EMPLOYERS.iter().enumerate() {
            let Some(p) = people.iter().position(|p| p.agency == agency).map(|first| first + j) else {
                continue;
            };
            if j >= AGENCIES[agency].last_season {
                continue;
            }
            'employers: for r in 0..preferred.len() {
                let employer = preferred[(j + r) % preferred.len()];
                for (v, (of, input)) in vacancies.iter().enumerate() {
                    let skilled = input.required_skills.iter().all(|s| people[p].draft.skills.contains(s));
                    if *of == employer && left[v] > 0 && skilled {
                        left[v] -= 1;
                        people[p].seat = Some(v);
                        break 'employers;
                    }
                }
            }
        }
    }

    // Fates, drawn over the placed workers in a shuffled order.
    let mut placed: Vec<usize> = (0..people.len()).filter(|&p| people[p].seat.is_some()).collect();
    for i in (1..placed.len()).rev() {
        placed.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut order = placed.iter();
    for (fate, count) in FATES {
        let mut given = 0;
        while given < count {
            let Some(&p) = order.next() else { break };
            // The suspended agency records no early return while it may not act.
            if fate == Fate::Terminated && people[p].agency == SUSPENDED {
                continue;
            }
            people[p].fate = fate;
            given += 1;
        }
    }

    // Payslips twice a month, from the day of crossing to the last day worked.
    let mut pay = Vec::new();
    for person in &people {
        let mut slips = Vec::new();
        if let Some(v) = person.seat
            && !matches!(person.fate, Fate::Decline | Fate::Withdrawn)
        {
            let (first, last) = days_worked(person, &vacancies[v].1);
            for Period { start, end } in half_months(first, last) {
                slips.push(PayPlan {
                    period: (start, end),
                    paid_on: (end + Duration::days(5)).min(last),
                    hours_permille: if person.fate == Fate::HoursShort {
                        450
                    } else {
                        900 + rng.below(141) as i64
                    },
                    bonus_percent: rng.below(16) as i64,
                    faulty: false,
                });
            }
            if matches!(person.fate, Fate::BelowFloor | Fate::NotInContract) {
                let faulty = 2.min(slips.len().saturating_sub(1));
                if let Some(slip) = slips.get_mut(faulty) {
                    slip.faulty = true;
                }
            }
        }
        pay.push(slips);
    }

    let mut history = History {
        today,
        opened: vec![None; vacancies.len()],
        vacancies,
        people,
        pay,
        cases: Vec::new(),
        fee_cases: vec![None; FEES.len()],
        complaint_refs: vec![None; COMPLAINTS.len()],
        complainants: Vec::new(),
        fee_reporters: Vec::new(),
    };
    plan_cases(&mut history)?;
    Ok(history)
}

/// The day a person's offer was made: its agency's offers spread over six days.
fn offer_day(history: &History, p: usize) -> NaiveDate {
    let person = &history.people[p];
    let first = history.people.iter().position(|q| q.agency == person.agency).unwrap_or(p);
    history.today - Duration::days(OFFERED_DAYS) + Duration::days(((p - first) % 6) as i64)
}

/// A small number drawn from a person's index, the same on every run: spreads the days.
fn spread(p: usize, salt: usize, n: usize) -> i64 {
    ((p * 7919 + salt * 104_729) % n.max(1)) as i64
}

/// The first and the last day a person worked: the crossing, and the season's end (or the
/// early end).
fn days_worked(person: &Person, vacancy: &VacancyInput) -> (NaiveDate, NaiveDate) {
    let index = person.draft.id_document_number.bytes().map(usize::from).sum::<usize>();
    let first = vacancy.season_start + Duration::days(spread(index, 1, 4));
    let last = match person.fate {
        Fate::Terminated => vacancy.season_start + Duration::days(30 + spread(index, 2, 16)),
        _ => vacancy.season_end,
    };
    (first, last)
}

/// The regulators' work: each faulty payslip's and each short season's case, each fee report
/// and each complaint, with the worker each comes from.
fn plan_cases(history: &mut History) -> Result<(), AppError> {
    let today = history.today;
    let day = |days: i64| today - Duration::days(days);
    let mut cases = Vec::new();
    let mut wage = 0;
    let mut hours = 0;
    for (p, person) in history.people.iter().enumerate() {
        let Some(v) = person.seat else { continue };
        if let Some(slip) = history.pay[p].iter().find(|s| s.faulty) {
            let opened = at(slip.paid_on, 16, 0);
            let resolve = WAGE_RESOLVED_AFTER.get(wage).copied().flatten().map(|after| {
                let how = upheld(None, "The employer paid the difference into the worker's account.");
                (opened + Duration::days(after), how)
            });
            wage += 1;
            cases.push(CaseWork {
                of: CaseOf::Payslip(p),
                opened,
                assign_after: 2,
                comment: Some((9, "Asked the employer for the period's time sheets and bank transfers.")),
                resolve,
            });
        }
        if person.fate == Fate::HoursShort {
            let end = history.vacancies[v].1.season_end;
            let opened = at(end, 18, 0);
            let resolve =
                HOURS_RESOLVED.get(hours).map(|(after, how)| (opened + Duration::days(*after), *how));
            hours += 1;
            cases.push(CaseWork {
                of: CaseOf::Hours(p),
                opened,
                assign_after: 3,
                comment: Some((12, "Compared the season's payslips with the employer's work records.")),
                resolve,
            });
        }
    }
    for (f, fee) in FEES.iter().enumerate() {
        let reporter = history
            .people
            .iter()
            .enumerate()
            .filter(|(_, p)| p.agency == fee.agency && p.seat.is_some())
            .map(|(i, _)| i)
            .nth(fee.nth)
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("no worker {} of agency {}", fee.nth, fee.agency))
            })?;
        history.fee_reporters.push(reporter);
        cases.push(CaseWork {
            of: CaseOf::Fee(f),
            opened: at(day(fee.filed_days), 20, 0),
            assign_after: 3,
            comment: Some((20, "Heard the worker and the agency's recruiter.")),
            resolve: fee.resolved.map(|(days, how)| (at(day(days), 11, 0), how)),
        });
    }
    for (c, complaint) in COMPLAINTS.iter().enumerate() {
        let complainant = match complaint.from {
            Filer::Worker => Some(
                witness(history, complaint.about)
                    .ok_or_else(|| AppError::internal(anyhow::anyhow!("no worker to file complaint {c}")))?,
            ),
            _ => None,
        };
        history.complainants.push(complainant);
        cases.push(CaseWork {
            of: CaseOf::Complaint(c),
            opened: at(day(complaint.filed_days), 21, 0),
            assign_after: 2,
            comment: Some((7, "Visited the worksite and spoke with the workers.")),
            resolve: complaint.resolved.map(|(days, how)| (at(day(days), 14, 0), how)),
        });
    }
    history.cases = cases;
    Ok(())
}

/// The first worker who worked the season with the employer or through the agency a
/// complaint is about (anyone's, for a complaint about nobody).
fn witness(history: &History, about: About) -> Option<usize> {
    history.people.iter().position(|p| {
        let worked = p.seat.is_some() && !matches!(p.fate, Fate::Decline | Fate::Withdrawn);
        let concerned = match (about, p.seat) {
            (About::Employer(e), Some(v)) => history.vacancies[v].0 == e,
            (About::Agency(a), _) => p.agency == a,
            _ => true,
        };
        worked && concerned
    })
}

/// Every step of the plan at its instant (the order breaks ties: the order they were listed).
fn schedule(history: &History) -> Vec<(DateTime<Utc>, usize, Step)> {
    let mut steps = Vec::new();
    let mut add = |instant: DateTime<Utc>, step: Step| {
        let order = steps.len();
        steps.push((instant, order, step));
    };
    let today = history.today;
    let day = |days: i64| today - Duration::days(days);
    for agency in 0..AGENCIES.len() {
        add(at(day(REGISTERED_DAYS) + Duration::days(agency as i64), 10, 0), Step::Register(agency));
    }
    for (v, (employer, input)) in history.vacancies.iter().enumerate() {
        add(at(day(OPENED_DAYS), 9 + *employer as u32, 0), Step::Open(v));
        add(at(input.season_end + Duration::days(20), 10, 0), Step::Close(v));
    }
    for (p, person) in history.people.iter().enumerate() {
        let Some(v) = person.seat else { continue };
        let vacancy = &history.vacancies[v].1;
        let offered = offer_day(history, p);
        add(at(offered, 10, 0), Step::Offer(p));
        let answered = offered + Duration::days(1 + spread(p, 3, 3));
        add(at(answered, 9, 0), Step::Activate(p));
        add(at(answered, 9, 30), Step::Answer(p));
        if person.fate == Fate::Decline {
            continue;
        }
        let permitted = answered + Duration::days(2 + spread(p, 4, 3));
        add(at(permitted, 15, 0), Step::Permit(p));
        if person.fate == Fate::Withdrawn {
            add(at(permitted + Duration::days(2), 11, 0), Step::Withdraw(p));
            continue;
        }
        let (first, last) = days_worked(person, vacancy);
        add(at(first, 9, 30), Step::Depart(p));
        for (k, slip) in history.pay[p].iter().enumerate() {
            add(at(slip.paid_on, 16, 0), Step::Pay(p, k));
        }
        add(at(last, 18, 0), Step::Finish(p));
        let home = match person.fate {
            Fate::Overstay => None,
            Fate::Late => Some(last + Duration::days(16 + spread(p, 5, 30))),
            Fate::Terminated => Some(last + Duration::days(2 + spread(p, 6, 3))),
            _ => Some(last + Duration::days(1 + spread(p, 7, 10))),
        };
        if let Some(home) = home {
            add(at(home, 11, 0), Step::Return(p));
        }
    }
    // The sweeper, once a day from the first crossing until yesterday.
    let mut sweep_day = day(SEASON_DAYS);
    while sweep_day < today {
        add(at(sweep_day, 0, 30), Step::Sweep);
        sweep_day += Duration::days(1);
    }
    for (f, fee) in FEES.iter().enumerate() {
        add(at(day(fee.filed_days), 20, 0), Step::Fee(f));
    }
    for (c, complaint) in COMPLAINTS.iter().enumerate() {
        add(at(day(complaint.filed_days), 21, 0), Step::Complaint(c));
    }
    for (w, case) in history.cases.iter().enumerate() {
        add(case.opened + Duration::days(case.assign_after), Step::Case(w, CaseAction::Assign));
        if let Some((after, _)) = case.comment {
            add(case.opened + Duration::days(after), Step::Case(w, CaseAction::Comment));
        }
        if let Some((resolved, _)) = case.resolve {
            add(resolved, Step::Case(w, CaseAction::Resolve));
        }
    }
    add(at(day(SUSPENDED_DAYS.0), 10, 0), Step::Licence(LicenceAction::Suspend));
    add(at(day(SUSPENDED_DAYS.1), 15, 0), Step::Licence(LicenceAction::Reinstate));
    steps
}

fn missing(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("demo history: {what} is missing"))
}

/// Takes one step through its service, at `now`.
fn take(
    conn: &mut DbConnection,
    history: &mut History,
    parties: &Parties,
    (rules, posting): (Rules, PostingRules),
    password_hash: &str,
    step: Step,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    match step {
        Step::Register(agency) => {
            let drafts: Vec<Draft> =
                history.people.iter().filter(|p| p.agency == agency).map(|p| p.draft.clone()).collect();
            let ids = workers::register_many(conn, &parties.agencies[agency], drafts, now)?;
            let mine = history.people.iter_mut().filter(|p| p.agency == agency);
            for (person, id) in mine.zip(ids) {
                person.worker_id = Some(id);
            }
        }
        Step::Open(v) => {
            let (employer, input) = &history.vacancies[v];
            let (actor, region, crossing) = &parties.employers[*employer];
            let input = VacancyInput {
                region_code: (*region).into(),
                crossing_code: (*crossing).into(),
                ..input.clone()
            };
            let vacancy = vacancies::create_in(conn, actor, input, posting, now)?;
            history.opened[v] = Some(vacancy);
        }
        Step::Close(v) => {
            let actor = &parties.employers[history.vacancies[v].0].0;
            let id = history.opened[v].as_ref().ok_or_else(|| missing("vacancy"))?.id.clone();
            vacancies::close_in(conn, actor, &id, now)?;
        }
        Step::Offer(p) => {
            let person = &history.people[p];
            let v = person.seat.ok_or_else(|| missing("seat"))?;
            let input = OfferInput {
                vacancy_id: history.opened[v].as_ref().ok_or_else(|| missing("vacancy"))?.id.clone(),
                worker_id: person.worker_id.clone().ok_or_else(|| missing("worker"))?,
            };
            let placement = placements::offer_in(conn, &parties.agencies[person.agency], input, rules, now)?;
            history.people[p].placement = Some(placement);
        }
        Step::Activate(p) => {
            let person = &history.people[p];
            let worker_id = person.worker_id.clone().ok_or_else(|| missing("worker"))?;
            let sign_in = SignIn::parse(&person.phone).map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
            let user_id =
                super::activate_in_person(conn, &parties.vn, &worker_id, &sign_in, password_hash, now)?;
            let session =
                accounts::open_session(conn, &user_id, AuthMethod::Activation, now, Duration::hours(12))?;
            let actor = Actor { user_id, role: Role::Worker, org_id: Some(worker_id.into()) };
            history.people[p].account = Some((actor, session));
        }
        Step::Answer(p) => answer(conn, history, p, now)?,
        Step::Permit(p) => {
            let placement = placement_of(history, p)?;
            placements::verify_insurance_in(conn, &parties.cn, &placement, now)?;
            placements::issue_permit_in(conn, &parties.cn, &placement, rules, now)?;
            // The agency records the orientation its workers attended that morning.
            let agency = &parties.agencies[history.people[p].agency];
            let attended = Orientation { attended_on: china_day(now), place: ORIENTATION_PLACE.into() };
            placements::record_orientation_in(conn, agency, &placement, attended, now)?;
        }
        Step::Withdraw(p) => {
            let reason = Reason { reason: Some("The worker fell ill before departure.".into()) };
            let agency = &parties.agencies[history.people[p].agency];
            placements::end_before_departure_in(
                conn,
                agency,
                &placement_of(history, p)?,
                Action::Withdraw,
                reason,
                now,
            )?;
        }
        Step::Depart(p) | Step::Return(p) => {
            let agency = &parties.agencies[history.people[p].agency];
            let v = history.people[p].seat.ok_or_else(|| missing("seat"))?;
            let crossing_code =
                history.opened[v].as_ref().ok_or_else(|| missing("vacancy"))?.crossing_code.clone();
            // The agency records the crossing an hour after it.
            let crossing = Crossing { crossing_code, at: now - Duration::hours(1) };
            let id = placement_of(history, p)?;
            if matches!(step, Step::Depart(_)) {
                placements::depart_in(conn, agency, &id, crossing, now)?;
            } else {
                placements::record_return_in(conn, agency, &id, crossing, now)?;
            }
        }
        Step::Pay(p, k) => {
            let v = history.people[p].seat.ok_or_else(|| missing("seat"))?;
            let vacancy = history.opened[v].as_ref().ok_or_else(|| missing("vacancy"))?;
            let slip = payslip(vacancy, &history.pay[p][k], history.people[p].fate);
            let employer = &parties.employers[history.vacancies[v].0].0;
            let id = placement_of(history, p)?;
            let view = compliance::report_payslip_in(conn, employer, &id, slip, rules.pay(), now)?;
            if view.case_id.is_some() {
                history.people[p].wage_case = view.case_id;
            }
        }
        Step::Finish(p) => {
            let v = history.people[p].seat.ok_or_else(|| missing("seat"))?;
            let employer = &parties.employers[history.vacancies[v].0].0;
            let (action, reason) = if history.people[p].fate == Fate::Terminated {
                (
                    Action::Terminate,
                    Some("The worker hurt its hand; sent home with its pay settled.".to_owned()),
                )
            } else {
                (Action::Complete, None)
            };
            placements::finish_in(
                conn,
                employer,
                &placement_of(history, p)?,
                action,
                Reason { reason },
                now,
            )?;
        }
        Step::Sweep => {
            placements::sweep(conn, now)?;
        }
        Step::Fee(f) => {
            let fee = &FEES[f];
            let reporter = &history.people[history.fee_reporters[f]];
            let (actor, _) = reporter.account.as_ref().ok_or_else(|| missing("worker account"))?;
            let input = FeeReportInput {
                agency_id: parties.agencies[fee.agency].agency_id()?,
                amount_fen: Fen::new(fee.yuan * 100),
                paid_on: history.today - Duration::days(fee.paid_days),
                paid_to: Some(fee.paid_to.into()),
                description: fee.description.into(),
            };
            history.fee_cases[f] = Some(compliance::report_fee_in(conn, actor, input, now)?.case_id);
        }
        Step::Complaint(c) => {
            let complaint = &COMPLAINTS[c];
            let (employer_id, agency_id) = match complaint.about {
                About::Employer(e) => (Some(parties.employers[e].0.employer_id()?), None),
                About::Agency(a) => (None, Some(parties.agencies[a].agency_id()?)),
                About::Nobody => (None, None),
            };
            let (actor, contact) = match (complaint.from, history.complainants[c]) {
                (Filer::Worker, Some(p)) => {
                    let person = &history.people[p];
                    let (actor, _) = person.account.as_ref().ok_or_else(|| missing("worker account"))?;
                    (Some(actor), Some(person.phone.clone()))
                }
                (Filer::Contact(contact), _) => (None, Some(contact.to_owned())),
                _ => (None, None),
            };
            let input = ComplaintInput {
                category: complaint.category.into(),
                agency_id,
                employer_id,
                text: complaint.text.into(),
                language: complaint.language.into(),
                contact,
            };
            history.complaint_refs[c] =
                Some(compliance::file_complaint_in(conn, actor, input, now)?.reference);
        }
        Step::Case(w, action) => work_case(conn, history, parties, w, action, now)?,
        Step::Licence(action) => {
            let reason = match action {
                LicenceAction::Suspend => {
                    "Workers' passports held by the agency's site staff (a complaint), under investigation."
                }
                _ => "Every passport returned to its holder; the site staff replaced.",
            };
            let decision = LicenceDecision { reason: Some(reason.into()) };
            let agency_id = parties.agencies[SUSPENDED].agency_id()?;
            agencies::decide_in(conn, &parties.vn, &agency_id, action, decision, now)?;
        }
    }
    Ok(())
}

fn placement_of(history: &History, p: usize) -> Result<PlacementId, AppError> {
    Ok(history.people[p].placement.as_ref().ok_or_else(|| missing("placement"))?.id.clone())
}

/// The worker, signed in at the pre-departure session, reads its contract and accepts it as
/// read, or declines the offer.
fn answer(conn: &mut DbConnection, history: &History, p: usize, now: DateTime<Utc>) -> Result<(), AppError> {
    let person = &history.people[p];
    let (actor, session) = person.account.as_ref().ok_or_else(|| missing("worker account"))?;
    let placement = person.placement.as_ref().ok_or_else(|| missing("placement"))?;
    if person.fate == Fate::Decline {
        let reason = Reason { reason: Some("Gia đình cần tôi ở nhà mùa này.".into()) };
        placements::end_before_departure_in(conn, actor, &placement.id, Action::Decline, reason, now)?;
    } else {
        let acceptance = Acceptance {
            version: placement.contract.version,
            sha256: placement.contract.sha256.clone(),
            lang: person.lang.into(),
        };
        placements::accept_in(conn, actor, session, &placement.id, acceptance, now)?;
    }
    Ok(())
}

/// A payslip as the employer reported it: the hours worked at the contract's hourly rate (a
/// piece worker's a little above it), the contract's deductions for the period's days; a
/// faulty one below the floor, or with a deduction the contract does not name.
fn payslip(vacancy: &Vacancy, plan: &PayPlan, fate: Fate) -> Payslip {
    let (start, end) = plan.period;
    let days = (end - start).num_days() + 1;
    let minutes = days * i64::from(vacancy.hours_per_week) * 60 * plan.hours_permille / 7 / 1000;
    let contract_rate =
        vacancy.hourly_equivalent_fen.max(vacancy.guaranteed_hourly_fen.unwrap_or(Fen::ZERO)).get();
    let rate = match (plan.faulty, fate, vacancy.pay_basis) {
        (true, Fate::BelowFloor, _) => vacancy.floor.hourly_fen.get() - 210,
        (_, _, PayBasis::Piece) => contract_rate * (100 + plan.bonus_percent) / 100,
        _ => contract_rate,
    };
    let gross = (rate * minutes + 59) / 60;
    // While work was short the employer charged no meals (the net must still meet the floor).
    let mut deductions: Vec<PayslipDeduction> = if fate == Fate::HoursShort {
        Vec::new()
    } else {
        vacancy
            .deductions
            .iter()
            .map(|d| PayslipDeduction {
                kind: d.kind.clone(),
                fen: Fen::new(d.fen_per_month.get() * days.min(30) / 30),
            })
            .collect()
    };
    if plan.faulty && fate == Fate::NotInContract {
        deductions.push(PayslipDeduction { kind: "work clothes".into(), fen: Fen::new(6000) });
    }
    let deducted: i64 = deductions.iter().map(|d| d.fen.get()).sum();
    Payslip {
        period_start: start,
        period_end: end,
        minutes_worked: minutes,
        gross_fen: Fen::new(gross),
        deductions,
        net_fen: Fen::new(gross - deducted),
        paid_on: plan.paid_on,
    }
}

/// A regulator of the case's side takes a step on it: assigns it to itself, notes what it
/// did, or resolves it.
fn work_case(
    conn: &mut DbConnection,
    history: &History,
    parties: &Parties,
    w: usize,
    action: CaseAction,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let work = &history.cases[w];
    let case_id = match work.of {
        CaseOf::Payslip(p) => history.people[p].wage_case.clone(),
        CaseOf::Fee(f) => history.fee_cases[f].clone(),
        CaseOf::Hours(p) => {
            let placement = placement_of(history, p)?;
            let filter = CaseFilter { kind: Some("hours".into()), ..Default::default() };
            compliance_db::list_cases(conn, &Jurisdiction::National, &filter, None)?
                .into_iter()
                .find(|c| c.placement_id.as_ref() == Some(&placement))
                .map(|c| c.id)
        }
        CaseOf::Complaint(c) => match &history.complaint_refs[c] {
            Some(reference) => compliance_db::complaint_by_reference(conn, reference)?.map(|c| c.case_id),
            None => None,
        },
    }
    .ok_or_else(|| missing("case"))?;
    // The side the case is routed to works it.
    let case = compliance_db::find_case(conn, &case_id)?.ok_or_else(|| missing("case"))?;
    let regulator = if case.routed_to == "VN" { &parties.vn } else { &parties.cn };
    let step = match action {
        CaseAction::Assign => CaseStep::default(),
        CaseAction::Comment => {
            CaseStep { note: work.comment.map(|(_, note)| note.into()), ..CaseStep::default() }
        }
        CaseAction::Resolve => {
            let (_, how) = work.resolve.ok_or_else(|| missing("resolution"))?;
            let recovered = match how.recovered {
                Some(fen) => Fen::new(fen),
                None => case.amount_owed_fen,
            };
            CaseStep {
                outcome: Some(how.outcome.into()),
                amount_recovered_fen: Some(recovered),
                upheld: Some(how.upheld),
                ..CaseStep::default()
            }
        }
    };
    compliance::work_case_in(conn, regulator, &case_id, action, step, now)?;
    Ok(())
}
