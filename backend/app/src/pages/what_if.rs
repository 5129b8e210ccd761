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

/// The counts by region or by province, with their words.
struct Table {
    id: &'static str,
    heading_id: &'static str,
    heading: String,
    column: String,
    of: String,
    done: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "what_if.html")]
struct WhatIfTemplate<'a> {
    page: &'a Page,
    what_if: &'a WhatIf,
    tables: Vec<Table>,
}

#[get("/regulator/what-if")]
pub async fn view(req: HttpRequest, state: web::Data<AppState>, user: PageUser) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let what_if = matching::what_if(&state, &user).await?;
    let reference = Reference::read(&state).await?;
    let lang = page.lang;
    let named = |code: &str, of: i64, done: i64| Row {
        code: code.to_owned(),
        name: reference.name(code, lang).to_owned(),
        of,
        done,
    };
    let tables = vec![
        Table {
            id: "what-if-regions",
            heading_id: "by-region",
            heading: lang.t("what-if-by-region"),
            column: lang.t("field-region_code"),
            of: lang.t("what-if-seats"),
            done: lang.t("what-if-filled"),
            rows: what_if.regions.iter().map(|r| named(&r.region_code, r.open_seats, r.filled)).collect(),
        },
        Table {
            id: "what-if-provinces",
            heading_id: "by-province",
            heading: lang.t("what-if-by-province"),
            column: lang.t("field-home_province_code"),
            of: lang.t("what-if-workers"),
            done: lang.t("what-if-placed"),
            rows: what_if
                .provinces
                .iter()
                .map(|p| named(&p.home_province_code, p.workers, p.placed))
                .collect(),
        },
    ];
    let template = WhatIfTemplate { page: &page, what_if: &what_if, tables };
    Ok(page.respond(StatusCode::OK, &template))
}
