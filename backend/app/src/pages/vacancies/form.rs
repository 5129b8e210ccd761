//! The vacancy form as typed: posted to create a vacancy, and sent as a query by the live
//! floor check while the employer types. Every text is trimmed once, as it is read.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::pages::forms::{Boxes, ticked, trimmed};

use crate::domain::contract::Insurance;
use crate::domain::money::{Fen, parse_yuan, yuan};
use crate::domain::pay::{Deduction, PayBasis};
use crate::services::reference::Reference;
use crate::services::vacancies::{NewStatus, Vacancy, VacancyInput};

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

    /// A stored vacancy as the edit form shows it.
    pub fn of(v: &Vacancy) -> VacancyForm {
        let deduction = |kind: &str| {
            v.deductions.iter().find(|d| d.kind == kind).map(|d| yuan(d.fen_per_month)).unwrap_or_default()
        };
        let mut boxes = Boxes::default();
        for skill in &v.required_skills {
            boxes.tick("skill_", skill);
        }
        let insurance = v.insurance.as_ref();
        VacancyForm {
            title: v.title.clone(),
            region_code: v.region_code.clone(),
            occupation_code: v.occupation_code.clone(),
            crossing_code: v.crossing_code.clone(),
            season_start: v.season_start.to_string(),
            season_end: v.season_end.to_string(),
            headcount: v.headcount.to_string(),
            hours_per_week: v.hours_per_week.to_string(),
            guaranteed_hours_per_week: v.guaranteed_hours_per_week.to_string(),
            pay_basis: v.pay_basis.as_str().to_owned(),
            wage: yuan(v.wage_fen),
            piece_unit: v.piece_unit.clone().unwrap_or_default(),
            guaranteed_hourly: v.guaranteed_hourly_fen.map(yuan).unwrap_or_default(),
            housing_deduction: deduction("housing"),
            meals_deduction: deduction("meals"),
            housing_provided: v.housing_provided,
            description_zh: v.description_zh.clone().unwrap_or_default(),
            description_vi: v.description_vi.clone().unwrap_or_default(),
            insurer: insurance.map(|i| i.insurer.clone()).unwrap_or_default(),
            policy_number: insurance.map(|i| i.policy_number.clone()).unwrap_or_default(),
            work_injury_cover: insurance.map(|i| yuan(i.work_injury_cover_fen)).unwrap_or_default(),
            return_cover: insurance.map(|i| yuan(i.return_cover_fen)).unwrap_or_default(),
            paid_by: insurance.map_or("employer", |i| i.paid_by.as_str()).to_owned(),
            status: v.status.clone(),
            boxes,
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
        let pay_basis = PayBasis::parse(&self.pay_basis).ok_or("pay_basis")?;
        let deductions = deductions(&self.housing_deduction, &self.meals_deduction)?;
        let text = |value: &str| Some(value.to_owned()).filter(|t| !t.is_empty());
        let insurance = insurance(
            &self.insurer,
            &self.policy_number,
            &self.work_injury_cover,
            &self.return_cover,
            &self.paid_by,
        )?;
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

/// The monthly housing and meals deductions as typed in yuan (empty or zero: none), or the
/// field that does not parse. Shared by the vacancy form and the amendment form.
pub fn deductions(housing: &str, meals: &str) -> Result<Vec<Deduction>, &'static str> {
    let mut deductions = Vec::new();
    for (kind, value, field) in
        [("housing", housing, "housing_deduction"), ("meals", meals, "meals_deduction")]
    {
        let fen = match value {
            "" => Fen::ZERO,
            _ => parse_yuan(value).ok_or(field)?,
        };
        if fen > Fen::ZERO {
            deductions.push(Deduction { kind: kind.into(), fen_per_month: fen });
        }
    }
    Ok(deductions)
}

/// The insurance as typed: stated once the insurer or the policy is typed (the service checks
/// the rest), or the cover that does not parse.
pub fn insurance(
    insurer: &str,
    policy_number: &str,
    work_injury_cover: &str,
    return_cover: &str,
    paid_by: &str,
) -> Result<Option<Insurance>, &'static str> {
    if insurer.is_empty() && policy_number.is_empty() {
        return Ok(None);
    }
    Ok(Some(Insurance {
        insurer: insurer.to_owned(),
        policy_number: policy_number.to_owned(),
        work_injury_cover_fen: parse_yuan(work_injury_cover).ok_or("work_injury_cover_fen")?,
        return_cover_fen: parse_yuan(return_cover).ok_or("return_cover_fen")?,
        paid_by: paid_by.to_owned(),
    }))
}
