//! Typed settings: the compiled-in config/default.toml, overlaid by
//! `$SEASONLINK_CONFIG_DIR/$SEASONLINK_ENV.toml` and then by `SEASONLINK__SECTION__KEY`
//! environment variables. Loaded once in `main` and injected; nothing reads it globally.

use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../../config/default.toml");

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub server: ServerSettings,
    pub auth: AuthSettings,
    pub log: LogSettings,
    pub rules: RulesSettings,
    pub matching: crate::domain::scoring::Weights,
    pub placements: PlacementSettings,
    pub events: EventSettings,
    pub statistics: StatisticsSettings,
    pub mail: MailSettings,
    #[serde(default)]
    pub sms: SmsSettings,
    pub accounts: AccountSettings,
    pub limits: LimitSettings,
    pub audit: AuditSettings,
    /// Loaded with `SEASONLINK_ENV=production`: [`Settings::unsafe_for_production`] must be
    /// empty, and the demo refuses to run.
    #[serde(skip)]
    pub production: bool,
}

/// The shortest signing key production accepts: 256 bits, as HS256 wants.
pub const MIN_SECRET_BYTES: usize = 32;

/// One-time codes: how long they live and how often they may be tried.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct AccountSettings {
    pub activation_code_ttl_hours: i64,
    pub reset_code_ttl_minutes: i64,
    pub code_max_attempts: i32,
}

/// Rate limits: at most `max` hits per window, per key (an address, a client, an agency).
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct LimitSettings {
    /// Tries of a one-time code (activation, reset) per address an hour…
    pub code_tries_per_address_hourly: i32,
    /// …and per client (IP address) an hour.
    pub code_tries_per_client_hourly: i32,
    /// Codes sent to one address an hour (activation and reset requests).
    pub codes_sent_per_address_hourly: i32,
    /// Password resets asked for by one client an hour.
    pub resets_per_client_hourly: i32,
    /// Worker registrations and imports one agency sends an hour.
    pub worker_writes_per_agency_hourly: i32,
    /// "Already registered" answers one agency gets a day: what probing document numbers costs.
    pub registry_conflicts_per_agency_daily: i32,
    /// Logins one client (IP address) tries an hour, right or wrong.
    pub login_tries_per_client_hourly: i32,
    /// Failed logins to one account from one client in a quarter of an hour, before that
    /// client is refused for the rest of it…
    pub login_failures_per_account_and_client: i32,
    /// …and to one account from any address in an hour.
    pub login_failures_per_account_hourly: i32,
    /// Complaints filed from one client an hour (anyone may file, without an account).
    pub complaints_per_client_hourly: i32,
    /// Reports against unlicensed brokers filed from one client an hour (anyone may report,
    /// without an account).
    pub broker_reports_per_client_hourly: i32,
    /// Employers registered from one client an hour.
    pub employer_signups_per_client_hourly: i32,
}

/// The outbox's dispatcher: partner deliveries and notices.
#[derive(Clone, Debug, Deserialize)]
pub struct EventSettings {
    pub dispatch_interval_ms: u64,
    pub batch: i64,
    pub retry_for_hours: i64,
    pub request_timeout_ms: u64,
    pub max_response_bytes: usize,
    /// Whether partner endpoints may be loopback or private addresses.
    pub allow_private_targets: bool,
    pub retention_days: i64,
    pub prune_interval_seconds: u64,
}

/// How notices by e-mail leave.
#[derive(Clone, Debug, Deserialize)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub dir: String,
    pub from: String,
    pub site_url: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
    Log,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

/// The text-message gateway; notices to workers without e-mail need it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SmsSettings {
    pub url: Option<String>,
    pub secret: Option<String>,
}

/// The scheme's rules that come from config (`[rules]`).
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct RulesSettings {
    pub deductions_cap_percent: i64,
    pub pay_grace_days: i64,
    /// Days an opened vacancy is shown to local job-seekers only, before agencies may offer
    /// its seats abroad (the labour-market test).
    pub local_window_days: i64,
}

impl RulesSettings {
    /// The rules a payslip is checked under.
    pub fn pay(self) -> crate::domain::payslip::PayRules {
        crate::domain::payslip::PayRules {
            deductions_cap_percent: self.deductions_cap_percent,
            pay_grace_days: self.pay_grace_days,
        }
    }
}

/// The rules of placements that come from config.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct PlacementSettings {
    /// Days after the season's end that a permit stays valid: the time to come home.
    pub permit_grace_days: i64,
    /// How often the overstay sweeper runs.
    pub sweep_interval_seconds: u64,
}

/// The statistics' monthly releases.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct StatisticsSettings {
    /// How often a serving process makes the releases that are due.
    pub release_interval_seconds: u64,
}

/// The audit chain's key and the heads exported outside the database.
#[derive(Clone, Debug, Deserialize)]
pub struct AuditSettings {
    /// The HMAC key of every chain entry (`SEASONLINK__AUDIT__KEY`); it lives outside the
    /// database, so one who can write the tables cannot recompute the chain. Absent outside
    /// production, a published development key is used.
    pub key: Option<String>,
    /// Where each exported head (a signed file) is written: storage the database's
    /// administrators cannot rewrite.
    pub head_dir: std::path::PathBuf,
    /// How often a serving process exports the head.
    pub head_interval_seconds: u64,
    /// How often a serving process seals the entries written since (chains them) and places
    /// the events committed since in the partners' feed. Readers of either seal first, so
    /// this bounds how long an entry stays outside the chain, not what a reader sees.
    pub seal_interval_ms: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connection_timeout_ms: u64,
    pub lock_timeout_ms: u64,
    pub statement_timeout_ms: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ServerSettings {
    pub bind: String,
    pub json_limit_bytes: usize,
    /// The largest CSV body accepted (worker imports), in bytes.
    pub csv_limit_bytes: usize,
    pub secure_cookies: bool,
    /// Worker threads; the number of cores when absent.
    pub workers: Option<usize>,
    /// The reverse proxies in front, by address: behind one of them, the limits counted per
    /// client count the address it forwards (`X-Forwarded-For`), not its own.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a public licence check's answer is kept and given again, in milliseconds
    /// (0: never kept): a licence decision shows in the check within this time.
    pub public_answer_ms: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuthSettings {
    /// HMAC key for login tokens and CSRF tokens. When absent outside production a random
    /// key is made at start-up, so tokens do not survive a restart.
    pub jwt_secret: Option<String>,
    pub token_ttl_minutes: i64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LogSettings {
    pub format: LogFormat,
    pub filter: String,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Settings {
    /// Loads the settings for the environment named by `SEASONLINK_ENV` (default "development").
    pub fn load() -> Result<Self, config::ConfigError> {
        let env = std::env::var("SEASONLINK_ENV").unwrap_or_else(|_| "development".into());
        let dir = std::env::var("SEASONLINK_CONFIG_DIR").unwrap_or_else(|_| "config".into());
        Self::load_from(&format!("{dir}/{env}.toml"))
    }

    /// Loads the defaults overlaid by one optional TOML file and the environment.
    pub fn load_from(overlay: &str) -> Result<Self, config::ConfigError> {
        let mut settings: Settings = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml))
            .add_source(config::File::with_name(overlay).required(false))
            .add_source(config::Environment::with_prefix("SEASONLINK").prefix_separator("__").separator("__"))
            .build()?
            .try_deserialize()?;
        settings.production = std::env::var("SEASONLINK_ENV").as_deref() == Ok("production");
        let problems = settings.unsafe_for_production();
        if settings.production && !problems.is_empty() {
            return Err(config::ConfigError::Message(format!(
                "unsafe for production: {}",
                problems.join("; ")
            )));
        }
        Ok(settings)
    }

    /// What would make a public server unsafe with these settings; empty when nothing.
    pub fn unsafe_for_production(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        match &self.auth.jwt_secret {
            None => problems.push("SEASONLINK__AUTH__JWT_SECRET is not set"),
            Some(secret) if secret.len() < MIN_SECRET_BYTES => {
                problems.push("SEASONLINK__AUTH__JWT_SECRET is shorter than 32 bytes")
            }
            Some(_) => {}
        }
        match &self.audit.key {
            None => problems.push("SEASONLINK__AUDIT__KEY is not set"),
            Some(key) if key.len() < MIN_SECRET_BYTES => {
                problems.push("SEASONLINK__AUDIT__KEY is shorter than 32 bytes")
            }
            Some(_) => {}
        }
        if !self.server.secure_cookies {
            problems.push("server.secure_cookies is false: sessions would travel without TLS")
        }
        problems
    }

    /// The settings used by tests: the defaults plus config/test.toml.
    pub fn for_tests() -> Result<Self, config::ConfigError> {
        let overlay = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/test.toml");
        Self::load_from(overlay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_wants_long_secrets_and_secure_cookies() {
        let mut settings = Settings::for_tests().unwrap();
        assert!(!settings.production, "tests are not production");
        settings.auth.jwt_secret = None;
        settings.audit.key = None;
        settings.server.secure_cookies = false;
        assert_eq!(settings.unsafe_for_production().len(), 3);
        settings.auth.jwt_secret = Some("k".repeat(MIN_SECRET_BYTES - 1));
        settings.audit.key = Some("a".repeat(MIN_SECRET_BYTES - 1));
        settings.server.secure_cookies = true;
        assert_eq!(
            settings.unsafe_for_production(),
            [
                "SEASONLINK__AUTH__JWT_SECRET is shorter than 32 bytes",
                "SEASONLINK__AUDIT__KEY is shorter than 32 bytes"
            ]
        );
        settings.auth.jwt_secret = Some("k".repeat(MIN_SECRET_BYTES));
        settings.audit.key = Some("a".repeat(MIN_SECRET_BYTES));
        assert!(settings.unsafe_for_production().is_empty());
    }
}
