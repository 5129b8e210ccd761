//! The regulator's outbox desk: partner endpoints (register, remove), their deliveries and
//! dead letters (send again), and the notices sent to people — what the API offers, as pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::forms::{Boxes, ticked, trimmed};
use super::{CheckedForm, NoFields, Page, PageError, PageResult, Regulator, see_other};
use crate::domain::event::EventType;
use crate::services::events::{
    self, Delivery, DeliveryQuery, Notice, NoticeQuery, Partner, PartnerInput, RegisteredPartner,
};
use crate::state::AppState;

/// The registration form as typed; the secret is never shown again.
#[derive(Default, Deserialize)]
pub struct PartnerForm {
    #[serde(default, deserialize_with = "trimmed")]
    name: String,
    #[serde(default, deserialize_with = "trimmed")]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(default, deserialize_with = "ticked")]
    permit_authority: bool,
    /// The ticked `type_<event type>` boxes.
    #[serde(flatten)]
    boxes: Boxes,
}

#[derive(Template)]
#[template(path = "regulator_partners.html")]
struct PartnersTemplate<'a> {
    page: &'a Page,
    partners: Vec<Partner>,
    types: Vec<&'static str>,
    values: PartnerForm,
    error: Option<String>,
    /// The partner just registered, with its feed key (shown once).
    registered: Option<RegisteredPartner>,
}

async fn partners_page(
    req: &HttpRequest,
    state: &AppState,
    user: &Regulator,
    values: PartnerForm,
    outcome: Result<Option<RegisteredPartner>, (StatusCode, String)>,
) -> PageResult {
    let page = Page::new(req, state, Some(user));
    let partners = events::list_partners(state, user).await?;
    let types = EventType::ALL.iter().map(|t| t.as_str()).collect();
    let (status, error, registered) = match outcome {
        Ok(None) => (StatusCode::OK, None, None),
        Ok(Some(registered)) => (StatusCode::CREATED, None, Some(registered)),
        Err((status, error)) => (status, Some(error), None),
    };
    let template = PartnersTemplate { page: &page, partners, types, values, error, registered };
    Ok(page.respond(status, &template))
}

#[get("/regulator/partners")]
pub async fn list(req: HttpRequest, state: web::Data<AppState>, user: Regulator) -> PageResult {
    partners_page(&req, &state, &user, PartnerForm::default(), Ok(None)).await
}

#[post("/regulator/partners")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(mut form): CheckedForm<PartnerForm>,
    user: Result<Regulator, PageError>,
) -> PageResult {
    let user = user?;
    let input = PartnerInput {
        name: form.name.clone(),
        url: form.url.clone(),
        event_types: EventType::ALL
            .iter()
            .map(|t| t.as_str())
            .filter(|t| form.boxes.ticked("type_", t))
            .map(str::to_owned)
            .collect(),
        secret: std::mem::take(&mut form.secret),
        permit_authority: form.permit_authority,
    };
    let outcome = match events::register_partner(&state, &user, input).await {
        Ok(registered) => Ok(Some(registered)),
        Err(err) if err.code.status().is_client_error() => {
            let lang = Page::new(&req, &state, Some(&user)).lang;
            Err((err.code.status(), super::refusal_text(&err, lang)))
        }
        Err(err) => return Err(err.into()),
    };
    let values = if outcome.is_ok() { PartnerForm::default() } else { form };
    partners_page(&req, &state, &user, values, outcome).await
}

#[post("/regulator/partners/{id}/remove")]
pub async fn remove(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Result<Regulator, PageError>,
    id: web::Path<String>,
) -> PageResult {
    let user = user?;
    events::remove_partner(&state, &user, &id).await?;
    Ok(see_other("/regulator/partners"))
}

#[derive(Template)]
#[template(path = "regulator_deliveries.html")]
struct DeliveriesTemplate<'a> {
    page: &'a Page,
    partner_id: String,
    status: String,
    deliveries: Vec<Delivery>,
    next: Option<String>,
}

/// A partner's deliveries; `?status=dead` is the dead-letter list, each with a button to
/// send it again.
#[get("/regulator/partners/{id}/deliveries")]
pub async fn deliveries(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    id: web::Path<String>,
    query: web::Query<DeliveryQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let query = query.into_inner();
    let status = query.status.clone().unwrap_or_default();
    let listed = events::deliveries(&state, &user, &id, query).await?;
    let next = super::next_link(&req, listed.next.as_deref());
    let template = DeliveriesTemplate {
        page: &page,
        partner_id: id.into_inner(),
        status,
        deliveries: listed.items,
        next,
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[post("/regulator/deliveries/{id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Result<Regulator, PageError>,
    id: web::Path<String>,
) -> PageResult {
    let user = user?;
    let delivery = events::redeliver(&state, &user, &id).await?;
    Ok(see_other(&format!("/regulator/partners/{}/deliveries?status=dead", delivery.partner_id)))
}

#[derive(Template)]
#[template(path = "regulator_notices.html")]
struct NoticesTemplate<'a> {
    page: &'a Page,
    notices: Vec<Notice>,
}

/// The newest notices: what was sent to people, or would have been.
#[get("/regulator/notices")]
pub async fn notices(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    query: web::Query<NoticeQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let notices = events::list_notices(&state, &user, query.into_inner()).await?;
    Ok(page.respond(StatusCode::OK, &NoticesTemplate { page: &page, notices }))
}
