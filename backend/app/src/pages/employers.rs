//! Employers register themselves; regulators verify them.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;

use super::vacancies::{Choice, region_choices};
use super::{CsrfForm, Page, PageError, PageResult, check_csrf, require_role, see_other};
use crate::auth::PageUser;
use crate::db::{self, employers as employer_rows};
use crate::domain::account::Role;
use crate::services::employers::{self, Employer, Registration};
use crate::services::reference::Reference;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "employer_register.html")]
struct RegisterTemplate<'a> {
    page: &'a Page,
    regions: Vec<Choice>,
    values: HashMap<String, String>,
    error: Option<String>,
    done: bool,
}

impl RegisterTemplate<'_> {
    fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }
}

#[get("/employers/register")]
pub async fn register_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let reference =
        db::run(&state.pool, Reference::load).await.map_err(|e| PageError::new(&req, &state, e))?;
    let template = RegisterTemplate {
        regions: region_choices(&reference, page.lang, ""),
        page: &page,
        values: HashMap::new(),
        error: None,
        done: false,
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[post("/employers/register")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<HashMap<String, String>>,
) -> PageResult {
    let values = form.into_inner();
    let field = |name: &str| values.get(name).cloned().unwrap_or_default();
    check_csrf(&req, &state, &field(crate::auth::csrf::FIELD))
        .map_err(|e| PageError::new(&req, &state, e))?;
    let page = Page::new(&req, &state, None);
    let registration = Registration {
        name: field("name"),
        registration_no: field("registration_no"),
        region_code: field("region_code"),
        email: field("email"),
        password: field("password"),
    };
    let now = state.clock.now();
    let result = db::transaction(&state.pool, move |conn| employers::register(conn, registration, now)).await;
    let reference =
        db::run(&state.pool, Reference::load).await.map_err(|e| PageError::new(&req, &state, e))?;
    let (status, error, done) = match result {
        Ok(_) => (StatusCode::CREATED, None, true),
        Err(err) if err.code.status().is_client_error() => {
            let field = super::refused_field(&err, "registration_no");
            (err.code.status(), Some(super::field_refusal(page.lang, field)), false)
        }
        Err(err) => return Err(PageError::new(&req, &state, err)),
    };
    let mut values = values;
    values.remove("password");
    let template = RegisterTemplate {
        regions: region_choices(&reference, page.lang, values.get("region_code").map_or("", String::as_str)),
        page: &page,
        values,
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
}

/// Every employer, pending first, with a verify button.
#[get("/regulator/employers")]
pub async fn pending(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let page = Page::new(&req, &state, Some(&user));
    let (reference, rows) =
        db::run(&state.pool, |conn| Ok((Reference::load(conn)?, employer_rows::list(conn, None)?)))
            .await
            .map_err(|e| PageError::new(&req, &state, e))?;
    let mut employers: Vec<(Employer, String)> = rows
        .into_iter()
        .map(Employer::from)
        .map(|e| {
            let region = reference.name(&e.region_code, page.lang).to_owned();
            (e, region)
        })
        .collect();
    employers.sort_by_key(|(e, _)| e.status != "pending");
    Ok(page.respond(StatusCode::OK, &PendingTemplate { page: &page, employers }))
}

#[post("/regulator/employers/{id}/verify")]
pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> PageResult {
    check_csrf(&req, &state, &form.csrf_token).map_err(|e| PageError::new(&req, &state, e))?;
    let user = require_role(&req, &state, user, Role::Regulator)?;
    let (by, now) = (user.user_id.clone(), state.clock.now());
    db::transaction(&state.pool, move |conn| employers::verify(conn, &id, &by, now))
        .await
        .map_err(|e| PageError::new(&req, &state, e))?;
    Ok(see_other("/regulator/employers"))
}
