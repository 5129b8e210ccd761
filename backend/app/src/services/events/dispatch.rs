//! The dispatcher: takes due deliveries and notices from the outbox and sends them. A claim
//! holds a row for a lease, so several server instances share the work without sending a
//! row twice at once; a row whose sender died is taken again when the lease ends. Delivery is
//! therefore at least once, and receivers drop duplicates by event id.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Message, Transport};
use rand::Rng;
use serde_json::json;

use super::Event;
use super::partners::check_target;
use crate::config::{MailTransport, Settings, SmtpSecurity};
use crate::db::events::{self as store, DeliveryRow, EventRow, NoticeRow, Outcome, PartnerRow};
use crate::db::{self, DbConnection};
use crate::domain::event::{retry_delay, signature};
use crate::error::AppError;
use crate::state::AppState;

/// How long a claim holds a row: longer than any one attempt takes.
fn lease(settings: &Settings) -> chrono::Duration {
    chrono::Duration::milliseconds(settings.events.request_timeout_ms as i64 * 3 + 30_000)
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    pub retried: usize,
    pub dead: usize,
    pub sent: usize,
    pub failed: usize,
}

impl Round {
    pub fn is_idle(&self) -> bool {
        *self == Round::default()
    }
}

/// Why an attempt failed, and whether trying again could help.
struct Failure {
    transient: bool,
    http_status: Option<i32>,
    error: String,
}

impl Failure {
    fn transient(error: impl ToString) -> Failure {
        Failure { transient: true, http_status: None, error: error.to_string() }
    }

    fn permanent(error: impl ToString) -> Failure {
        Failure { transient: false, http_status: None, error: error.to_string() }
    }
}

/// One attempt: the receiver's HTTP status, if it was an HTTP call, or why it failed.
type Attempt = Result<Option<i32>, Failure>;

/// How a notice leaves by e-mail.
enum Mailer {
    File(lettre::FileTransport),
    Smtp(Box<lettre::SmtpTransport>),
    Log,
}

impl Mailer {
    fn new(settings: &Settings) -> Result<Mailer, anyhow::Error> {
        let mail = &settings.mail;
        Ok(match mail.transport {
            MailTransport::Log => Mailer::Log,
            MailTransport::File => {
                std::fs::create_dir_all(&mail.dir)?;
                Mailer::File(lettre::FileTransport::new(&mail.dir))
            }
            MailTransport::Smtp => {
                let host = mail.smtp_host.as_str();
                let mut builder = match mail.smtp_security {
                    SmtpSecurity::None => lettre::SmtpTransport::builder_dangerous(host),
                    SmtpSecurity::Starttls => lettre::SmtpTransport::starttls_relay(host)?,
                    SmtpSecurity::Tls => lettre::SmtpTransport::relay(host)?,
                };
                builder = builder
                    .port(mail.smtp_port)
                    .timeout(Some(Duration::from_millis(settings.events.request_timeout_ms)));
                if let (Some(user), Some(password)) = (&mail.smtp_username, &mail.smtp_password) {
                    builder = builder.credentials((user.clone(), password.clone()).into());
                }
                Mailer::Smtp(Box::new(builder.build()))
            }
        })
    }

    fn send(&self, message: &Message) -> Attempt {
        match self {
            Mailer::Log => Ok(None),
            Mailer::File(transport) => transport.send(message).map(|_| None).map_err(Failure::transient),
            Mailer::Smtp(transport) => transport
                .send(message)
                .map(|_| None)
                .map_err(|e| if e.is_permanent() { Failure::permanent(e) } else { Failure::transient(e) }),
        }
    }
}

/// Sends what the outbox holds. One per serving process; `run_once` is a round.
pub struct Dispatcher {
    state: AppState,
    http: reqwest::Client,
    mailer: std::sync::Arc<Mailer>,
}

impl Dispatcher {
    pub fn new(state: AppState) -> Result<Dispatcher, anyhow::Error> {
        let timeout = Duration::from_millis(state.settings.events.request_timeout_ms);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("seasonlink/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let mailer = std::sync::Arc::new(Mailer::new(&state.settings)?);
        Ok(Dispatcher { state, http, mailer })
    }

    /// One round: every due delivery and notice this instance can claim, sent once.
    pub async fn run_once(&self) -> Result<Round, AppError> {
        let mut round = Round::default();
        self.deliver(&mut round).await?;
        self.notify(&mut round).await?;
        let figures = backlog(&self.state).await?;
        let metrics = &self.state.metrics;
        metrics.outbox_pending.with_label_values(&["delivery"]).set(figures.pending_deliveries);
        metrics.outbox_pending.with_label_values(&["notice"]).set(figures.pending_notices);
        metrics.outbox_oldest_pending_seconds.set(figures.oldest_pending_seconds);
        Ok(round)
    }

    fn claim_window(&self) -> (String, DateTime<Utc>, DateTime<Utc>, i64) {
        let now = self.state.clock.now();
        (
            uuid::Uuid::new_v4().to_string(),
            now,
            now + lease(&self.state.settings),
            self.state.settings.events.batch.max(1),
        )
    }

    async fn deliver(&self, round: &mut Round) -> Result<(), AppError> {
        let (claim, now, until, batch) = self.claim_window();
        let token = claim.clone();
        let claimed = db::transaction(&self.state.pool, move |conn| {
            Ok(store::claim_deliveries(conn, &token, now.naive_utc(), until.naive_utc(), batch)?)
        })
        .await?;
        let attempts =
            claimed.iter().map(|(delivery, event, partner)| self.post_event(delivery, event, partner));
        let results = futures::future::join_all(attempts).await;
        for ((delivery, _, _), result) in claimed.into_iter().zip(results) {
            let now = self.state.clock.now();
            let (outcome, counted) =
                self.outcome(&delivery.created_at.and_utc(), delivery.attempts, result, now);
            self.state.metrics.outbox_attempts.with_label_values(&["delivery", counted]).inc();
            match counted {
                "delivered" => round.delivered += 1,
                "dead" => round.dead += 1,
                _ => round.retried += 1,
            }
            let (id, claim) = (delivery.id.clone(), claim.clone());
            db::run(&self.state.pool, move |conn| Ok(store::finish_delivery(conn, &id, &claim, &outcome)?))
                .await?;
        }
        Ok(())
    }

    /// What one attempt's result makes of a delivery or notice first queued at `created_at`.
    fn outcome(
        &self,
        created_at: &DateTime<Utc>,
        attempts_before: i32,
        result: Attempt,
        now: DateTime<Utc>,
    ) -> (Outcome<'static>, &'static str) {
        let retry_for = chrono::Duration::hours(self.state.settings.events.retry_for_hours);
        match result {
            Ok(http_status) => (
                Outcome {
                    status: "delivered",
                    http_status,
                    error: None,
                    next_attempt_at: now.naive_utc(),
                    finished_at: Some(now.naive_utc()),
                },
                "delivered",
            ),
            Err(Failure { transient, http_status, error }) => {
                let attempt = u32::try_from(attempts_before).unwrap_or(0).saturating_add(1);
                let next = now + retry_delay(attempt, rand::thread_rng().r#gen::<f64>());
                if transient && next < *created_at + retry_for {
                    let outcome = Outcome {
                        status: "pending",
                        http_status,
                        error: Some(error),
                        next_attempt_at: next.naive_utc(),
                        finished_at: None,
                    };
                    (outcome, "retried")
                } else {
                    let outcome = Outcome {
                        status: "dead",
                        http_status,
                        error: Some(error),
                        next_attempt_at: now.naive_utc(),
                        finished_at: Some(now.naive_utc()),
                    };
                    (outcome, "dead")
                }
            }
        }
    }

    /// POSTs one event to a partner, signed.
    async fn post_event(&self, delivery: &DeliveryRow, event: &EventRow, partner: &PartnerRow) -> Attempt {
        let body =
            serde_json::to_vec(&Event::view(event, partner.permit_authority)).map_err(Failure::permanent)?;
        let headers =
            [("Seasonlink-Event-Id", event.id.as_str()), ("Seasonlink-Delivery-Id", delivery.id.as_str())];
        self.post_signed(&partner.url, partner.secret.as_bytes(), body, &headers).await
    }

    /// POSTs `body` to `url` with a `Seasonlink-Signature` over it; reads at most the
    /// configured bytes of the answer. 2xx is success.
    async fn post_signed(
        &self,
        url: &str,
        secret: &[u8],
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Attempt {
        let settings = &self.state.settings.events;
        let (target, allow_private) = (url.to_owned(), settings.allow_private_targets);
        let url = actix_web::web::block(move || check_target(&target, allow_private))
            .await
            .map_err(Failure::transient)?
            .map_err(Failure::transient)?;
        let unix = self.state.clock.now().timestamp();
        let mut request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Seasonlink-Signature", signature(secret, unix, &body));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.body(body).send().await.map_err(|e| Failure::transient(describe(&e)))?;
        let status = i32::from(response.status().as_u16());
        // Read a bounded part of the answer, so the connection can be reused, and no more.
        let mut read = 0usize;
        while read < settings.max_response_bytes {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                _ => break,
            }
        }
        if response.status().is_success() {
            Ok(Some(status))
        } else {
            Err(Failure { transient: true, http_status: Some(status), error: format!("answered {status}") })
        }
    }

    async fn notify(&self, round: &mut Round) -> Result<(), AppError> {
        let (claim, now, until, batch) = self.claim_window();
        let token = claim.clone();
        let claimed = db::transaction(&self.state.pool, move |conn| {
            Ok(store::claim_notices(conn, &token, now.naive_utc(), until.naive_utc(), batch)?)
        })
        .await?;
        for notice in claimed {
            let result = match notice.channel.as_str() {
                "sms" => self.text(&notice).await,
                _ => self.mail(&notice).await,
            };
            let now = self.state.clock.now();
            let (mut outcome, counted) =
                self.outcome(&notice.created_at.and_utc(), notice.attempts, result, now);
            let counted = match counted {
                "delivered" => {
                    outcome.status = "sent";
                    round.sent += 1;
                    "sent"
                }
                "dead" => {
                    outcome.status = "failed";
                    round.failed += 1;
                    "failed"
                }
                other => {
                    round.retried += 1;
                    other
                }
            };
            self.state.metrics.outbox_attempts.with_label_values(&["notice", counted]).inc();
            let (id, claim) = (notice.id.clone(), claim.clone());
            db::run(&self.state.pool, move |conn| Ok(store::finish_notice(conn, &id, &claim, &outcome)?))
                .await?;
        }
        Ok(())
    }

    /// The notice's text with its link made whole.
    fn full_text(&self, notice: &NoticeRow) -> String {
        match &notice.link {
            Some(link) => format!(
                "{}\n\n{}{link}\n",
                notice.body,
                self.state.settings.mail.site_url.trim_end_matches('/')
            ),
            None => format!("{}\n", notice.body),
        }
    }

    async fn mail(&self, notice: &NoticeRow) -> Attempt {
        let from: Mailbox = self.state.settings.mail.from.parse().map_err(Failure::permanent)?;
        let to: Mailbox = notice
            .recipient
            .parse()
            .map_err(|e: lettre::address::AddressError| Failure::permanent(format!("recipient: {e}")))?;
        let text = self.full_text(notice);
        let html = format!(
            "<!doctype html><html lang=\"{}\"><body>{}</body></html>",
            notice.language,
            text.split("\n\n").map(|p| format!("<p>{}</p>", escape_html(p.trim()))).collect::<String>()
        );
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(notice.subject.clone())
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                notice.language.clone(),
            ))
            .message_id(Some(format!("<{}@seasonlink>", notice.id)))
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(Failure::permanent)?;
        let mailer = self.mailer.clone();
        actix_web::web::block(move || mailer.send(&message)).await.map_err(Failure::transient)?
    }

    async fn text(&self, notice: &NoticeRow) -> Attempt {
        let sms = &self.state.settings.sms;
        let (Some(url), Some(secret)) = (&sms.url, &sms.secret) else {
            return Err(Failure::permanent("no SMS gateway configured (sms.url, sms.secret)"));
        };
        let body = json!({
            "notice_id": notice.id,
            "to": notice.recipient,
            "language": notice.language,
            "text": format!("{}: {}", notice.subject, self.full_text(notice).trim_end()),
        });
        let body = serde_json::to_vec(&body).map_err(Failure::permanent)?;
        self.post_signed(url, secret.as_bytes(), body, &[("Seasonlink-Notice-Id", notice.id.as_str())]).await
    }
}

/// An HTTP error without the URL's query (which could carry something private).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    match std::error::Error::source(error) {
        Some(source) => format!("{kind}: {source}"),
        None => kind.to_owned(),
    }
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "<br>")
}

/// The outbox's backlog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backlog {
    pub pending_deliveries: i64,
    pub pending_notices: i64,
    pub oldest_pending_seconds: i64,
}

pub async fn backlog(state: &AppState) -> Result<Backlog, AppError> {
    let now = state.clock.now();
    db::run(&state.pool, move |conn| backlog_in(conn, now)).await
}

fn backlog_in(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Backlog, AppError> {
    let (pending_deliveries, pending_notices, oldest) = store::backlog(conn)?;
    let oldest_pending_seconds = oldest.map_or(0, |at| (now.naive_utc() - at).num_seconds().max(0));
    Ok(Backlog { pending_deliveries, pending_notices, oldest_pending_seconds })
}

/// Deletes settled events, deliveries and notices older than the retention period; returns
/// the number of events deleted.
pub async fn prune(state: &AppState) -> Result<usize, AppError> {
    let before = state.clock.now() - chrono::Duration::days(state.settings.events.retention_days);
    db::transaction(&state.pool, move |conn| Ok(store::prune(conn, before.naive_utc())?)).await
}
