//! The employer amends a placement's contract before the permit (pay, hours, deductions,
//! insurance): the form shows the terms agreed so far; the worker then reads and accepts the
//! new version again. The same service as the API's amendment, so the same floor check.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::forms::{ticked, trimmed};
use super::vacancies::Choice;
use super::vacancies::form::{deductions, insurance};
use super::{CheckedForm, Employer, Page, PageError, PageResult, see_other};
use crate::domain::contract::Terms;
use crate::domain::money::{parse_yuan, yuan};
use crate::domain::pay::PayBasis;
use crate::error::ErrorCode;
use crate::ids::PlacementId;
use crate::services::accounts::invalid;
use crate::services::placements::{self, Amendment, AmendmentRequest};
use crate::services::reference::Reference;
use crate::state::AppState;

/// The amendment form as typed (amounts in yuan).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AmendmentForm {
    #[serde(default, deserialize_with = "trimmed")]
    pub pay_basis: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub wage: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub piece_unit: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub guaranteed_hourly: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub hours_per_week: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub guaranteed_hours_per_week: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub housing_deduction: String,
    #[serde(default, deserialize_with = "trimmed")]
    pub meals_deduction: String,
    #[serde(default, deserialize_with = "ticked")]
    pub housing_provided: bool,
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
    #[serde(default, deserialize_with = "trimmed")]
    pub reason: String,
}

impl AmendmentForm {
    /// The terms agreed so far, as the form shows them.
    fn of(t: &Terms) -> AmendmentForm {
        let deduction = |kind: &str| {
            t.deductions.iter().find(|d| d.kind == kind).map(|d| yuan(d.fen_per_month)).unwrap_or_default()
        };
        let ins = t.insurance.as_ref();
        AmendmentForm {
            pay_basis: t.pay_basis.as_str().to_owned(),
            wage: yuan(t.wage_fen),
            piece_unit: t.piece_unit.clone().unwrap_or_default(),
            guaranteed_hourly: t.guaranteed_hourly_fen.map(yuan).unwrap_or_default(),
            hours_per_week: t.hours_per_week.to_string(),
            guaranteed_hours_per_week: t.guaranteed_hours_per_week.to_string(),
            housing_deduction: deduction("housing"),
            meals_deduction: deduction("meals"),
            housing_provided: t.housing_provided,
            insurer: ins.map(|i| i.insurer.clone()).unwrap_or_default(),
            policy_number: ins.map(|i| i.policy_number.clone()).unwrap_or_default(),
            work_injury_cover: ins.map(|i| yuan(i.work_injury_cover_fen)).unwrap_or_default(),
            return_cover: ins.map(|i| yuan(i.return_cover_fen)).unwrap_or_default(),
            paid_by: ins.map_or("employer", |i| i.paid_by.as_str()).to_owned(),
            reason: String::new(),
        }
    }

    /// The whole form as an amendment, or the first field that does not parse.
    fn to_request(&self) -> Result<AmendmentRequest, &'static str> {
        let int = |value: &str, name: &'static str| value.parse::<i32>().map_err(|_| name);
        let pay_basis = PayBasis::parse(&self.pay_basis).ok_or("pay_basis")?;
        let changes = Amendment {
            pay_basis: Some(pay_basis),
            wage_fen: Some(parse_yuan(&self.wage).ok_or("wage")?),
            piece_unit: Some(self.piece_unit.clone()).filter(|u| !u.is_empty()),
            guaranteed_hourly_fen: match pay_basis {
                PayBasis::Piece => Some(parse_yuan(&self.guaranteed_hourly).ok_or("guaranteed_hourly")?),
                _ => None,
            },
            hours_per_week: Some(int(&self.hours_per_week, "hours_per_week")?),
            guaranteed_hours_per_week: Some(int(
                &self.guaranteed_hours_per_week,
                "guaranteed_hours_per_week",
            )?),
            deductions: Some(deductions(&self.housing_deduction, &self.meals_deduction)?),
            housing_provided: Some(self.housing_provided),
            insurance: insurance(
                &self.insurer,
                &self.policy_number,
                &self.work_injury_cover,
                &self.return_cover,
                &self.paid_by,
            )?,
        };
        Ok(AmendmentRequest { changes, reason: Some(self.reason.clone()).filter(|r| !r.is_empty()) })
    }
}

#[derive(Template)]
#[template(path = "amendment_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    id: PlacementId,
    version: i32,
    values: &'a AmendmentForm,
    bases: Vec<Choice>,
    refusal: Option<String>,
}

fn form_page(
    page: &Page,
    id: PlacementId,
    version: i32,
    values: &AmendmentForm,
    refusal: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let bases = [PayBasis::Hourly, PayBasis::Monthly, PayBasis::Piece]
        .into_iter()
        .map(|b| Choice {
            code: b.as_str().to_owned(),
            name: page.lang.t(&format!("basis-{}", b.as_str())),
            selected: values.pay_basis == b.as_str(),
        })
        .collect();
    page.respond(status, &FormTemplate { page, id, version, values, bases, refusal })
}

/// The amendment form, filled with the terms of the contract's current version.
#[get("/placements/{id}/amendment")]
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Employer,
    id: web::Path<PlacementId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let current = placements::contract(&state, &user, &id, None).await?;
    let values = AmendmentForm::of(&current.terms);
    Ok(form_page(&page, id.into_inner(), current.version, &values, None, StatusCode::OK))
}

/// Amends the contract, then shows the placement; a refusal is explained on the form, with
/// what was typed, and nothing is written.
#[post("/placements/{id}/amendment")]
pub async fn amend(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(values): CheckedForm<AmendmentForm>,
    user: Result<Employer, PageError>,
    id: web::Path<PlacementId>,
) -> PageResult {
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let id = id.into_inner();
    let done = match values.to_request() {
        Ok(request) => placements::amend(&state, &user, &id, request).await.map(drop),
        Err(field) => Err(invalid(field, "does not parse")),
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/placements/{id}"))),
        Err(err) if err.code.status().is_client_error() && err.code != ErrorCode::NotFound => {
            let reference = Reference::read(&state).await?;
            let refusal = super::vacancies::explain(&err, page.lang, &reference);
            let version = placements::contract(&state, &user, &id, None).await?.version;
            Ok(form_page(&page, id, version, &values, Some(refusal), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}
