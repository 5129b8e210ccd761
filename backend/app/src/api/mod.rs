//! The JSON API under /api/v1, one module per resource, described by [`ApiDoc`].

pub mod accounts;
pub mod health;

use actix_web::web;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// The problem+json body every error answers with (RFC 9457).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[schema(example = "/api/problems/invalid_credentials")]
    pub r#type: String,
    pub title: String,
    pub status: u16,
    /// The stable error code.
    #[schema(example = "invalid_credentials")]
    pub code: String,
    pub detail: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "seasonlink API", description = "Licensed cross-border seasonal work: vacancies, wage floors, agencies, workers, placements."),
    paths(
        accounts::login,
        accounts::logout,
        accounts::me,
        accounts::create_regulator,
        health::healthz,
        health::readyz,
    ),
    components(schemas(Problem)),
    modifiers(&BearerAuth),
    tags((name = "accounts"), (name = "operations")),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

/// The /api/v1 routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(accounts::login)
        .service(accounts::logout)
        .service(accounts::me)
        .service(accounts::create_regulator);
}
