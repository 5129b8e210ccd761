//! Between a vacancy as the service sees it and its stored rows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Vacancy, VacancyFloor, VacancyInput};
use crate::db::vacancies::{DeductionRow, FullVacancy, InsuranceRow, VacancyRow};
use crate::db::{DbConnection, wage_floors};
use crate::domain::contract::Insurance;
use crate::domain::pay::{Deduction, PayBasis, PayFigures};
use crate::domain::wage_floor::Floor;
use crate::error::AppError;
use crate::ids::{EmployerId, RuleId, VacancyId};
use crate::services::wage_floors::{BindingRule, to_rule};

/// Who a vacancy row belongs to and where it stands: what a write keeps or sets.
pub(super) struct Identity {
    pub id: VacancyId,
    pub employer_id: EmployerId,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub(super) fn to_row(
    who: Identity,
    input: &VacancyInput,
    floor: &Floor,
    figures: PayFigures,
    now: DateTime<Utc>,
) -> (VacancyRow, Vec<DeductionRow>, Option<InsuranceRow>) {
    let Identity { id, employer_id, status, created_at } = who;
    let insurance = input.insurance.as_ref().map(|i| InsuranceRow {
        vacancy_id: id.clone(),
        insurer: i.insurer.clone(),
        policy_number: i.policy_number.clone(),
        work_injury_cover_fen: i.work_injury_cover_fen,
        return_cover_fen: i.return_cover_fen,
        paid_by: i.paid_by.clone(),
    });
    let row = VacancyRow {
        id: id.clone(),
        employer_id,
        title: input.title.clone(),
        occupation_code: input.occupation_code.clone(),
        region_code: input.region_code.clone(),
        crossing_code: input.crossing_code.clone(),
        headcount: input.headcount,
        season_start: input.season_start,
        season_end: input.season_end,
        hours_per_week: input.hours_per_week,
        guaranteed_hours_per_week: input.guaranteed_hours_per_week,
        pay_basis: input.pay_basis.as_str().to_owned(),
        wage_fen: input.wage_fen,
        piece_unit: input.piece_unit.clone(),
        guaranteed_hourly_fen: input.guaranteed_hourly_fen,
        housing_provided: input.housing_provided,
        description_zh: input.description_zh.clone(),
        description_vi: input.description_vi.clone(),
        status,
        hourly_equivalent_fen: figures.hourly_equivalent_fen,
        floor_hourly_fen: floor.hourly_fen,
        floor_rule_id: floor.binding.id.as_str().into(),
        created_at: created_at.naive_utc(),
        updated_at: now.naive_utc(),
    };
    let deductions = input
        .deductions
        .iter()
        .zip(0..)
        .map(|(d, position)| DeductionRow {
            vacancy_id: id.clone(),
            position,
            kind: d.kind.clone(),
            fen_per_month: d.fen_per_month,
        })
        .collect();
    (row, deductions, insurance)
}

/// The stored vacancies as the service shows them, each with the rule its floor came from.
pub(super) fn views(conn: &mut DbConnection, rows: Vec<FullVacancy>) -> Result<Vec<Vacancy>, AppError> {
    let mut rule_ids: Vec<RuleId> = rows.iter().map(|v| v.row.floor_rule_id.clone()).collect();
    rule_ids.sort();
    rule_ids.dedup();
    let rules: HashMap<RuleId, BindingRule> = wage_floors::find_many(conn, &rule_ids)?
        .into_iter()
        .map(|r| to_rule(r).map(|rule| BindingRule::from(&rule)).map(|rule| (rule.id.clone(), rule)))
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|v| {
            let binding_rule = rules.get(&v.row.floor_rule_id).cloned().ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("vacancy {} cites a missing rule", v.row.id))
            })?;
            let pay_basis = PayBasis::parse(&v.row.pay_basis).ok_or_else(|| {
                AppError::internal(anyhow::anyhow!("stored pay basis {:?}", v.row.pay_basis))
            })?;
            let r = v.row;
            Ok(Vacancy {
                insurance: v.insurance.map(|i| Insurance {
                    insurer: i.insurer,
                    policy_number: i.policy_number,
                    work_injury_cover_fen: i.work_injury_cover_fen,
                    return_cover_fen: i.return_cover_fen,
                    paid_by: i.paid_by,
                }),
                id: r.id,
                employer_id: r.employer_id,
                employer_name: v.employer_name,
                title: r.title,
                occupation_code: r.occupation_code,
                region_code: r.region_code,
                crossing_code: r.crossing_code,
                headcount: r.headcount,
                season_start: r.season_start,
                season_end: r.season_end,
                hours_per_week: r.hours_per_week,
                guaranteed_hours_per_week: r.guaranteed_hours_per_week,
                required_skills: v.skills,
                pay_basis,
                wage_fen: r.wage_fen,
                piece_unit: r.piece_unit,
                guaranteed_hourly_fen: r.guaranteed_hourly_fen,
                deductions: v
                    .deductions
                    .into_iter()
                    .map(|d| Deduction { kind: d.kind, fen_per_month: d.fen_per_month })
                    .collect(),
                housing_provided: r.housing_provided,
                description_zh: r.description_zh,
                description_vi: r.description_vi,
                status: r.status,
                hourly_equivalent_fen: r.hourly_equivalent_fen,
                floor: VacancyFloor { hourly_fen: r.floor_hourly_fen, binding_rule },
                open_to_agencies_on: v.opening.open_to_agencies_on,
                local_hires: v.opening.local_hires,
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
            })
        })
        .collect()
}
