//! The worker's work history on its phone (the seasons the scheme recorded, its share with a
//! QR code, and withdrawing it), and the public check of a shared history.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;

use super::placements::qr_svg;
use super::{
    CheckQuery, CheckedForm, NoFields, Page, PageError, PageResult, Worker as SignedInWorker, see_other,
};
use crate::api::client_address;
use crate::auth::PageUser;
use crate::i18n::Lang;
use crate::services::reference::Reference;
use crate::services::work_history::{self, PublicWorkHistory, Season, WorkHistory};
use crate::state::AppState;

/// A season as a line reads it, in the reader's language.
pub struct SeasonLine {
    pub employer: String,
    pub employer_link: Option<String>,
    pub occupation: String,
    pub dates: String,
    pub returned: String,
    pub on_time: bool,
}

impl SeasonLine {
    fn new(season: &Season, reference: &Reference, lang: Lang) -> SeasonLine {
        let returned = match season.returned_on {
            Some(day) => lang.t1("history-returned-on", "date", &lang.date(day)),
            None => lang.t("history-not-returned"),
        };
        SeasonLine {
            employer: season.employer_name.clone().unwrap_or_else(|| lang.t("history-employer-unknown")),
            employer_link: season.employer_id.as_ref().map(|id| format!("/employers/{id}")),
            occupation: season
                .occupation_code
                .as_deref()
                .map(|c| reference.name(c, lang).to_owned())
                .unwrap_or_default(),
            dates: lang.dates(season.season_start, season.season_end),
            returned,
            on_time: season.returned_on_time,
        }
    }

    fn all(seasons: &[Season], reference: &Reference, lang: Lang) -> Vec<SeasonLine> {
        seasons.iter().map(|s| SeasonLine::new(s, reference, lang)).collect()
    }
}

#[derive(Template)]
#[template(path = "work_history.html")]
struct OwnTemplate<'a> {
    page: &'a Page,
    history: WorkHistory,
    seasons: Vec<SeasonLine>,
    qr: String,
}

/// The worker's own history, in Vietnamese unless it chose another language.
#[get("/worker/work-history")]
pub async fn own(req: HttpRequest, state: web::Data<AppState>, user: SignedInWorker) -> PageResult {
    let page = Page::for_worker(&req, &state, Some(&user));
    let history = work_history::own(&state, &user).await?;
    let reference = Reference::read(&state).await?;
    let qr = history.share.as_ref().map(|s| qr_svg(&req, &s.link)).unwrap_or_default();
    let seasons = SeasonLine::all(&history.seasons, &reference, page.lang);
    Ok(page.respond(StatusCode::OK, &OwnTemplate { page: &page, history, seasons, qr }))
}

/// The worker shares its history (or withdraws the share), then reads it again.
#[post("/worker/work-history/{action}")]
pub async fn act(
    state: web::Data<AppState>,
    _form: CheckedForm<NoFields>,
    user: Result<SignedInWorker, PageError>,
    action: web::Path<String>,
) -> PageResult {
    let user = user?;
    match action.as_str() {
        "share" => work_history::share(&state, &user).await.map(drop)?,
        "withdraw" => work_history::withdraw(&state, &user).await?,
        _ => return Err(crate::error::AppError::not_found().into()),
    }
    Ok(see_other("/worker/work-history"))
}

#[derive(Template)]
#[template(path = "work_history_check.html")]
struct CheckTemplate<'a> {
    page: &'a Page,
    number: String,
    code: String,
    asked: bool,
    found: Option<PublicWorkHistory>,
    seasons: Vec<SeasonLine>,
}

async fn check_page(
    req: &HttpRequest,
    state: &AppState,
    user: Option<&crate::auth::AuthUser>,
    number: Option<String>,
    code: String,
) -> PageResult {
    let page = Page::new(req, state, user);
    let found = match &number {
        None => None,
        Some(number) => super::found(work_history::check(state, client_address(req), number, &code).await)?,
    };
    let reference = Reference::read(state).await?;
    let seasons =
        found.as_ref().map(|f| SeasonLine::all(&f.seasons, &reference, page.lang)).unwrap_or_default();
    let template = CheckTemplate {
        page: &page,
        asked: number.is_some(),
        number: number.unwrap_or_default(),
        code,
        found,
        seasons,
    };
    let status = super::check_status(template.asked, template.found.is_some());
    Ok(page.respond(status, &template))
}

/// The public check of a shared history: the form.
#[get("/work-history")]
pub async fn check_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<CheckQuery>,
) -> PageResult {
    let (number, code) = query.into_inner().asked(None);
    check_page(&req, &state, user.as_deref(), number, code).await
}

/// The public check by number and code — where the share's QR code points. A wrong code
/// answers as an unknown number.
#[get("/work-history/{number}")]
pub async fn check(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    number: web::Path<String>,
    query: web::Query<CheckQuery>,
) -> PageResult {
    let (number, code) = query.into_inner().asked(Some(number.into_inner()));
    check_page(&req, &state, user.as_deref(), number, code).await
}
