//! The demo's workers: Vietnamese names, home provinces, skills and availability drawn from
//! weighted tables by a small deterministic generator, so every machine loads the same people.

use std::collections::HashSet;

use chrono::{Duration, Months, NaiveDate};

use crate::domain::worker::Draft;

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
pub(super) struct SplitMix64(pub(super) u64);

impl SplitMix64 {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform enough in `0..n` (n is small).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<T: Copy + Default>(&mut self, weighted: &[(T, u32)]) -> T {
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
pub(super) fn worker(
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
