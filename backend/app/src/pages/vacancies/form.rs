//! The vacancy form as typed: posted to create a vacancy, and sent as a query by the live
//! floor check while the employer types. Every text is trimmed once, as it is read.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::pages::forms::{Boxes, ticked, trimmed};

use crate::domain::contract::Insurance;
use crate::domain::money::{Fen, parse_yuan};
use crate::domain::pay::{Deduction, PayBasis};
use crate::services::reference::Reference;
use crate::services::vacancies::{NewStatus, VacancyInput};

/// The vacancy form's fields, as typed (amounts in yuan).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct VacancyForm {
    #[serde(default, deserialize_with = "trimmed")]
    pub title: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub region_code: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub occupation_code: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub crossing_code: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub season_start: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub season_end: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub headcount: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub hours_per_week: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub guaranteed_hours_per_week: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub pay_basis: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub wage: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub piece_unit: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub guaranteed_hourly: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub housing_deduction: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub meals_deduction: String,
    #[serde(default, deserialize_with = "ticked")]
    pub housing_provided: bool,
    #[serde(default, deserialize_with = "trimmed")]
    pub description_zh: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub description_vi: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub insurer: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub policy_number: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub work_injury_cover: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub return_cover: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub paid_by: String,
    /// "draft" saves a draft; anything else posts the vacancy.
    #[serde(default, deserialize_with = "trimmed")]
    pub status: String,
    /// The ticked `skill_<code>` boxes.
    #[serde(flatten)]
    pub boxes: Boxes,
}

impl VacancyForm {
    /// The new-vacancy form's defaults.
    pub fn new() -> VacancyForm {
        VacancyForm {
            hours_per_week: "48".into(),
            guaranteed_hours_per_week: "40".into(),
            pay_basis: "hourly".into(),
            headcount: "10".into(),
            paid_by: "employer".into(),
            ..VacancyForm::default()
        }
    }

    /// Whether the box of skill `code` is ticked.
    pub fn has_skill(&self, code: &str) -> bool {
        self.boxes.ticked("skill_", code)
    }

    /// The vacancy the form describes, or the first field that does not parse.
    pub fn to_input(&self, reference: &Reference) -> Result<VacancyInput, &'static str> {
        let date = |value: &str, name: &'static str| value.parse::<NaiveDate>().map_err(|_| name);
        let int = |value: &str, name: &'static str| value.parse::<i32>().map_err(|_| name);
        let money = |value: &str, name: &'static str| parse_yuan(value).ok_or(name);
        let optional_money = |value: &str, name: &'static str| match value {
            "" => Ok(Fen::ZERO),
            _ => money(value, name),
        };
        let pay_basis = PayBasis::parse(&self.pay_basis).ok_or("pay_basis")?;
        let mut deductions = Vec::new();
        for (kind, value, field) in [
            ("housing", &self.housing_deduction, "housing_deduction"),
            ("meals", &self.meals_deduction, "meals_deduction"),
        ] {
            let fen = optional_money(value, field)?;
            if fen > Fen::ZERO {
                deductions.push(Deduction { kind: kind.into(), fen_per_month: fen });
            }
        }
        let text = |value: &str| Some(value.to_owned()).filter(|t| !t.is_empty());
        // Stated once the insurer or the policy is typed; the service checks the rest.
        let insurance = match self.insurer.is_empty() && self.policy_number.is_empty() {
            true => None,
            false => Some(Insurance {
                insurer: self.insurer.clone(),
                policy_number: self.policy_number.clone(),
                work_injury_cover_fen: money(&self.work_injury_cover, "work_injury_cover_fen")?,
                return_cover_fen: money(&self.return_cover, "return_cover_fen")?,
                paid_by: self.paid_by.clone(),
            }),
        };
        Ok(VacancyInput {
            title: self.title.clone(),
            occupation_code: self.occupation_code.clone(),
            region_code: self.region_code.clone(),
            crossing_code: self.crossing_code.clone(),
            headcount: int(&self.headcount, "headcount")?,
            season_start: date(&self.season_start, "season_start")?,
            season_end: date(&self.season_end, "season_end")?,
            hours_per_week: int(&self.hours_per_week, "hours_per_week")?,
            guaranteed_hours_per_week: int(&self.guaranteed_hours_per_week, "guaranteed_hours_per_week")?,
            required_skills: reference
                .skills
                .iter()
                .filter(|s| self.has_skill(&s.code))
                .map(|s| s.code.clone())
                .collect(),
            pay_basis,
            wage_fen: money(&self.wage, "wage")?,
            piece_unit: text(&self.piece_unit),
            guaranteed_hourly_fen: match pay_basis {
                PayBasis::Piece => Some(money(&self.guaranteed_hourly, "guaranteed_hourly")?),
                _ => None,
            },
            deductions,
            housing_provided: self.housing_provided,
            description_zh: text(&self.description_zh),
            description_vi: text(&self.description_vi),
            insurance,
            status: if self.status == "draft" { NewStatus::Draft } else { NewStatus::Open },
        })
    }
}
