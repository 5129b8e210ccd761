//! seasonlink: licensed, fair cross-border seasonal work.
//!
//! [`app`] holds the one route table; [`start`] binds it to a listener. `main` only parses
//! the command line (see [`cli`]).

pub mod actor;
pub mod allow;
pub mod api;
pub mod auth;
pub mod cli;
pub mod codes;
pub mod config;
pub mod contract_html;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod jobs;
pub mod pages;
pub mod services;
pub mod state;
pub mod telemetry;

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, guard, web};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{AppError, ErrorCode, payload_error};
use crate::state::AppState;

/// Registers every route and the extractor settings on one app.
pub fn app(cfg: &mut web::ServiceConfig, state: &AppState) {
    let json_limit = state.settings.server.json_limit_bytes;
    cfg.app_data(web::Data::new(state.clone()))
        .app_data(
            web::JsonConfig::default().limit(json_limit).error_handler(|err, _| payload_error(&err).into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            AppError::new(ErrorCode::MalformedBody).with_detail(err.to_string()).into()
        }))
        .app_data(web::PathConfig::default().error_handler(|_, _| AppError::not_found().into()))
        .app_data(
            actix_multipart::form::MultipartFormConfig::default()
                .total_limit(state.settings.server.csv_limit_bytes)
                .memory_limit(state.settings.server.csv_limit_bytes),
        )
        .configure(api::routes)
        .service(
            web::resource("/api/docs").guard(guard::Get()).to(|| async { pages::see_other("/api/docs/") }),
        )
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api::ApiDoc::openapi()))
        .configure(pages::routes)
        .default_service(web::to(fallback));
}

/// Unknown paths answer 404, and a known path asked with a method it does not take 405 with
/// `Allow` listing the ones it does: problem+json under /api/, an HTML page elsewhere.
async fn fallback(req: HttpRequest) -> HttpResponse {
    let path = req.path();
    let allowed = if req.resource_map().has_resource(path) { allow::allowed(path) } else { Vec::new() };
    let allow = allowed.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ");
    let error = if allowed.is_empty() {
        AppError::not_found()
    } else {
        AppError::new(ErrorCode::MethodNotAllowed).with_detail(format!("{path} takes {allow}"))
    };
    let mut response = if path.starts_with("/api/") {
        HttpResponse::from_error(error)
    } else {
        HttpResponse::from_error(pages::PageError(error))
    };
    if let Ok(value) = HeaderValue::from_str(&allow)
        && !allowed.is_empty()
    {
        response.headers_mut().insert(ALLOW, value);
    }
    response
}

/// HEAD is answered as GET is, for monitors and link checkers: the request is routed as a
/// GET, and the HTTP/1 codec, which saw the HEAD, sends the status and headers (the same
/// Content-Length and type) without the body. Inside the request log, so that logs say HEAD.
pub async fn head_as_get(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

/// The Prometheus middleware over the process's registry; it also answers GET /metrics.
pub fn metrics(registry: &prometheus::Registry) -> Result<PrometheusMetrics, anyhow::Error> {
    PrometheusMetricsBuilder::new("seasonlink")
        .registry(registry.clone())
        .endpoint("/metrics")
        .build()
        .map_err(|e| anyhow::anyhow!("metrics: {e}"))
}

/// What every answer carries, page or API: scripts from this server only (htmx and the
/// charts are served from /static), no framing, no content-type guessing, no referrer sent
/// elsewhere; behind TLS (`server.secure_cookies`), HSTS. Styles may be inline (a bar's width,
/// the API reference's own).
pub fn security_headers(behind_tls: bool) -> actix_web::middleware::DefaultHeaders {
    const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                       img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; \
                       frame-ancestors 'none'";
    let headers = actix_web::middleware::DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"));
    if behind_tls { headers.add(("Strict-Transport-Security", "max-age=31536000")) } else { headers }
}

/// Starts the server on `listener`; the returned future runs it until stopped.
pub fn start(state: AppState, listener: TcpListener) -> Result<Server, anyhow::Error> {
    services::audit::install_key(&state.settings.audit)?;
    let metrics = metrics(&state.metrics.registry)?;
    let workers = state.settings.server.workers;
    let behind_tls = state.settings.server.secure_cookies;
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(security_headers(behind_tls))
            .wrap(actix_web::middleware::from_fn(pages::localise_errors))
            .wrap(metrics.clone())
            .wrap(actix_web::middleware::from_fn(head_as_get))
            .wrap(TracingLogger::default())
            .configure(|cfg| app(cfg, &state))
    })
    .listen(listener)?;
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}
