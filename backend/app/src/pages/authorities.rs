//! The regulators' own desk: the authorities of both sides, adding one (national, or
//! provincial with its region), and adding a colleague's account for an authority.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::forms::trimmed;
use super::vacancies::Choice;
use super::{CheckedForm, Page, PageError, PageResult, Regulator, refusal_text, see_other};
use crate::error::{AppError, ErrorCode};
use crate::ids::AuthorityId;
use crate::services::accounts;
use crate::services::authorities::{self, Authority, NewAuthority};
use crate::services::reference::Reference;
use crate::state::AppState;

/// An authority as the desk lists it.
struct AuthorityLine {
    authority: Authority,
    region: String,
}

#[derive(Template)]
#[template(path = "regulator_authorities.html")]
struct DeskTemplate<'a> {
    page: &'a Page,
    authorities: Vec<AuthorityLine>,
    /// Provinces and prefectures of both countries, for a provincial authority.
    regions: Vec<Choice>,
    refusal: Option<String>,
    /// Whether a regulator's account was just added.
    added: bool,
}

async fn desk(
    req: &HttpRequest,
    state: &AppState,
    user: &Regulator,
    refusal: Option<(StatusCode, String)>,
    added: bool,
) -> PageResult {
    let page = Page::new(req, state, Some(user));
    let reference = Reference::read(state).await?;
    let authorities = authorities::list(state, user)
        .await?
        .into_iter()
        .map(|authority| AuthorityLine {
            region: authority
                .region_code
                .as_deref()
                .map(|r| reference.name(r, page.lang).to_owned())
                .unwrap_or_default(),
            authority,
        })
        .collect();
    let regions = reference
        .regions
        .iter()
        .filter(|r| matches!(r.level.as_str(), "province" | "prefecture"))
        .map(|r| Choice {
            code: r.code.clone(),
            name: format!("{} ({})", r.names.get(page.lang), r.country),
            selected: false,
        })
        .collect();
    let status = refusal.as_ref().map_or(StatusCode::OK, |(s, _)| *s);
    let template =
        DeskTemplate { page: &page, authorities, regions, refusal: refusal.map(|(_, m)| m), added };
    Ok(page.respond(status, &template))
}

#[derive(Deserialize)]
pub struct DeskQuery {
    added: Option<String>,
}

/// The authorities, and the forms that add one or a regulator's account.
#[get("/regulator/authorities")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    query: web::Query<DeskQuery>,
) -> PageResult {
    desk(&req, &state, &user, None, query.into_inner().added.is_some()).await
}

#[derive(Deserialize)]
pub struct AuthorityForm {
    #[serde(default, deserialize_with = "trimmed")]
    name: String,
    #[serde(default, deserialize_with = "trimmed")]
    country: String,
    #[serde(default, deserialize_with = "trimmed")]
    region_code: String,
}

#[derive(Deserialize)]
pub struct RegulatorForm {
    #[serde(default, deserialize_with = "trimmed")]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default, deserialize_with = "trimmed")]
    authority_id: String,
}

/// The refused form explained on the desk, or the error page for what is not a refusal.
async fn refused(req: &HttpRequest, state: &AppState, user: &Regulator, err: AppError) -> PageResult {
    if !err.code.status().is_client_error() || err.code == ErrorCode::Forbidden {
        return Err(err.into());
    }
    let message = refusal_text(&err, Page::new(req, state, Some(user)).lang);
    desk(req, state, user, Some((err.code.status(), message)), false).await
}

/// Adds an authority of either side.
#[post("/regulator/authorities")]
pub async fn add_authority(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<CheckedForm<AuthorityForm>, PageError>,
    user: Regulator,
) -> PageResult {
    let CheckedForm(form) = form?;
    let input = NewAuthority {
        name: form.name,
        country: form.country,
        region_code: Some(form.region_code).filter(|r| !r.is_empty()),
    };
    match authorities::create(&state, &user, input).await {
        Ok(_) => Ok(see_other("/regulator/authorities")),
        Err(err) => refused(&req, &state, &user, err).await,
    }
}

/// Adds a regulator's account for an authority (the reader's own when none is chosen).
#[post("/regulator/regulators")]
pub async fn add_regulator(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<CheckedForm<RegulatorForm>, PageError>,
    user: Regulator,
) -> PageResult {
    let CheckedForm(form) = form?;
    let authority = Some(form.authority_id).filter(|a| !a.is_empty()).map(AuthorityId::from);
    match accounts::create_regulator(&state, &user, &form.email, &form.password, authority).await {
        Ok(_) => Ok(see_other("/regulator/authorities?added=1")),
        Err(err) => refused(&req, &state, &user, err).await,
    }
}
