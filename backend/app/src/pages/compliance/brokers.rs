//! The public report against an unlicensed broker, in the reader's language and usable on a
//! phone, and where it stands by its reference. Nothing on it asks who the reporter is.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, post, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::looked_up;
use crate::api::client_address;
use crate::auth::PageUser;
use crate::domain::broker::BrokerConduct;
use crate::domain::calendar::china_day;
use crate::domain::money::{parse_dong, parse_yuan};
use crate::error::{AppError, ErrorCode};
use crate::i18n::Lang;
use crate::pages::forms::Boxes;
use crate::pages::{CheckedForm, Page, PageResult, refusal_text, refused_field, see_other};
use crate::services::accounts::invalid;
use crate::services::compliance::{self, BrokerReportInput, BrokerReportStatus};
use crate::services::reference::Reference;
use crate::state::AppState;

/// The report as typed, kept to show again when it is refused.
#[derive(Debug, Default, Deserialize)]
pub struct BrokerForm {
    #[serde(default)]
    broker_name: String,
    #[serde(default)]
    broker_phone: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    amount: String,
    /// VND or CNY: the currency the amount is typed in.
    #[serde(default)]
    currency: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact: String,
    /// The ticked `kind_<code>` boxes.
    #[serde(flatten)]
    boxes: Boxes,
}

impl BrokerForm {
    /// The report the service checks: the date, the amount (in yuan or in đồng, as typed) and
    /// the ticked kinds are read here, the rest by the service.
    fn input(&self, lang: Lang) -> Result<BrokerReportInput, AppError> {
        let occurred_on = match self.occurred_on.trim() {
            "" => None,
            day => Some(day.parse::<NaiveDate>().map_err(|_| invalid("occurred_on", "a date"))?),
        };
        let (amount_asked_fen, amount_asked_vnd) = match (self.amount.trim(), self.currency(lang)) {
            ("", _) => (None, None),
            (amount, "CNY") => (
                Some(parse_yuan(amount).ok_or_else(|| invalid("amount_asked_fen", "an amount in yuan"))?),
                None,
            ),
            (amount, _) => (
                None,
                Some(parse_dong(amount).ok_or_else(|| invalid("amount_asked_vnd", "an amount in đồng"))?),
            ),
        };
        let text = |value: &str| Some(value.to_owned()).filter(|v| !v.trim().is_empty());
        Ok(BrokerReportInput {
            kinds: self.kinds().iter().map(|k| k.as_str().to_owned()).collect(),
            broker_name: text(&self.broker_name),
            broker_phone: text(&self.broker_phone),
            place: text(&self.place),
            region_code: text(&self.region_code),
            occurred_on,
            amount_asked_fen,
            amount_asked_vnd,
            description: text(&self.description),
            language: Some(lang.tag().to_owned()),
            contact: text(&self.contact),
        })
    }

    fn kinds(&self) -> Vec<BrokerConduct> {
        BrokerConduct::ALL.iter().copied().filter(|k| self.boxes.ticked("kind_", k.as_str())).collect()
    }

    /// The currency chosen, or the reader's own: yuan for a Chinese reader, else đồng.
    fn currency(&self, lang: Lang) -> &'static str {
        match self.currency.as_str() {
            "CNY" => "CNY",
            "VND" => "VND",
            _ if lang == Lang::ZhCn => "CNY",
            _ => "VND",
        }
    }
}

#[derive(Template)]
#[template(path = "broker_report_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: BrokerForm,
    /// Each kind's code, words and whether it is ticked.
    kinds: Vec<(&'static str, String, bool)>,
    /// Viet Nam's provinces and China's prefectures and counties, by code and name.
    vn_regions: Vec<(String, String)>,
    cn_regions: Vec<(String, String)>,
    currency: &'static str,
    /// The latest day the date field offers: today in China.
    today: NaiveDate,
    error: Option<String>,
}

async fn form_page(
    state: &AppState,
    page: &Page,
    form: BrokerForm,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = page.lang;
    let reference = Reference::read(state).await?;
    let regions = |country: &str, levels: &[&str]| -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = reference
            .regions
            .iter()
            .filter(|r| r.country == country && levels.contains(&r.level.as_str()))
            .map(|r| (r.code.clone(), r.names.get(lang).to_owned()))
            .collect();
        list.sort_by(|a, b| a.1.cmp(&b.1));
        list
    };
    let ticked = form.kinds();
    let template = FormTemplate {
        page,
        kinds: BrokerConduct::ALL
            .iter()
            .map(|k| (k.as_str(), lang.t(&format!("broker-kind-{k}")), ticked.contains(k)))
            .collect(),
        vn_regions: regions("VN", &["province"]),
        cn_regions: regions("CN", &["province", "prefecture", "county"]),
        currency: form.currency(lang),
        today: state.clock.today(),
        form,
        error,
    };
    Ok(page.respond(status, &template))
}

/// The report form: anyone, no login, in the reader's language.
#[get("/broker-reports/new")]
pub async fn broker_form(req: HttpRequest, state: web::Data<AppState>, user: Option<PageUser>) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    form_page(&state, &page, BrokerForm::default(), None, StatusCode::OK).await
}

/// Files the report and shows its reference; a refused one comes back as typed, saying why.
#[post("/broker-reports")]
pub async fn report_broker(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<BrokerForm>,
    user: Option<PageUser>,
) -> PageResult {
    let page = Page::new(&req, &state, user.as_deref());
    let lang = page.lang;
    let result = match form.input(lang) {
        Ok(input) => {
            let actor = user.as_deref().map(|u| &u.actor);
            compliance::report_broker(&state, client_address(&req), actor, input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(receipt) => Ok(see_other(&format!("/broker-reports/{}?new=1", receipt.reference))),
        Err(err) if err.code.status().is_client_error() => {
            // A report with nothing to act on is told what is needed, in words.
            let message = match refused_field(&err, "form") {
                "broker" => lang.t("broker-needed"),
                _ => refusal_text(&err, lang),
            };
            form_page(&state, &page, form, Some(message), err.code.status()).await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "broker_report_status.html")]
struct StatusTemplate<'a> {
    page: &'a Page,
    reference: String,
    found: Option<BrokerReportStatus>,
    status: String,
    kinds: Vec<String>,
    /// The days it was filed and resolved, in China (where the days of the scheme are kept).
    filed_on: String,
    resolved_on: Option<String>,
    new: bool,
}

#[derive(Deserialize)]
pub struct StatusQuery {
    new: Option<String>,
    reference: Option<String>,
}

async fn status_page(
    req: &HttpRequest,
    state: &AppState,
    user: Option<PageUser>,
    reference: String,
    new: bool,
) -> PageResult {
    let page = Page::new(req, state, user.as_deref());
    let found = match compliance::broker_report_status(state, &reference).await {
        Ok(found) => Some(found),
        Err(err) if err.code == ErrorCode::NotFound => None,
        Err(err) => return Err(err.into()),
    };
    let lang = page.lang;
    let template = StatusTemplate {
        page: &page,
        status: found.as_ref().map(|f| lang.t(&format!("case-status-{}", f.status))).unwrap_or_default(),
        kinds: found
            .as_ref()
            .map(|f| f.kinds.iter().map(|k| lang.t(&format!("broker-kind-{k}"))).collect())
            .unwrap_or_default(),
        filed_on: found.as_ref().map(|f| lang.date(china_day(f.filed_at))).unwrap_or_default(),
        resolved_on: found.as_ref().and_then(|f| f.resolved_at).map(|at| lang.date(china_day(at))),
        reference,
        found,
        new,
    };
    let status = if template.found.is_some() { StatusCode::OK } else { StatusCode::NOT_FOUND };
    Ok(page.respond(status, &template))
}

/// Where a report stands, by its reference, without logging in.
#[get("/broker-reports/{reference}")]
pub async fn broker_report_status(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    reference: web::Path<String>,
    query: web::Query<StatusQuery>,
) -> PageResult {
    status_page(&req, &state, user, reference.into_inner(), query.new.is_some()).await
}

/// The look-up form: a reference typed in goes to its status page.
#[get("/broker-reports")]
pub async fn broker_report_lookup(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: Option<PageUser>,
    query: web::Query<StatusQuery>,
) -> PageResult {
    match looked_up("/broker-reports", query.reference.as_deref()) {
        Some(target) => Ok(see_other(&target)),
        None => status_page(&req, &state, user, String::new(), false).await,
    }
}
