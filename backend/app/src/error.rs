//! One error type for the whole server. Every refusal carries a stable [`ErrorCode`] and is
//! answered as RFC 9457 problem+json; unexpected causes are logged here and never sent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Map, Value};

/// Declares [`ErrorCode`] from one table: each code's variant, its stable string, its HTTP
/// status and its title (RFC 9457 `title`). A code cannot exist without all three.
macro_rules! error_codes {
    ($($variant:ident => $code:literal, $status:ident, $title:literal;)*) => {
        /// The stable codes that clients and partner systems rely on (docs/api.md).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }

            pub fn status(self) -> StatusCode {
                match self {
                    $(ErrorCode::$variant => StatusCode::$status,)*
                }
            }

            /// A short, fixed, human summary of the problem type (RFC 9457 `title`).
            pub fn title(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $title,)*
                }
            }
        }
    };
}

error_codes! {
    MalformedBody => "malformed_body", BAD_REQUEST, "The request body is malformed";
    UnsupportedMediaType => "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "The request body has the wrong content type";
    PayloadTooLarge => "payload_too_large", PAYLOAD_TOO_LARGE, "The request body is too large";
    NotAuthenticated => "not_authenticated", UNAUTHORIZED, "Log in first";
    InvalidCredentials => "invalid_credentials", UNAUTHORIZED, "Wrong e-mail or password";
    TokenExpired => "token_expired", UNAUTHORIZED, "The login has expired";
    TokenInvalid => "token_invalid", UNAUTHORIZED, "The login token is not valid";
    TokenRevoked => "token_revoked", UNAUTHORIZED, "The login has ended";
    Forbidden => "forbidden", FORBIDDEN, "Not allowed for this account";
    CsrfFailed => "csrf_failed", FORBIDDEN, "The form has expired; reload the page";
    NotFound => "not_found", NOT_FOUND, "Not found";
    MethodNotAllowed => "method_not_allowed", METHOD_NOT_ALLOWED, "This path does not take this method";
    Conflict => "conflict", CONFLICT, "The request conflicts with the current state";
    ValidationFailed => "validation_failed", UNPROCESSABLE_ENTITY, "A field is not valid";
    InvalidSeason => "invalid_season", UNPROCESSABLE_ENTITY, "The season dates are not valid";
    BelowWageFloor => "below_wage_floor", UNPROCESSABLE_ENTITY, "The pay is below the wage floor";
    DeductionsOverCap => "deductions_over_cap", UNPROCESSABLE_ENTITY, "The deductions exceed the cap";
    NoWageFloor => "no_wage_floor", UNPROCESSABLE_ENTITY, "No wage floor is known for this region and date";
    EmployerNotVerified => "employer_not_verified", FORBIDDEN, "The employer is not verified yet";
    LicenceInactive => "licence_inactive", FORBIDDEN, "The agency's licence is not active today";
    WorkerAlreadyRegistered => "worker_already_registered", CONFLICT, "A worker with this document number is already registered";
    WorkerAlreadyPlaced => "worker_already_placed", CONFLICT, "The worker already has an active placement";
    VacancyFull => "vacancy_full", CONFLICT, "Every seat of the vacancy is taken";
    LocalWindowOpen => "local_window_open", CONFLICT, "The vacancy is shown to local job-seekers first; agencies may offer its seats later";
    ContractNotAccepted => "contract_not_accepted", CONFLICT, "The worker has not accepted the current contract";
    ContractOutdated => "contract_outdated", CONFLICT, "The contract has a newer version; read it again";
    PermitInvalid => "permit_invalid", CONFLICT, "No valid permit for this placement";
    OrientationMissing => "orientation_missing", CONFLICT, "The worker has not attended the pre-departure orientation";
    InsuranceMissing => "insurance_missing", UNPROCESSABLE_ENTITY, "The contract's work-injury and return insurance is not stated, or not verified";
    TransitionNotAllowed => "transition_not_allowed", CONFLICT, "The placement's status does not allow this";
    FeeReportOpen => "fee_report_open", CONFLICT, "Your fee report against this agency is still open";
    PayslipOverlap => "payslip_overlap", CONFLICT, "A payslip for an overlapping period is already reported";
    InvalidLimit => "invalid_limit", UNPROCESSABLE_ENTITY, "The page size is not valid";
    InvalidCursor => "invalid_cursor", UNPROCESSABLE_ENTITY, "The page cursor is not valid";
    TargetNotAllowed => "target_not_allowed", UNPROCESSABLE_ENTITY, "The address is not allowed as a delivery target";
    InvalidCode => "invalid_code", UNAUTHORIZED, "The code is wrong, expired or already used";
    RateLimited => "rate_limited", TOO_MANY_REQUESTS, "Too many requests; wait and try again";
    AccountNotActivated => "account_not_activated", FORBIDDEN, "The worker has not activated its own account yet";
    IdentityFrozen => "identity_frozen", CONFLICT, "The worker's identity cannot change while it holds a placement or a permit";
    DatabaseUnavailable => "database_unavailable", SERVICE_UNAVAILABLE, "The database is unavailable; try again shortly";
    Internal => "internal", INTERNAL_SERVER_ERROR, "Internal error";
}

/// The extension member of a 429 that says how long to wait, in seconds; sent as the
/// `Retry-After` header too.
pub const RETRY_AFTER: &str = "retry_after_seconds";

/// A refusal or failure, answered as problem+json.
pub struct AppError {
    pub code: ErrorCode,
    pub detail: Option<String>,
    /// Extension members of the problem object (RFC 9457 §3.2).
    pub extra: Map<String, Value>,
    /// The internal cause: logged, never sent.
    cause: Option<anyhow::Error>,
}

impl AppError {
    pub fn new(code: ErrorCode) -> Self {
        AppError { code, detail: None, extra: Map::new(), cause: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        AppError { cause: Some(cause.into()), ..AppError::new(ErrorCode::Internal) }
    }

    /// The database could not do the work now (down, or busy past its timeouts): 503, to be
    /// tried again in a second.
    pub fn unavailable(cause: impl Into<anyhow::Error>) -> Self {
        AppError { cause: Some(cause.into()), ..AppError::new(ErrorCode::DatabaseUnavailable) }
            .with(RETRY_AFTER, 1)
    }

    pub fn not_found() -> Self {
        AppError::new(ErrorCode::NotFound)
    }

    pub fn forbidden() -> Self {
        AppError::new(ErrorCode::Forbidden)
    }

    /// The code and the detail, for a person at the command line (never for logs).
    pub fn describe(&self) -> String {
        match &self.detail {
            Some(detail) => format!("{}: {detail}", self.code.as_str()),
            None => self.code.as_str().to_owned(),
        }
    }

    /// The problem object as sent to the client.
    pub fn problem(&self) -> Value {
        let mut body = Map::new();
        body.insert("type".into(), format!("/api/problems/{}", self.code.as_str()).into());
        body.insert("title".into(), self.code.title().into());
        body.insert("status".into(), self.code.status().as_u16().into());
        body.insert("code".into(), self.code.as_str().into());
        if let Some(detail) = &self.detail {
            body.insert("detail".into(), detail.clone().into());
        }
        for (key, value) in &self.extra {
            body.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Value::Object(body)
    }
}

/// Debug shows the code and the internal cause only: the detail and extension members may
/// echo what the client sent (a name, a document number), and Debug output reaches logs.
impl std::fmt::Debug for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppError").field("code", &self.code.as_str()).field("cause", &self.cause).finish()
    }
}

/// Display is the stable code only, for the same reason as Debug.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code.as_str())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.cause {
            tracing::error!(code = self.code.as_str(), error = format!("{cause:#}"), "request failed");
        }
        let mut response = HttpResponse::build(self.code.status());
        if let Some(seconds) = self.extra.get(RETRY_AFTER).and_then(Value::as_i64) {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.max(1).to_string()));
        }
        response.content_type("application/problem+json").json(self.problem())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => AppError::not_found(),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AppError::new(ErrorCode::Conflict),
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _,
            ) => AppError::unavailable(err),
            Error::DatabaseError(_, ref info) if is_busy(info.message()) => AppError::unavailable(err),
            // PostgreSQL stores no NUL character in text; SQLite does. Either way the client
            // sent it: 400, not a failure of the server.
            Error::DatabaseError(_, ref info) if info.message().contains("0x00") => {
                AppError::new(ErrorCode::MalformedBody)
                    .with_detail("a text contains the NUL character (U+0000), which is not accepted")
            }
            other => AppError::internal(other),
        }
    }
}

/// Whether the database gave up waiting rather than failed: SQLite's write lock still held
/// after `busy_timeout`, or PostgreSQL's `lock_timeout` or `statement_timeout` reached. The
/// work was not done and may be tried again: 503 `database_unavailable` with `Retry-After`.
fn is_busy(message: &str) -> bool {
    const BUSY: [&str; 4] = [
        "database is locked",
        "database table is locked",
        "canceling statement due to lock timeout",
        "canceling statement due to statement timeout",
    ];
    BUSY.iter().any(|busy| message.contains(busy))
}

/// A page the client asked for badly: 422 `invalid_limit` or `invalid_cursor`, naming the
/// query parameter (`field`).
impl From<crate::domain::page::PageError> for AppError {
    fn from(err: crate::domain::page::PageError) -> Self {
        use crate::domain::page::{MAX_LIMIT, PageError};
        match err {
            PageError::Limit => AppError::new(ErrorCode::InvalidLimit)
                .with_detail(format!("limit is a whole number from 1 to {MAX_LIMIT}"))
                .with("field", "limit"),
            PageError::Cursor => AppError::new(ErrorCode::InvalidCursor)
                .with_detail("after is not a cursor of this list: use the Link of the previous page")
                .with("field", "after"),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(err: r2d2::Error) -> Self {
        AppError::unavailable(err)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        AppError::internal(anyhow::anyhow!("blocking task failed: {err}"))
    }
}

/// Maps the body extractors' failures (JSON, form, query, path) to problem codes.
pub fn payload_error(err: &actix_web::error::JsonPayloadError) -> AppError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::ContentType => {
            AppError::new(ErrorCode::UnsupportedMediaType).with_detail("send the body as application/json")
        }
        E::Overflow { .. } | E::OverflowKnownLength { .. } => AppError::new(ErrorCode::PayloadTooLarge),
        E::Deserialize(e) => AppError::new(ErrorCode::MalformedBody).with_detail(e.to_string()),
        other => AppError::new(ErrorCode::MalformedBody).with_detail(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are a published contract: this list changes only with API.md.
    #[test]
    fn codes_are_stable() {
        let published: Vec<(&str, u16)> =
            ErrorCode::ALL.iter().map(|c| (c.as_str(), c.status().as_u16())).collect();
        assert_eq!(
            published,
            vec![
                ("malformed_body", 400),
                ("unsupported_media_type", 415),
                ("payload_too_large", 413),
                ("not_authenticated", 401),
                ("invalid_credentials", 401),
                ("token_expired", 401),
                ("token_invalid", 401),
                ("token_revoked", 401),
                ("forbidden", 403),
                ("csrf_failed", 403),
                ("not_found", 404),
                ("method_not_allowed", 405),
                ("conflict", 409),
                ("validation_failed", 422),
                ("invalid_season", 422),
                ("below_wage_floor", 422),
                ("deductions_over_cap", 422),
                ("no_wage_floor", 422),
                ("employer_not_verified", 403),
                ("licence_inactive", 403),
                ("worker_already_registered", 409),
                ("worker_already_placed", 409),
                ("vacancy_full", 409),
                ("local_window_open", 409),
                ("contract_not_accepted", 409),
                ("contract_outdated", 409),
                ("permit_invalid", 409),
                ("orientation_missing", 409),
                ("insurance_missing", 422),
                ("transition_not_allowed", 409),
                ("fee_report_open", 409),
                ("payslip_overlap", 409),
                ("invalid_limit", 422),
                ("invalid_cursor", 422),
                ("target_not_allowed", 422),
                ("invalid_code", 401),
                ("rate_limited", 429),
                ("account_not_activated", 403),
                ("identity_frozen", 409),
                ("database_unavailable", 503),
                ("internal", 500),
            ]
        );
    }

    #[test]
    fn internal_cause_is_not_sent() {
        let err = AppError::internal(anyhow::anyhow!("secret connection string"));
        let body = err.problem().to_string();
        assert!(!body.contains("secret"), "{body}");
        assert_eq!(err.problem()["code"], "internal");
    }

    #[test]
    fn what_reaches_logs_carries_no_client_data() {
        let err = AppError::new(ErrorCode::MalformedBody)
            .with_detail("invalid type: integer `044092001234`, expected a string")
            .with("field", "id_document_number");
        for shown in [format!("{err}"), format!("{err:?}")] {
            assert!(!shown.contains("044092001234"), "{shown}");
        }
        assert!(err.describe().contains("044092001234"), "the person at the command line sees it all");
    }

    #[test]
    fn extension_members_do_not_override_standard_ones() {
        let err = AppError::new(ErrorCode::Conflict).with("status", 200).with("seat", 3);
        assert_eq!(err.problem()["status"], 409);
        assert_eq!(err.problem()["seat"], 3);
    }
}
