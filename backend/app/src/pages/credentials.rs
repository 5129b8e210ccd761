//! The worker's own credentials: activating its account with its one-time code, a forgotten
//! password and a password changed (in Vietnamese first); the agency sending a worker its
//! code; the authority officer finding a worker, handing a code over in person and
//! correcting a worker's identity.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::forms::trimmed;
use super::{
    Agency, CheckedForm, NoFields, Page, PageResult, Regulator, SignedIn, refusal_text, see_other, ui_cookie,
};
use crate::api::client_address;
use crate::auth::extract::SESSION_COOKIE;
use crate::error::{AppError, ErrorCode};
use crate::ids::WorkerId;
use crate::services::accounts::LoggedIn;
use crate::services::credentials::{
    self, ActivationRequest, ActivationSent, CodeRedemption, PasswordChange, ResetRequest,
};
use crate::services::workers::{self, IdentityCorrection, Worker};
use crate::state::AppState;

/// A one-time code as typed: the address it was sent for, the code, the new password.
#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default, deserialize_with = "trimmed")]
    email_or_phone: String,
    #[serde(default, deserialize_with = "trimmed")]
    code: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "activate.html")]
struct CodeTemplate<'a> {
    page: &'a Page,
    /// activate or reset: which code the form redeems.
    mode: &'static str,
    keys: Keys,
    email_or_phone: &'a str,
    refusal: Option<String>,
}

/// The messages of the code form, for activation or reset.
struct Keys {
    title: &'static str,
    intro: &'static str,
    submit: &'static str,
}

impl Keys {
    fn of(mode: &str) -> Keys {
        if mode == "activate" {
            Keys { title: "activate-title", intro: "activate-intro", submit: "activate-submit" }
        } else {
            Keys { title: "reset-title", intro: "reset-intro", submit: "reset-submit" }
        }
    }
}

/// Signs the browser in with the session a redeemed code opened.
fn signed_in(state: &AppState, logged_in: LoggedIn) -> PageResult {
    let max_age = CookieDuration::minutes(state.settings.auth.token_ttl_minutes);
    let mut response = see_other("/home");
    response
        .add_cookie(&ui_cookie(
            SESSION_COOKIE,
            logged_in.token,
            max_age,
            state.settings.server.secure_cookies,
        ))
        .map_err(AppError::internal)?;
    Ok(response)
}

fn code_page(
    req: &HttpRequest,
    state: &AppState,
    mode: &'static str,
    form: &CodeForm,
    refusal: Option<(String, StatusCode)>,
) -> HttpResponse {
    let page = Page::for_worker(req, state, None);
    let status = refusal.as_ref().map_or(StatusCode::OK, |(_, status)| *status);
    let template = CodeTemplate {
        page: &page,
        mode,
        keys: Keys::of(mode),
        email_or_phone: &form.email_or_phone,
        refusal: refusal.map(|(text, _)| text),
    };
    page.respond(status, &template)
}

/// Redeems the form's code for activation or reset; a refusal shows the form again.
async fn redeem(
    req: HttpRequest,
    state: web::Data<AppState>,
    mode: &'static str,
    form: CodeForm,
) -> PageResult {
    let input = CodeRedemption {
        email_or_phone: form.email_or_phone.clone(),
        code: form.code.clone(),
        password: form.password.clone(),
    };
    let result = if mode == "activate" {
        credentials::activate(&state, client_address(&req), input).await
    } else {
        credentials::confirm_reset(&state, client_address(&req), input).await
    };
    match result {
        Ok(logged_in) => signed_in(&state, logged_in),
        Err(err) if err.code.status().is_client_error() => {
            let lang = Page::for_worker(&req, &state, None).lang;
            Ok(code_page(&req, &state, mode, &form, Some((refusal_text(&err, lang), err.code.status()))))
        }
        Err(err) => Err(err.into()),
    }
}

/// The worker activates its account: the code it received, and a password of its own.
#[get("/activate")]
pub async fn activate_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    code_page(&req, &state, "activate", &CodeForm::default(), None)
}

#[post("/activate")]
pub async fn activate(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<CodeForm>,
) -> PageResult {
    redeem(req, state, "activate", form).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default, deserialize_with = "trimmed")]
    email_or_phone: String,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetTemplate<'a> {
    page: &'a Page,
    email_or_phone: &'a str,
    sent: bool,
    refusal: Option<String>,
}

/// A forgotten password: where to send the reset code.
#[get("/reset")]
pub async fn reset_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let page = Page::for_worker(&req, &state, None);
    page.respond(
        StatusCode::OK,
        &ResetTemplate { page: &page, email_or_phone: "", sent: false, refusal: None },
    )
}

/// Sends the reset code; the answer is the same whether or not an account signs in so.
#[post("/reset")]
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<ResetForm>,
) -> PageResult {
    let page = Page::for_worker(&req, &state, None);
    let input = ResetRequest { email_or_phone: form.email_or_phone.clone() };
    let (sent, refusal, status) = match credentials::request_reset(&state, client_address(&req), input).await
    {
        Ok(()) => (true, None, StatusCode::OK),
        Err(err) if err.code.status().is_client_error() => {
            (false, Some(refusal_text(&err, page.lang)), err.code.status())
        }
        Err(err) => return Err(err.into()),
    };
    let template = ResetTemplate { page: &page, email_or_phone: &form.email_or_phone, sent, refusal };
    Ok(page.respond(status, &template))
}

#[get("/reset/confirm")]
pub async fn reset_confirm_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    code_page(&req, &state, "reset", &CodeForm::default(), None)
}

#[post("/reset/confirm")]
pub async fn reset_confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<CodeForm>,
) -> PageResult {
    redeem(req, state, "reset", form).await
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordTemplate<'a> {
    page: &'a Page,
    done: bool,
    refusal: Option<String>,
}

/// The signed-in person changes its password.
#[get("/account/password")]
pub async fn password_form(req: HttpRequest, state: web::Data<AppState>, user: SignedIn) -> HttpResponse {
    let page = Page::new(&req, &state, Some(&user));
    page.respond(StatusCode::OK, &PasswordTemplate { page: &page, done: false, refusal: None })
}

#[post("/account/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<PasswordForm>,
    user: SignedIn,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let input = PasswordChange { current_password: form.current_password, new_password: form.new_password };
    let (done, refusal, status) =
        match credentials::change_password(&state, &user, &user.session_id, input).await {
            Ok(()) => (true, None, StatusCode::OK),
            Err(err) if err.code.status().is_client_error() => {
                (false, Some(refusal_text(&err, page.lang)), err.code.status())
            }
            Err(err) => return Err(err.into()),
        };
    Ok(page.respond(status, &PasswordTemplate { page: &page, done, refusal }))
}

#[derive(Template)]
#[template(path = "activation_sent.html")]
struct SentTemplate<'a> {
    page: &'a Page,
    /// The page's title: the activation code, or the correction refused.
    title: &'static str,
    worker_id: &'a WorkerId,
    sent: Option<ActivationSent>,
    refusal: Option<String>,
    /// Where to go back to.
    back: String,
}

/// What an activation request came to, or why it was refused.
fn sent_page(
    page: &Page,
    worker_id: &WorkerId,
    result: Result<ActivationSent, AppError>,
    back: String,
) -> PageResult {
    let (sent, refusal, status) = match result {
        Ok(sent) => (Some(sent), None, StatusCode::ACCEPTED),
        Err(err) if err.code.status().is_client_error() => {
            (None, Some(refusal_text(&err, page.lang)), err.code.status())
        }
        Err(err) => return Err(err.into()),
    };
    Ok(page
        .respond(status, &SentTemplate { page, title: "activation-title", worker_id, sent, refusal, back }))
}

/// The agency has its worker's activation code sent to the worker's own channel.
#[post("/agency/workers/{id}/activation")]
pub async fn send_activation(
    req: HttpRequest,
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Agency,
    id: web::Path<WorkerId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let result = credentials::request_activation(&state, &user, &id, ActivationRequest::default()).await;
    sent_page(&page, &id, result, "/agency/workers".to_owned())
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    document: String,
}

#[derive(Template)]
#[template(path = "regulator_workers.html")]
struct SearchTemplate<'a> {
    page: &'a Page,
    document: &'a str,
    found: Option<Worker>,
    searched: bool,
}

/// The authority officer finds a worker by the document in its hand.
#[get("/regulator/workers")]
pub async fn regulator_workers(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    query: web::Query<SearchQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let document = query.document.trim();
    let found =
        if document.is_empty() { None } else { workers::find_by_document(&state, &user, document).await? };
    let template = SearchTemplate { page: &page, document, found, searched: !document.is_empty() };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Debug, Default, Deserialize)]
pub struct HandOverForm {
    #[serde(default, deserialize_with = "trimmed")]
    id_document_number: String,
}

/// The officer, having checked the document, hands the worker its code in person.
#[post("/regulator/workers/{id}/activation")]
pub async fn hand_over_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<HandOverForm>,
    user: Regulator,
    id: web::Path<WorkerId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let request = ActivationRequest { in_person: true, id_document_number: Some(form.id_document_number) };
    let result = credentials::request_activation(&state, &user, &id, request).await;
    sent_page(&page, &id, result, format!("/workers/{id}"))
}

#[derive(Debug, Default, Deserialize)]
pub struct CorrectionForm {
    #[serde(default, deserialize_with = "trimmed")]
    full_name: String,
    #[serde(default, deserialize_with = "trimmed")]
    date_of_birth: String,
    #[serde(default, deserialize_with = "trimmed")]
    id_document_number: String,
    #[serde(default, deserialize_with = "trimmed")]
    reason: String,
}

/// The officer corrects who the worker is, with a reason; its permits are issued again.
#[post("/regulator/workers/{id}/identity")]
pub async fn correct_identity(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<CorrectionForm>,
    user: Regulator,
    id: web::Path<WorkerId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let given = |text: &str| Some(text.to_owned()).filter(|t| !t.is_empty());
    let back = format!("/workers/{id}");
    let refused = |refusal: String, status: StatusCode| {
        let template = SentTemplate {
            page: &page,
            title: "identity-title",
            worker_id: &id,
            sent: None,
            refusal: Some(refusal),
            back: back.clone(),
        };
        page.respond(status, &template)
    };
    let date_of_birth = match given(&form.date_of_birth).map(|d| d.parse()) {
        Some(Err(_)) => {
            let refusal = super::field_refusal(page.lang, "date_of_birth");
            return Ok(refused(refusal, StatusCode::UNPROCESSABLE_ENTITY));
        }
        parsed => parsed.and_then(Result::ok),
    };
    let correction = IdentityCorrection {
        full_name: given(&form.full_name),
        date_of_birth,
        id_document_number: given(&form.id_document_number),
        reason: form.reason,
    };
    match workers::correct_identity(&state, &user, &id, correction).await {
        Ok(_) => Ok(see_other(&back)),
        Err(err) if err.code.status().is_client_error() && err.code != ErrorCode::NotFound => {
            Ok(refused(refusal_text(&err, page.lang), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}
