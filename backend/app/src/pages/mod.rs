//! Server-rendered HTML pages (askama templates in web/templates), in zh-CN, vi and en.

mod account;
mod agencies;
mod amendments;
mod assets;
mod authorities;
mod compliance;
mod credentials;
mod employers;
mod extract;
mod floors;
mod forms;
mod labels;
mod matching;
mod outlook;
pub(crate) mod oversight;
mod partners;
mod placements;
mod ratings;
mod statistics;
mod vacancies;
mod what_if;
mod work_history;
mod workers;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;

use crate::auth::AuthUser;
use crate::auth::csrf;
use crate::domain::account::Role;
use crate::error::{AppError, ErrorCode};
use crate::i18n::{self, Lang};
use crate::state::AppState;

pub use extract::{Agency, CheckedForm, Employer, NoFields, Regulator, SignedIn, Worker};

/// What every page's layout needs.
pub struct Page {
    pub lang: Lang,
    pub langs: [Lang; 3],
    /// This page's path (and a GET's query), where the language switch returns to.
    pub path: String,
    pub csrf_token: String,
    pub signed_in: bool,
    /// The signed-in user's role, for the navigation.
    pub role: Option<Role>,
    /// Today in China by the app's clock: the day the scheme's dates are read against.
    pub today: chrono::NaiveDate,
    /// Set when this request made a new CSRF nonce that the response must store.
    new_nonce: Option<String>,
    secure_cookies: bool,
}

impl Page {
    pub fn new(req: &HttpRequest, state: &AppState, user: Option<&AuthUser>) -> Page {
        let default = user.filter(|u| u.role == Role::Worker).map(|_| Lang::Vi);
        Page::in_language(req, state, user, default)
    }

    /// A page a worker reads before it can sign in (activating its account, resetting its
    /// password): Vietnamese unless the reader chose another language.
    pub fn for_worker(req: &HttpRequest, state: &AppState, user: Option<&AuthUser>) -> Page {
        Page::in_language(req, state, user, Some(Lang::Vi))
    }

    fn in_language(
        req: &HttpRequest,
        state: &AppState,
        user: Option<&AuthUser>,
        default: Option<Lang>,
    ) -> Page {
        let cookie_nonce = req.cookie(csrf::COOKIE).map(|c| c.value().to_owned()).filter(|n| !n.is_empty());
        let (nonce, new_nonce) = match cookie_nonce {
            Some(nonce) => (nonce, None),
            None => {
                let nonce = csrf::new_nonce();
                (nonce.clone(), Some(nonce))
            }
        };
        Page {
            lang: i18n::negotiate(req, default),
            langs: Lang::ALL,
            path: here(req),
            csrf_token: csrf::token_for(state.keys.secret(), &nonce),
            signed_in: user.is_some(),
            role: user.map(|u| u.role),
            today: state.clock.today(),
            new_nonce,
            secure_cookies: state.settings.server.secure_cookies,
        }
    }

    /// Whether the reader is signed in as an agency (which ranks candidates).
    pub fn is_agency(&self) -> bool {
        self.role == Some(Role::Agency)
    }

    /// Renders a template into a response with `status`, storing a new CSRF nonce if one was made.
    pub fn respond(&self, status: StatusCode, template: &impl Template) -> HttpResponse {
        let html = match template.render() {
            Ok(html) => html,
            Err(err) => return AppError::internal(err).error_response(),
        };
        let mut response = HttpResponse::build(status);
        response.content_type("text/html; charset=utf-8");
        if let Some(nonce) = &self.new_nonce {
            response.cookie(
                Cookie::build(csrf::COOKIE, nonce.clone())
                    .path("/")
                    .http_only(true)
                    .secure(self.secure_cookies)
                    .same_site(SameSite::Strict)
                    .finish(),
            );
        }
        response.body(html)
    }
}

/// An uploaded form (multipart), which carries its CSRF token.
pub trait Upload: actix_multipart::form::MultipartCollect + 'static {
    fn csrf_token(&self) -> &str;
}

/// Reads an upload once its sender is known: a handler takes the body as a [`web::Payload`]
/// after its user extractor, so that only a signed-in user of the right role gets a file (up
/// to `server.csv_limit_bytes`) read; its CSRF token is checked, against the request's cookie
/// in constant time, before anything else is done with it ([`CheckedForm`] does the same for
/// plain forms).
pub async fn read_upload<T: Upload>(req: &HttpRequest, payload: web::Payload) -> Result<T, AppError> {
    use actix_web::FromRequest;
    let form = actix_multipart::form::MultipartForm::<T>::from_request(req, &mut payload.into_inner())
        .await
        .map_err(|err| match err.as_response_error().status_code() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::new(ErrorCode::PayloadTooLarge),
            _ => AppError::new(ErrorCode::MalformedBody).with_detail(err.to_string()),
        })?
        .into_inner();
    if !extract::csrf_matches(req, form.csrf_token()) {
        return Err(AppError::new(ErrorCode::CsrfFailed));
    }
    Ok(form)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    page: &'a Page,
    code: &'static str,
    message_key: &'static str,
}

/// An error on a page: a visitor is sent to the login page (303); anything else answers with
/// the error page, which [`localise_errors`] renders in the reader's language. Every
/// service's [`AppError`] converts into one, so a page handler answers errors with `?`.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError(error)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self.0.code {
            ErrorCode::NotAuthenticated => StatusCode::SEE_OTHER,
            code => code.status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.0.code == ErrorCode::NotAuthenticated {
            return see_other("/login");
        }
        if self.0.code == ErrorCode::Internal {
            // Logs the cause; the page replaces its JSON.
            let _ = self.0.error_response();
        }
        // Without the request the language is not known: English, until `localise_errors`
        // renders it again for the reader.
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.0.code.title())
    }
}

/// The error page for `code`, in the language of `req`'s reader.
fn error_page(req: &HttpRequest, code: ErrorCode) -> Result<String, askama::Error> {
    let message_key = match code {
        ErrorCode::CsrfFailed => "error-csrf",
        ErrorCode::DatabaseUnavailable => "error-unavailable",
        ErrorCode::NotFound => "error-not-found",
        ErrorCode::Forbidden => "error-forbidden",
        _ => "error-title",
    };
    let page = Page {
        lang: i18n::negotiate(req, None),
        langs: Lang::ALL,
        path: here(req),
        csrf_token: String::new(),
        signed_in: false,
        role: None,
        today: req.app_data::<web::Data<AppState>>().map(|s| s.clock.today()).unwrap_or_default(),
        new_nonce: None,
        secure_cookies: false,
    };
    ErrorTemplate { page: &page, code: code.as_str(), message_key }.render()
}

/// Middleware: a [`PageError`]'s answer becomes the error page in the reader's language. The
/// response keeps its status and its error, so the request log still records the failure.
pub async fn localise_errors(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let code = res
        .response()
        .error()
        .and_then(|e| e.as_error::<PageError>())
        .map(|e| e.0.code)
        .filter(|code| *code != ErrorCode::NotAuthenticated);
    let Some(code) = code else {
        return Ok(res.map_into_left_body());
    };
    let html = error_page(res.request(), code).map_err(AppError::internal)?;
    Ok(res
        .map_body(|head, _| {
            head.headers_mut().insert(
                actix_web::http::header::CONTENT_TYPE,
                actix_web::http::header::HeaderValue::from_static("text/html; charset=utf-8"),
            );
            actix_web::body::BoxBody::new(html)
        })
        .map_into_right_body())
}

pub type PageResult = Result<HttpResponse, PageError>;

/// "Please check: <field>", naming the field in the reader's language (never by its code:
/// a field without a label is "the form", and a unit test keeps every named field labelled).
pub fn field_refusal(lang: Lang, field: &str) -> String {
    let label = lang.try_t(&format!("field-{field}")).unwrap_or_else(|| lang.t("field-form"));
    lang.t1("refusal-field", "field", &label)
}

/// Why an action was refused, in the reader's language: a suspended or expired licence, the
/// code's own message (`refusal-<code>`), else the field a validation names, else the
/// problem's detail.
pub fn refusal_text(err: &AppError, lang: Lang) -> String {
    if err.code == ErrorCode::LicenceInactive {
        let status = err.extra.get("licence_status").and_then(|s| s.as_str()).unwrap_or("suspended");
        return lang.t1("refusal-licence-acts", "status", &lang.t(&format!("licence-{status}")));
    }
    if let Some(message) = lang.try_t(&format!("refusal-{}", err.code.as_str().replace('_', "-"))) {
        return message;
    }
    match err.code {
        ErrorCode::ValidationFailed => field_refusal(lang, refused_field(err, "form")),
        _ => err.detail.clone().unwrap_or_else(|| err.code.title().to_owned()),
    }
}

/// The field a refusal names, or `default`.
pub fn refused_field<'a>(err: &'a AppError, default: &'a str) -> &'a str {
    err.extra.get("field").and_then(|f| f.as_str()).unwrap_or(default)
}

/// How a page asks for a page of its list: `?limit=&after=` (the board's filters beside them).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Paging {
    pub limit: Option<String>,
    pub after: Option<String>,
}

impl Paging {
    /// The page asked for; a bad limit or cursor is a refusal the page explains.
    pub fn request(&self) -> Result<crate::domain::page::PageRequest, AppError> {
        Ok(crate::domain::page::PageRequest::parse(self.limit.as_deref(), self.after.as_deref())?)
    }
}

/// The address of the next page of a list page (its filters kept), when there is one: what
/// `pager.html` links to.
pub fn next_link(req: &HttpRequest, next: Option<&str>) -> Option<String> {
    next.map(|cursor| crate::domain::page::next_href(req.path(), req.query_string(), cursor))
}

/// Where the language switch returns to: this page's path, with the query of a page read by
/// GET (a permit or work-history check keeps its number and code).
fn here(req: &HttpRequest) -> String {
    match req.query_string() {
        query if !query.is_empty() && req.method() == actix_web::http::Method::GET => {
            format!("{}?{query}", req.path())
        }
        _ => req.path().to_owned(),
    }
}

/// The query of a public check by number and code (a permit, a shared work history): the
/// number typed in the form, and the code.
#[derive(serde::Deserialize)]
pub struct CheckQuery {
    pub number: Option<String>,
    pub code: Option<String>,
}

impl CheckQuery {
    /// The number asked for — the path's (where a QR code points), else the form's; none on
    /// the empty form — and the code.
    pub fn asked(self, path: Option<String>) -> (Option<String>, String) {
        let number = path.or(self.number).map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        (number, self.code.unwrap_or_default())
    }
}

/// What a public check found: `None` for an unknown number or a wrong code, which the page
/// answers alike (404); any other refusal is the page's error.
pub fn found<T>(checked: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match checked {
        Ok(found) => Ok(Some(found)),
        Err(err) if err.code == ErrorCode::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// A check page's status: 404 when a number was asked and nothing found.
pub fn check_status(asked: bool, found: bool) -> StatusCode {
    if asked && !found { StatusCode::NOT_FOUND } else { StatusCode::OK }
}

/// A 303 redirect, as after a form post.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, location)).finish()
}

/// A cookie of the UI: path /, HttpOnly, SameSite=Lax.
pub fn ui_cookie(
    name: &'static str,
    value: String,
    max_age: CookieDuration,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(max_age)
        .finish()
}

/// Declares the HTML routes from one table: each handler with the method and path of its
/// attribute. [`routes`] registers them in the table's order; [`ROUTES`] lists the methods
/// and paths, which a 405's `Allow` header is read from (a unit test keeps the table equal to
/// the handlers' attributes).
macro_rules! page_routes {
    ($($method:ident $path:literal => $module:ident :: $handler:ident),* $(,)?) => {
        /// Every page's method and path, as its handler's attribute declares them.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        /// The HTML routes.
        pub fn routes(cfg: &mut web::ServiceConfig) {
            $(cfg.service($module::$handler);)*
        }
    };
}

page_routes! {
    GET "/" => account::landing,
    GET "/login" => account::login_form,
    POST "/login" => account::login,
    POST "/logout" => account::logout,
    GET "/home" => account::home,
    GET "/lang/{tag}" => account::switch_language,
    GET "/vacancies" => vacancies::board,
    GET "/employer/vacancies/new" => vacancies::new_form,
    GET "/employer/vacancies/check" => vacancies::check,
    GET "/employer/vacancies" => vacancies::own,
    POST "/employer/vacancies" => vacancies::create,
    POST "/employer/vacancies/{id}/local-hires" => vacancies::hire_locally,
    GET "/employer/vacancies/{id}/edit" => vacancies::edit_form,
    POST "/employer/vacancies/{id}/edit" => vacancies::edit,
    POST "/employer/vacancies/{id}/{action}" => vacancies::act,
    GET "/vacancies/{id}" => vacancies::detail,
    GET "/vacancies/{id}/candidates" => matching::candidates,
    GET "/matching/proposals" => matching::proposal_form,
    POST "/matching/proposals" => matching::propose,
    POST "/matching/proposals/review" => matching::review,
    POST "/matching/proposals/offers" => matching::make_offers,
    GET "/outlook" => outlook::view,
    GET "/regulator/what-if" => what_if::view,
    GET "/floors" => floors::lookup,
    GET "/regulator/floors" => floors::manage,
    POST "/regulator/floors" => floors::add,
    POST "/regulator/floors/{id}/end" => floors::end,
    GET "/employers/register" => employers::register_form,
    POST "/employers/register" => employers::register,
    GET "/regulator/employers" => employers::pending,
    GET "/employers/{id}" => ratings::card,
    GET "/regulator/ratings" => ratings::pending,
    POST "/regulator/ratings/{id}/{decision}" => ratings::moderate,
    POST "/regulator/employers/{id}/verify" => employers::verify,
    GET "/licences" => agencies::check_form,
    GET "/licences/{number}" => agencies::check,
    GET "/regulator/agencies" => agencies::list,
    POST "/regulator/agencies" => agencies::create,
    GET "/regulator/agencies/{id}" => agencies::detail,
    POST "/regulator/agencies/{id}/licence/{action}" => agencies::decide,
    GET "/agency/workers" => workers::list,
    GET "/agency/workers/new" => workers::new_form,
    POST "/agency/workers" => workers::create,
    GET "/agency/workers/{id}/edit" => workers::edit_form,
    POST "/agency/workers/{id}/edit" => workers::edit,
    GET "/agency/workers/import" => workers::import_form,
    POST "/agency/workers/import" => workers::import,
    GET "/worker" => workers::own_record,
    GET "/worker/access-log" => workers::own_access_log,
    GET "/worker/work-history" => work_history::own,
    POST "/worker/work-history/{action}" => work_history::act,
    GET "/work-history" => work_history::check_form,
    GET "/work-history/{number}" => work_history::check,
    GET "/workers/{id}" => workers::detail,
    POST "/placements/{id}/payslips" => compliance::report_payslip,
    GET "/employer/payslips/import" => compliance::import_form,
    POST "/employer/payslips/import" => compliance::import,
    GET "/worker/fees" => compliance::fee_form,
    POST "/worker/fees" => compliance::report_fee,
    GET "/complaints/new" => compliance::complaint_form,
    POST "/complaints" => compliance::file_complaint,
    GET "/complaints" => compliance::complaint_lookup,
    GET "/complaints/{reference}" => compliance::complaint_status,
    GET "/broker-reports/new" => compliance::broker_form,
    POST "/broker-reports" => compliance::report_broker,
    GET "/broker-reports" => compliance::broker_report_lookup,
    GET "/broker-reports/{reference}" => compliance::broker_report_status,
    GET "/regulator/cases" => compliance::cases,
    GET "/regulator/cases/{id}" => compliance::case_detail,
    POST "/regulator/cases/{id}/{action}" => compliance::work_case,
    POST "/regulator/cases/{id}/party/{decision}" => compliance::decide_party,
    GET "/regulator/compliance" => compliance::view,
    GET "/regulator/authorities" => authorities::list,
    POST "/regulator/authorities" => authorities::add_authority,
    POST "/regulator/regulators" => authorities::add_regulator,
    GET "/regulator/alerts" => oversight::alerts,
    GET "/regulator/audit" => oversight::audit_log,
    GET "/regulator/audit/check" => oversight::audit_check,
    GET "/regulator/compliance/pay" => compliance::pay,
    GET "/orientation" => placements::orientation_page,
    GET "/placements" => placements::list,
    POST "/placements" => placements::offer,
    GET "/placements/{id}/contract" => placements::print,
    GET "/placements/{id}/amendment" => amendments::form,
    POST "/placements/{id}/amendment" => amendments::amend,
    GET "/placements/{id}" => placements::detail,
    POST "/placements/{id}/{action}" => placements::act,
    GET "/permits" => placements::permit_form,
    GET "/permits/{number}" => placements::permit_check,
    POST "/home/language" => account::notice_language,
    GET "/activate" => credentials::activate_form,
    POST "/activate" => credentials::activate,
    GET "/reset" => credentials::reset_form,
    POST "/reset" => credentials::reset,
    GET "/reset/confirm" => credentials::reset_confirm_form,
    POST "/reset/confirm" => credentials::reset_confirm,
    GET "/account/password" => credentials::password_form,
    POST "/account/password" => credentials::change_password,
    POST "/agency/workers/{id}/activation" => credentials::send_activation,
    GET "/regulator/workers" => credentials::regulator_workers,
    POST "/regulator/workers/{id}/activation" => credentials::hand_over_code,
    POST "/regulator/workers/{id}/identity" => credentials::correct_identity,
    GET "/regulator/partners" => partners::list,
    POST "/regulator/partners" => partners::register,
    POST "/regulator/partners/{id}/remove" => partners::remove,
    GET "/regulator/partners/{id}/deliveries" => partners::deliveries,
    POST "/regulator/deliveries/{id}/redeliver" => partners::redeliver,
    GET "/regulator/notices" => partners::notices,
    GET "/statistics" => statistics::overview,
    GET "/statistics/definitions" => statistics::definitions,
    GET "/static/{path:.*}" => assets::static_file,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// [`super::ROUTES`] is what the handlers' attributes declare, no more and no less: it is
    /// read for a 405's `Allow`, so a page added without it would answer 404 to a wrong method.
    #[test]
    fn the_route_table_matches_the_handlers_attributes() {
        fn walk(dir: &std::path::Path, found: &mut BTreeSet<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    for method in ["get", "post", "put", "patch", "delete", "head", "route"] {
                        let attribute = format!("#[{method}(\"");
                        for (at, _) in source.match_indices(&attribute) {
                            let rest = &source[at + attribute.len()..];
                            let route = &rest[..rest.find('"').unwrap()];
                            found.insert((method.to_uppercase(), route.to_owned()));
                        }
                    }
                }
            }
        }
        let mut declared = BTreeSet::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages"), &mut declared);
        let table: BTreeSet<(String, String)> =
            super::ROUTES.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
        assert_eq!(table.len(), super::ROUTES.len(), "a route is listed twice");
        assert_eq!(table, declared);
    }
}
