//! The regulators' what-if as a page: how far the registered workers could fill the open
//! vacancies, by region and by home province.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use askama::Template;

use super::{Page, PageResult};
use crate::auth::PageUser;
use crate::services::matching::{self, WhatIf};
use crate::services::reference::Reference;
use crate::state::AppState;

/// A count of a region or a province, named in the reader's language.
struct Row {
    code: String,
    name: String,
    of: i64,
    done: i64,
}

#[derive(Template)]
#[template(path = "what_if.html")]
struct WhatIfTemplate<'a> {
    page: &'a Page,
    what_if: &'a WhatIf,
    regions: Vec<Row>,
    provinces: Vec<Row>,
}

#[get("/regulator/what-if")]
pub async fn view(req: HttpRequest, state: web::Data<AppState>, user: PageUser) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let what_if = matching::what_if(&state, &user).await?;
    let reference = Reference::read(&state).await?;
    let named = |code: &str, of: i64, done: i64| Row {
        code: code.to_owned(),
        name: reference.name(code, page.lang).to_owned(),
        of,
        done,
    };
    let regions = what_if.regions.iter().map(|r| named(&r.region_code, r.open_seats, r.filled)).collect();
    let provinces =
        what_if.provinces.iter().map(|p| named(&p.home_province_code, p.workers, p.placed)).collect();
    let template = WhatIfTemplate { page: &page, what_if: &what_if, regions, provinces };
    Ok(page.respond(StatusCode::OK, &template))
}
