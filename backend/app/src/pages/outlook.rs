//! The demand outlook as a page, for agencies and both sides' regulators.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use askama::Template;
use serde::Deserialize;

use super::{Page, PageResult, field_refusal, refused_field};
use crate::auth::PageUser;
use crate::error::ErrorCode;
use crate::i18n::Lang;
use crate::services::outlook::{self, OutlookRow};
use crate::services::reference::Reference;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct OutlookQuery {
    season: Option<String>,
}

/// A row in the reader's language.
struct Row {
    month: String,
    occupation: String,
    region: String,
    open: i64,
    planned: i64,
    /// Expected fill and returns, or a dash without enough history.
    fill: String,
    fill_rate: String,
    returns: String,
    return_rate: String,
}

fn row(r: &OutlookRow, reference: &Reference, lang: Lang) -> Row {
    let rate = |rate: Option<i64>, scope: &Option<String>| match (rate, scope) {
        (Some(rate), Some(scope)) => {
            format!("{} ({})", lang.percent(rate), lang.t(&format!("outlook-scope-{scope}")))
        }
        _ => "—".to_owned(),
    };
    let number = |n: Option<i64>| n.map_or_else(|| "—".to_owned(), |n| n.to_string());
    Row {
        month: r.month.clone(),
        occupation: reference.name(&r.occupation, lang).to_owned(),
        region: reference.name(&r.region, lang).to_owned(),
        open: r.open_positions,
        planned: r.planned_positions,
        fill: number(r.expected_fill),
        fill_rate: rate(r.fill_rate_per_mille, &r.fill_rate_scope),
        returns: number(r.expected_returns_on_time),
        return_rate: rate(r.on_time_return_rate_per_mille, &r.return_rate_scope),
    }
}

#[derive(Template)]
#[template(path = "outlook.html")]
struct OutlookTemplate<'a> {
    page: &'a Page,
    season: String,
    /// How the figures were made: the season, what they learned from, the method's version.
    method: String,
    rows: Vec<Row>,
    error: Option<String>,
}

/// The outlook of a season (by default the current one); a season that is not one shows the
/// form again with the refusal.
#[get("/outlook")]
pub async fn view(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: PageUser,
    query: web::Query<OutlookQuery>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let asked = query.into_inner().season;
    let (outlook, error, status) = match outlook::outlook(&state, &user, asked.as_deref()).await {
        Ok(outlook) => (Some(outlook), None, StatusCode::OK),
        Err(err) if err.code == ErrorCode::ValidationFailed => (
            None,
            Some(field_refusal(page.lang, refused_field(&err, "season"))),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(err) => return Err(err.into()),
    };
    let reference = Reference::read(&state).await?;
    let rows = outlook
        .as_ref()
        .map(|o| o.rows.iter().map(|r| row(r, &reference, page.lang)).collect())
        .unwrap_or_default();
    let season = outlook.as_ref().map(|o| o.season.clone()).or(asked).unwrap_or_default();
    let method = outlook.as_ref().map_or_else(String::new, |o| {
        let lang = page.lang;
        lang.ta(
            "outlook-method",
            &[
                ("season", o.season.clone()),
                ("from", o.learned_from.join(", ")),
                ("version", o.method_version.clone()),
            ],
        )
    });
    let template = OutlookTemplate { page: &page, season, method, rows, error };
    Ok(page.respond(status, &template))
}
