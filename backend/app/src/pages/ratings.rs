//! Ratings on pages: an employer's public card, and the regulators' moderation of texts. (A
//! worker rates from its placement's page; the licence check shows an agency's ratings.)

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;

use super::{CheckedForm, NoFields, Page, PageError, PageResult, Regulator, see_other};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::EmployerId;
use crate::services::ratings::{self, Moderation, PublicEmployer, Rating, RatingSummary};
use crate::services::reference::Reference;
use crate::state::AppState;

/// The mean and the count in words ("4.5 of 5 from 12 workers"), or that there is none yet.
pub fn summary_line(rating: &RatingSummary, lang: Lang) -> String {
    match rating.mean {
        Some(mean) => {
            lang.ta("rating-line", &[("mean", format!("{mean:.1}")), ("count", rating.count.to_string())])
        }
        None => lang.t("rating-none"),
    }
}

#[derive(Template)]
#[template(path = "employer_card.html")]
struct CardTemplate<'a> {
    page: &'a Page,
    employer: PublicEmployer,
    region: String,
    rating_line: String,
}

/// A verified employer's public card.
#[get("/employers/{id}")]
pub async fn card(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<EmployerId>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let employer = ratings::public_employer(&state, &id).await?;
    let reference = Reference::read(&state).await?;
    let region = reference.name(&employer.region_code, page.lang).to_owned();
    let rating_line = summary_line(&employer.rating, page.lang);
    Ok(page.respond(StatusCode::OK, &CardTemplate { page: &page, employer, region, rating_line }))
}

#[derive(Template)]
#[template(path = "regulator_ratings.html")]
struct ModerationTemplate<'a> {
    page: &'a Page,
    pending: Vec<Rating>,
}

/// The rating texts waiting for a regulator.
#[get("/regulator/ratings")]
pub async fn pending(req: HttpRequest, state: web::Data<AppState>, user: Regulator) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let pending = ratings::pending(&state, &user).await?;
    Ok(page.respond(StatusCode::OK, &ModerationTemplate { page: &page, pending }))
}

/// Approves or rejects a text, from the list.
#[post("/regulator/ratings/{id}/{decision}")]
pub async fn moderate(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Result<Regulator, PageError>,
    path: web::Path<(String, String)>,
) -> PageResult {
    let user = user?;
    let (id, decision) = path.into_inner();
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::not_found().into()),
    };
    ratings::moderate(&state, &user, &id, Moderation { approve }).await?;
    Ok(see_other("/regulator/ratings"))
}
