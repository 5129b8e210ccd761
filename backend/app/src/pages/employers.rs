//! Employers register themselves; regulators verify them.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::vacancies::{Choice, region_choices};
use super::{CheckedForm, NoFields, Page, PageError, PageResult, Paging, Regulator, next_link, see_other};
use crate::api::client_address;
use crate::auth::PageUser;
use crate::domain::account::EmployerStatus;
use crate::error::ErrorCode;
use crate::ids::EmployerId;
use crate::services::employers::{self, Employer, Registration};
use crate::services::reference::Reference;
use crate::state::AppState;

/// The registration form as typed (taken as it is: the service trims what it keeps).
#[derive(Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    registration_no: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "employer_register.html")]
struct RegisterTemplate<'a> {
    page: &'a Page,
    regions: Vec<Choice>,
    /// What was typed, shown again (never the password).
    values: RegisterForm,
    error: Option<String>,
    done: bool,
}

impl RegisterTemplate<'_> {
    fn value(&self, name: &str) -> &str {
        match name {
            "name" => &self.values.name,
            "registration_no" => &self.values.registration_no,
            "region_code" => &self.values.region_code,
            "email" => &self.values.email,
            _ => "",
        }
    }
}

#[get("/employers/register")]
pub async fn register_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let reference = Reference::read(&state).await?;
    let template = RegisterTemplate {
        regions: region_choices(&reference, page.lang, ""),
        page: &page,
        values: RegisterForm::default(),
        error: None,
        done: false,
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[post("/employers/register")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(mut form): CheckedForm<RegisterForm>,
) -> PageResult {
    let page = Page::new(&req, &state, None);
    let registration = Registration {
        name: form.name.clone(),
        registration_no: form.registration_no.clone(),
        region_code: form.region_code.clone(),
        email: form.email.clone(),
        password: std::mem::take(&mut form.password),
    };
    let result = employers::register(&state, client_address(&req), registration).await;
    let reference = Reference::read(&state).await?;
    let (status, error, done) = match result {
        Ok(_) => (StatusCode::CREATED, None, true),
        Err(err) if err.code == ErrorCode::RateLimited => {
            (err.code.status(), Some(super::refusal_text(&err, page.lang)), false)
        }
        Err(err) if err.code.status().is_client_error() => {
            let field = super::refused_field(&err, "registration_no");
            (err.code.status(), Some(super::field_refusal(page.lang, field)), false)
        }
        Err(err) => return Err(err.into()),
    };
    let template = RegisterTemplate {
        regions: region_choices(&reference, page.lang, &form.region_code),
        page: &page,
        values: form,
        error,
        done,
    };
    Ok(page.respond(status, &template))
}

#[derive(Template)]
#[template(path = "regulator_employers.html")]
struct PendingTemplate<'a> {
    page: &'a Page,
    employers: Vec<(Employer, String)>,
    next: Option<String>,
}

/// The employers the regulator oversees, pending first, with a verify button; a page at a
/// time.
#[get("/regulator/employers")]
pub async fn pending(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Regulator,
    paging: web::Query<Paging>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let listed = employers::desk(&state, &user, paging.request()?).await?;
    let reference = Reference::read(&state).await?;
    let next = next_link(&req, listed.next.as_deref());
    let employers: Vec<(Employer, String)> = listed
        .items
        .into_iter()
        .map(|e| {
            let region = reference.name(&e.region_code, page.lang).to_owned();
            (e, region)
        })
        .collect();
    Ok(page.respond(StatusCode::OK, &PendingTemplate { page: &page, employers, next }))
}

#[post("/regulator/employers/{id}/verify")]
pub async fn verify(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Result<Regulator, PageError>,
    id: web::Path<EmployerId>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    employers::verify(&state, &user, &id).await?;
    Ok(see_other("/regulator/employers"))
}
