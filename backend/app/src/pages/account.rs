//! The landing page, logging in and out, the per-role home page and the language switch.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{
    CheckedForm, NoFields, Page, PageError, PageResult, SignedIn, refusal_text, see_other, ui_cookie,
};
use crate::api::client_address;
use crate::auth::PageUser;
use crate::auth::extract::SESSION_COOKIE;
use crate::domain::account::Role;
use crate::error::{AppError, ErrorCode};
use crate::i18n::{LANG_COOKIE, Lang};
use crate::services::accounts::{self, AccountPatch};
use crate::services::authorities;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingTemplate<'a> {
    page: &'a Page,
}

#[get("/")]
pub async fn landing(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> HttpResponse {
    let page = Page::new(&req, &state, user.as_deref());
    page.respond(StatusCode::OK, &LandingTemplate { page: &page })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTemplate<'a> {
    page: &'a Page,
    email: &'a str,
    /// Why the last try was refused, in the reader's words.
    refusal: Option<String>,
}

#[get("/login")]
pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
) -> HttpResponse {
    if user.is_some() {
        return see_other("/home");
    }
    let page = Page::new(&req, &state, None);
    page.respond(StatusCode::OK, &LoginTemplate { page: &page, email: "", refusal: None })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

#[post("/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> PageResult {
    let secure = state.settings.server.secure_cookies;
    match accounts::login(&state, client_address(&req), &form.email, &form.password).await {
        Ok(logged_in) => {
            let max_age = CookieDuration::minutes(state.settings.auth.token_ttl_minutes);
            let mut response = see_other("/home");
            response
                .add_cookie(&ui_cookie(SESSION_COOKIE, logged_in.token, max_age, secure))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(err) if matches!(err.code, ErrorCode::InvalidCredentials | ErrorCode::RateLimited) => {
            let page = Page::new(&req, &state, None);
            let refusal = match err.code {
                ErrorCode::InvalidCredentials => page.lang.t("login-failed"),
                _ => refusal_text(&err, page.lang),
            };
            let template = LoginTemplate { page: &page, email: form.email.trim(), refusal: Some(refusal) };
            Ok(page.respond(err.code.status(), &template))
        }
        Err(err) => Err(err.into()),
    }
}

#[post("/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Option<PageUser>,
) -> PageResult {
    if let Some(user) = user {
        accounts::logout(&state, &user.session_id).await?;
    }
    let mut response = see_other("/login");
    let gone =
        ui_cookie(SESSION_COOKIE, String::new(), CookieDuration::ZERO, state.settings.server.secure_cookies);
    response.add_removal_cookie(&gone).map_err(AppError::internal)?;
    Ok(response)
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomeTemplate<'a> {
    page: &'a Page,
    role: Role,
    role_key: &'static str,
    intro_key: &'static str,
    email: &'a str,
    /// The language chosen for notices, if any.
    notice_language: Option<&'a str>,
    /// Whether the person set its own password (a worker's account may not have yet).
    activated: bool,
    /// A regulator's authority, by name.
    authority_name: Option<String>,
    /// Whether the desks of China's side (floors, employers, permits) are offered: to a
    /// regulator of China's side.
    china_side: bool,
}

/// Each role's desk; later features hang their sections here.
#[get("/home")]
pub async fn home(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let Some(user) = user else {
        return Ok(see_other("/login"));
    };
    let account = accounts::find_user(&state, &user).await?;
    let authority = authorities::own(&state, &user).await?;
    let side = |country: &str| authority.as_ref().is_some_and(|a| a.country == country);
    let (china_side, vietnam_side) = (side("CN"), side("VN"));
    let (role_key, intro_key) = match user.role {
        Role::Employer => ("role-employer", "home-intro-employer"),
        Role::Agency => ("role-agency", "home-intro-agency"),
        Role::Worker => ("role-worker", "home-intro-worker"),
        Role::Regulator if vietnam_side => ("role-regulator", "home-intro-regulator-vn"),
        Role::Regulator => ("role-regulator", "home-intro-regulator"),
    };
    let page = Page::new(&req, &state, Some(&user));
    let template = HomeTemplate {
        page: &page,
        role: user.role,
        role_key,
        intro_key,
        email: account.email.as_deref().or(account.phone.as_deref()).unwrap_or_default(),
        notice_language: account.language.as_deref(),
        activated: account.activated,
        authority_name: authority.map(|a| a.name),
        china_side,
    };
    Ok(page.respond(StatusCode::OK, &template))
}

#[derive(Deserialize)]
pub struct NoticeLanguageForm {
    /// A language tag, or empty for the role's own.
    #[serde(default)]
    language: String,
}

/// The signed-in user chooses the language of its notices.
#[post("/home/language")]
pub async fn notice_language(
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<NoticeLanguageForm>,
    user: Result<SignedIn, PageError>,
) -> PageResult {
    let user = user?;
    let language = Some(form.language).filter(|l| !l.is_empty());
    accounts::update_own(&state, &user, AccountPatch { language }).await?;
    Ok(see_other("/home"))
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// Remembers the chosen language for a year and returns to the page (same site only).
#[get("/lang/{tag}")]
pub async fn switch_language(
    state: web::Data<AppState>,
    tag: web::Path<String>,
    query: web::Query<SwitchQuery>,
) -> PageResult {
    let lang = Lang::from_tag(&tag).ok_or_else(AppError::not_found)?;
    let next = query.next.as_deref().filter(|n| is_local_path(n)).unwrap_or("/");
    let mut response = see_other(next);
    let cookie = ui_cookie(
        LANG_COOKIE,
        lang.tag().to_owned(),
        CookieDuration::days(365),
        state.settings.server.secure_cookies,
    );
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

/// A path on this site: starts with one `/`, and holds no backslash, whitespace or control
/// character that a browser would drop or turn into another host.
fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        for ok in ["/", "/login", "/vacancies?region_code=451400"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/x",
            "https://evil.example",
            "",
            "x/",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
