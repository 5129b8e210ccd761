//! The agency's worker pages (list, registration form, CSV upload with its error report),
//! one worker's record for its agency and regulators (who also read who read it), and the
//! worker's own record and access log, in Vietnamese by default.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as UploadedFile;
use actix_multipart::form::text::Text;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::forms::{Boxes, trimmed};
use super::vacancies::Choice;
use super::{
    Agency, CheckedForm, Page, PageError, PageResult, Paging, SignedIn, Upload, Worker as SignedInWorker,
    next_link, read_upload, see_other,
};
use crate::domain::account::Role;
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::{AgencyId, UserId, WorkerId};
use crate::services::access_log::{self, AccessEntry};
use crate::services::reference::Reference;
use crate::services::workers::{self, Worker, WorkerInput};
use crate::state::AppState;

/// The languages a worker may speak, as the form offers them.
const LANGUAGES: [&str; 5] = ["vi", "zh", "tyz", "nut", "en"];

/// A worker as a row or a record page, in the reader's language.
pub struct WorkerCard {
    pub worker: Worker,
    pub province: String,
    pub skills: String,
    pub languages: String,
    pub gender: String,
}

impl WorkerCard {
    fn new(worker: Worker, reference: &Reference, lang: Lang) -> WorkerCard {
        WorkerCard {
            province: reference.name(&worker.home_province_code, lang).to_owned(),
            skills: worker.skills.iter().map(|s| reference.name(s, lang)).collect::<Vec<_>>().join(", "),
            languages: worker
                .languages
                .iter()
                .map(|l| lang.t(&format!("language-{l}")))
                .collect::<Vec<_>>()
                .join(", "),
            gender: lang.t(&format!("gender-{}", worker.gender)),
            worker,
        }
    }
}

/// Why the agency's write was refused, in the page's language.
fn explain(err: &AppError, lang: Lang) -> String {
    match err.code {
        ErrorCode::LicenceInactive => {
            let status = err.extra.get("licence_status").and_then(|s| s.as_str()).unwrap_or("suspended");
            lang.t1("refusal-licence-inactive", "status", &lang.t(&format!("licence-{status}")))
        }
        ErrorCode::WorkerAlreadyRegistered => lang.t("refusal-worker-registered"),
        _ => {
            let field = super::refused_field(err, "form");
            super::field_refusal(lang, field)
        }
    }
}

#[derive(Template)]
#[template(path = "agency_workers.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    cards: Vec<WorkerCard>,
    next: Option<String>,
}

/// The agency's own workers, a page at a time.
#[get("/agency/workers")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Agency,
    paging: web::Query<Paging>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let listed = workers::list(&state, &user, paging.request()?).await?;
    let reference = Reference::read(&state).await?;
    let next = next_link(&req, listed.next.as_deref());
    let cards = listed.items.into_iter().map(|w| WorkerCard::new(w, &reference, page.lang)).collect();
    Ok(page.respond(StatusCode::OK, &ListTemplate { page: &page, cards, next }))
}

/// The registration form as typed; the dates are parsed when it becomes the service's input.
#[derive(Debug, Default, Deserialize)]
pub struct WorkerForm {
    #[serde(default, deserialize_with = "trimmed")]
    full_name: String,
    #[serde(default, deserialize_with = "trimmed")]
    date_of_birth: String,
    #[serde(default, deserialize_with = "trimmed")]
    gender: String,
    #[serde(default, deserialize_with = "trimmed")]
    id_document_number: String,
    #[serde(default, deserialize_with = "trimmed")]
    home_province_code: String,
    #[serde(default, deserialize_with = "trimmed")]
    phone: String,
    #[serde(default, deserialize_with = "trimmed")]
    email: String,
    #[serde(default, deserialize_with = "trimmed")]
    available_from: String,
    #[serde(default, deserialize_with = "trimmed")]
    available_until: String,
    #[serde(default, deserialize_with = "trimmed")]
    seasons_worked: String,
    /// The ticked `language_<code>` and `skill_<code>` boxes.
    #[serde(flatten)]
    boxes: Boxes,
}

impl WorkerForm {
    /// A stored worker as the edit form shows it.
    fn of(w: &Worker) -> WorkerForm {
        let mut boxes = Boxes::default();
        for language in &w.languages {
            boxes.tick("language_", language);
        }
        for skill in &w.skills {
            boxes.tick("skill_", skill);
        }
        WorkerForm {
            full_name: w.full_name.clone(),
            date_of_birth: w.date_of_birth.to_string(),
            gender: w.gender.clone(),
            id_document_number: w.id_document_number.clone().unwrap_or_default(),
            home_province_code: w.home_province_code.clone(),
            phone: w.phone.clone().unwrap_or_default(),
            email: w.email.clone().unwrap_or_default(),
            available_from: w.available_from.to_string(),
            available_until: w.available_until.to_string(),
            seasons_worked: w.seasons_worked.to_string(),
            boxes,
        }
    }

    /// The form's fields as the API's input, or the first field that does not parse.
    fn to_input(&self, reference: &Reference) -> Result<WorkerInput, &'static str> {
        let date = |value: &str, name: &'static str| value.parse::<NaiveDate>().map_err(|_| name);
        let optional = |value: &str| Some(value.to_owned()).filter(|v| !v.is_empty());
        Ok(WorkerInput {
            full_name: self.full_name.clone(),
            date_of_birth: date(&self.date_of_birth, "date_of_birth")?,
            gender: self.gender.clone(),
            id_document_number: self.id_document_number.clone(),
            home_province_code: self.home_province_code.clone(),
            phone: optional(&self.phone),
            email: optional(&self.email),
            password: None,
            languages: LANGUAGES
                .iter()
                .filter(|l| self.boxes.ticked("language_", l))
                .map(|l| (*l).to_owned())
                .collect(),
            skills: reference
                .skills
                .iter()
                .filter(|s| self.boxes.ticked("skill_", &s.code))
                .map(|s| s.code.clone())
                .collect(),
            available_from: date(&self.available_from, "available_from")?,
            available_until: date(&self.available_until, "available_until")?,
            seasons_worked: self.seasons_worked.parse().ok(),
        })
    }
}

#[derive(Template)]
#[template(path = "worker_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: &'a WorkerForm,
    provinces: Vec<Choice>,
    genders: Vec<Choice>,
    languages: Vec<Choice>,
    skills: Vec<Choice>,
    refusal: Option<String>,
    /// The worker edited; none for a new one.
    editing: Option<WorkerId>,
}

fn form_page(
    page: &Page,
    reference: &Reference,
    form: &WorkerForm,
    editing: Option<WorkerId>,
    refusal: Option<String>,
    status: StatusCode,
) -> actix_web::HttpResponse {
    let lang = page.lang;
    let template = FormTemplate {
        page,
        form,
        editing,
        provinces: reference
            .regions
            .iter()
            .filter(|r| r.country == "VN" && r.level == "province")
            .map(|r| Choice {
                code: r.code.clone(),
                name: r.names.get(lang).to_owned(),
                selected: r.code == form.home_province_code,
            })
            .collect(),
        genders: ["female", "male", "other"]
            .into_iter()
            .map(|g| Choice {
                code: g.into(),
                name: lang.t(&format!("gender-{g}")),
                selected: g == form.gender,
            })
            .collect(),
        languages: LANGUAGES
            .into_iter()
            .map(|l| Choice {
                code: l.into(),
                name: lang.t(&format!("language-{l}")),
                selected: form.boxes.ticked("language_", l),
            })
            .collect(),
        skills: reference
            .skills
            .iter()
            .map(|s| Choice {
                code: s.code.clone(),
                name: s.names.get(lang).to_owned(),
                selected: form.boxes.ticked("skill_", &s.code),
            })
            .collect(),
        refusal,
    };
    page.respond(status, &template)
}

#[get("/agency/workers/new")]
pub async fn new_form(req: HttpRequest, state: web::Data<AppState>, user: Agency) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let reference = Reference::read(&state).await?;
    let mut form = WorkerForm::default();
    form.boxes.tick("language_", "vi");
    Ok(form_page(&page, &reference, &form, None, None, StatusCode::OK))
}

/// Registers a worker through the same service as the API: licence checked on the day.
#[post("/agency/workers")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<WorkerForm>,
    user: Result<Agency, PageError>,
) -> PageResult {
    // The token is refused before the role is looked at.
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let reference = Reference::read(&state).await?;
    let input = match form.to_input(&reference) {
        Ok(input) => input,
        Err(field) => {
            let refusal = super::field_refusal(page.lang, field);
            return Ok(form_page(
                &page,
                &reference,
                &form,
                None,
                Some(refusal),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    match workers::create(&state, &user, input).await {
        Ok(_) => Ok(see_other("/agency/workers")),
        Err(err) if err.code.status().is_client_error() => {
            Ok(form_page(&page, &reference, &form, None, Some(explain(&err, page.lang)), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}

/// The edit form of one of the agency's workers, filled with its record.
#[get("/agency/workers/{id}/edit")]
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Agency,
    id: web::Path<WorkerId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let worker = workers::find(&state, &user, &id).await?;
    let reference = Reference::read(&state).await?;
    Ok(form_page(&page, &reference, &WorkerForm::of(&worker), Some(worker.id), None, StatusCode::OK))
}

/// Saves the edit through the same service as the API's PATCH (licence, identity frozen by an
/// accepted contract, and the rest checked again); a refusal is explained on the form.
#[post("/agency/workers/{id}/edit")]
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<WorkerForm>,
    user: Result<Agency, PageError>,
    id: web::Path<WorkerId>,
) -> PageResult {
    let user = user?;
    let page = Page::new(&req, &state, Some(&user));
    let reference = Reference::read(&state).await?;
    let id = id.into_inner();
    let done = match form.to_input(&reference) {
        Ok(input) => workers::update(&state, &user, &id, input.into()).await.map(drop),
        Err(field) => Err(crate::services::accounts::invalid(field, "does not parse")),
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/workers/{id}"))),
        Err(err) if err.code.status().is_client_error() && err.code != ErrorCode::NotFound => {
            let refusal = explain(&err, page.lang);
            Ok(form_page(&page, &reference, &form, Some(id), Some(refusal), err.code.status()))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "worker_import.html")]
struct ImportTemplate<'a> {
    page: &'a Page,
    created: Option<usize>,
    refusal: Option<String>,
    /// (row, field, code) of every faulty row.
    errors: Vec<(u64, String, String)>,
}

#[get("/agency/workers/import")]
pub async fn import_form(req: HttpRequest, state: web::Data<AppState>, user: Agency) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    Ok(page.respond(
        StatusCode::OK,
        &ImportTemplate { page: &page, created: None, refusal: None, errors: vec![] },
    ))
}

#[derive(MultipartForm)]
pub struct WorkersUpload {
    csrf_token: Text<String>,
    file: UploadedFile,
}

impl Upload for WorkersUpload {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Imports a CSV file: every row or none, with every faulty row reported.
#[post("/agency/workers/import")]
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Agency,
    body: web::Payload,
) -> PageResult {
    let form: WorkersUpload = read_upload(&req, body).await?;
    let page = Page::new(&req, &state, Some(&user));
    let result = workers::import(&state, &user, form.file.data.to_vec()).await;
    let template = match result {
        Ok(created) => ImportTemplate { page: &page, created: Some(created), refusal: None, errors: vec![] },
        Err(err) if err.code.status().is_client_error() => {
            let errors = err
                .extra
                .get("errors")
                .and_then(|e| e.as_array())
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            let text = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
                            (r["row"].as_u64().unwrap_or(0), text("field"), text("code"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let refusal = if err.code == ErrorCode::ValidationFailed {
                page.lang.t("import-refused")
            } else {
                explain(&err, page.lang)
            };
            ImportTemplate { page: &page, created: None, refusal: Some(refusal), errors }
        }
        Err(err) => return Err(err.into()),
    };
    let status =
        if template.created.is_some() { StatusCode::CREATED } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(page.respond(status, &template))
}

#[derive(Template)]
#[template(path = "worker_record.html")]
struct RecordTemplate<'a> {
    page: &'a Page,
    card: WorkerCard,
}

/// The worker's own record (Vietnamese unless it chose another language).
#[get("/worker")]
pub async fn own_record(req: HttpRequest, state: web::Data<AppState>, user: SignedInWorker) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let worker = workers::me(&state, &user).await?;
    let reference = Reference::read(&state).await?;
    let card = WorkerCard::new(worker, &reference, page.lang);
    Ok(page.respond(StatusCode::OK, &RecordTemplate { page: &page, card }))
}

/// One line of an access log as a page shows it: when, which agency, who.
pub struct LogLine {
    pub agency_id: AgencyId,
    pub user_id: UserId,
    pub agency_name: String,
    /// The first read of that day, in the reader's clock.
    pub when: String,
    /// Who read: the account's e-mail for a regulator; for the worker, a short reference to
    /// the account (the e-mail is the agency's staff's own, and the reference is enough to
    /// tell two readers apart or to name one to a regulator).
    pub reader: String,
}

impl LogLine {
    fn new(entry: AccessEntry, lang: Lang) -> LogLine {
        let reader = match &entry.user_email {
            Some(email) => email.clone(),
            None => {
                let id = entry.user_id.as_str();
                let short = id.get(id.len().saturating_sub(8)..).unwrap_or(id);
                lang.t1("access-log-reader", "account", short)
            }
        };
        LogLine {
            when: lang.datetime(entry.at),
            agency_id: entry.agency_id,
            user_id: entry.user_id,
            agency_name: entry.agency_name,
            reader,
        }
    }
}

#[derive(Template)]
#[template(path = "worker_access_log.html")]
struct AccessLogTemplate<'a> {
    page: &'a Page,
    log: Vec<LogLine>,
}

/// Who read the worker's record, newest first (Vietnamese unless it chose another language).
#[get("/worker/access-log")]
pub async fn own_access_log(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedInWorker,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let entries = access_log::own_access_log(&state, &user).await?;
    let log = entries.into_iter().map(|e| LogLine::new(e, page.lang)).collect();
    Ok(page.respond(StatusCode::OK, &AccessLogTemplate { page: &page, log }))
}

#[derive(Template)]
#[template(path = "worker_detail.html")]
struct DetailTemplate<'a> {
    page: &'a Page,
    card: WorkerCard,
    /// Regulators read who read the record.
    show_log: bool,
    log: Vec<LogLine>,
}

/// One worker of the registry: for its agency (the read is logged, and its licence decides
/// what it reads) and for regulators, who also see who read the record; anyone else: 404.
#[get("/workers/{id}")]
pub async fn detail(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    id: web::Path<WorkerId>,
) -> PageResult {
    let page = Page::new(&req, &state, Some(&user));
    let worker = workers::find(&state, &user, &id).await?;
    let show_log = user.role == Role::Regulator;
    let log = if show_log {
        access_log::access_log(&state, &user, &id)
            .await?
            .into_iter()
            .map(|e| LogLine::new(e, page.lang))
            .collect()
    } else {
        Vec::new()
    };
    let reference = Reference::read(&state).await?;
    let card = WorkerCard::new(worker, &reference, page.lang);
    Ok(page.respond(StatusCode::OK, &DetailTemplate { page: &page, card, show_log, log }))
}
