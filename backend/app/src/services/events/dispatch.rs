//! The dispatcher: takes due deliveries and notices from the outbox and sends them. A claim
//! holds a row for a lease, so several server instances share the work without sending a
//! row twice at once; a row whose sender died is taken again when the lease ends. Delivery is
//! therefore at least once, and receivers drop duplicates by event id.
//!
//! Every attempt of a round runs at once and is cut off at the request timeout, so a round
//! ends well inside its lease. A failed attempt is tried again with backoff until the retry
//! period (from the row's `retry_since`) is over; then a delivery is dead and a notice failed.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::response::Category;
use lettre::{Message, Transport};
use rand::Rng;
use serde_json::json;

use super::Event;
use super::partners::parse_target;
use crate::codes::{CODE_PLACEHOLDER, one_time_code};
use crate::config::{MailTransport, Settings, SmtpSecurity};
use crate::db::events::{self as store, DeliveryRow, EventRow, NoticeRow, Outcome, PartnerRow};
use crate::db::{self, DbConnection};
use crate::domain::event::{is_public, retry_delay, signature};
use crate::error::AppError;
use crate::state::AppState;

/// How long one attempt may take in all, DNS and SMTP included.
fn attempt_limit(settings: &Settings) -> Duration {
    Duration::from_millis(settings.events.request_timeout_ms) + Duration::from_secs(2)
}

/// How long a claim holds a row: a round's attempts run at once, each within the limit.
fn lease(settings: &Settings) -> chrono::Duration {
    chrono::Duration::from_std(attempt_limit(settings) * 2).unwrap_or_else(|_| chrono::Duration::minutes(1))
        + chrono::Duration::seconds(30)
}

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    pub sent: usize,
    pub retried: usize,
    pub dead: usize,
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

/// What the outbox sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Delivery,
    Notice,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Delivery => "delivery",
            Kind::Notice => "notice",
        }
    }
}

/// What an attempt makes of its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Done,
    Retry,
    GiveUp,
}

/// The verdict on an attempt made `now` of a row retried since `retry_since`, and the outcome
/// to store: a transient failure is tried again, backing off, up to the end of the retry
/// period (the last try falls on it); a permanent one, or one at the end, gives up.
fn judge(
    result: Attempt,
    attempts_before: i32,
    retry_since: DateTime<Utc>,
    retry_for: chrono::Duration,
    now: DateTime<Utc>,
) -> (Verdict, Outcome) {
    let done = Some(now.naive_utc());
    match result {
        Ok(http_status) => {
            let outcome = Outcome {
                status: "",
                http_status,
                error: None,
                next_attempt_at: now.naive_utc(),
                finished_at: done,
            };
            (Verdict::Done, outcome)
        }
        Err(Failure { transient, http_status, error }) => {
            let deadline = retry_since + retry_for;
            if transient && now < deadline {
                let attempt = u32::try_from(attempts_before).unwrap_or(0).saturating_add(1);
                let next = (now + retry_delay(attempt, rand::thread_rng().r#gen::<f64>())).min(deadline);
                let outcome = Outcome {
                    status: "pending",
                    http_status,
                    error: Some(error),
                    next_attempt_at: next.naive_utc(),
                    finished_at: None,
                };
                (Verdict::Retry, outcome)
            } else {
                let outcome = Outcome {
                    status: "",
                    http_status,
                    error: Some(error),
                    next_attempt_at: now.naive_utc(),
                    finished_at: done,
                };
                (Verdict::GiveUp, outcome)
            }
        }
    }
}

/// Resolves partner hosts to their public addresses only, so that the address checked is
/// the address connected to: a name that answers a private address at delivery time (DNS
/// rebinding) reaches nothing.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = actix_web::rt::task::spawn_blocking(move || {
                (host.as_str(), 0).to_socket_addrs().map(|addresses| addresses.collect::<Vec<SocketAddr>>())
            })
            .await??;
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err("the host has no public address".into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}

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

    /// Sends. Only the server's refusal of the mailbox (5.x.x about the mail system: an
    /// unknown or refused address) is final; a refused login or a server that is down is
    /// the deployment's fault, tried again.
    fn send(&self, message: &Message) -> Attempt {
        match self {
            Mailer::Log => Ok(None),
            Mailer::File(transport) => transport.send(message).map(|_| None).map_err(Failure::transient),
            Mailer::Smtp(transport) => transport.send(message).map(|_| None).map_err(|e| {
                let refused =
                    e.is_permanent() && e.status().is_some_and(|code| code.category == Category::MailSystem);
                if refused { Failure::permanent(e) } else { Failure::transient(e) }
            }),
        }
    }
}

/// Sends what the outbox holds. One per serving process; `run_once` is a round.
pub struct Dispatcher {
    state: AppState,
    /// For partners: redirects off, and, unless private targets are allowed, public
    /// addresses only.
    partners: reqwest::Client,
    /// For the SMS gateway, which the deployment configures and trusts.
    gateway: reqwest::Client,
    mailer: Arc<Mailer>,
}

impl Dispatcher {
    pub fn new(state: AppState) -> Result<Dispatcher, anyhow::Error> {
        let timeout = Duration::from_millis(state.settings.events.request_timeout_ms);
        let client = || {
            reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("seasonlink/", env!("CARGO_PKG_VERSION")))
        };
        let mut partners = client();
        if !state.settings.events.allow_private_targets {
            partners = partners.dns_resolver(Arc::new(PublicOnly));
        }
        let mailer = Arc::new(Mailer::new(&state.settings)?);
        Ok(Dispatcher { partners: partners.build()?, gateway: client().build()?, mailer, state })
    }

    /// One round: every due delivery and notice this instance can claim, tried once.
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
        let until = now + lease(&self.state.settings);
        (uuid::Uuid::new_v4().to_string(), now, until, self.state.settings.events.batch.max(1))
    }

    /// Runs `attempt`, cut off at the attempt limit.
    async fn bounded(&self, attempt: impl std::future::Future<Output = Attempt>) -> Attempt {
        actix_web::rt::time::timeout(attempt_limit(&self.state.settings), attempt)
            .await
            .unwrap_or_else(|_| Err(Failure::transient("timed out")))
    }

    fn retry_for(&self) -> chrono::Duration {
        chrono::Duration::hours(self.state.settings.events.retry_for_hours)
    }

    async fn deliver(&self, round: &mut Round) -> Result<(), AppError> {
        let (claim, now, until, batch) = self.claim_window();
        let token = claim.clone();
        let claimed = db::transaction(&self.state.pool, move |conn| {
            Ok(store::claim_deliveries(conn, &token, now.naive_utc(), until.naive_utc(), batch)?)
        })
        .await?;
        let attempts = claimed
            .iter()
            .map(|(delivery, event, partner)| self.bounded(self.post_event(delivery, event, partner)));
        let results = futures::future::join_all(attempts).await;
        let now = self.state.clock.now();
        let finished = claimed
            .into_iter()
            .zip(results)
            .map(|((delivery, _, _), result)| {
                let judged =
                    judge(result, delivery.attempts, delivery.retry_since.and_utc(), self.retry_for(), now);
                (delivery.id, self.settle(Kind::Delivery, judged, round))
            })
            .collect();
        self.finish(Kind::Delivery, claim, finished).await
    }

    /// POSTs one event to a partner, signed.
    async fn post_event(&self, delivery: &DeliveryRow, event: &EventRow, partner: &PartnerRow) -> Attempt {
        let url = parse_target(&partner.url, self.state.settings.events.allow_private_targets)
            .map_err(Failure::transient)?;
        let body =
            serde_json::to_vec(&Event::view(event, partner.permit_authority)).map_err(Failure::permanent)?;
        let headers =
            [("Seasonlink-Event-Id", event.id.as_str()), ("Seasonlink-Delivery-Id", delivery.id.as_str())];
        self.post_signed(&self.partners, url, partner.secret.as_bytes(), body, &headers).await
    }

    /// POSTs `body` to `url` with a `Seasonlink-Signature` over it; reads at most the
    /// configured bytes of the answer. 2xx is success; a redirect is not followed.
    async fn post_signed(
        &self,
        client: &reqwest::Client,
        url: reqwest::Url,
        secret: &[u8],
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Attempt {
        let unix = self.state.clock.now().timestamp();
        let mut request = client
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
        while read < self.state.settings.events.max_response_bytes {
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
        let attempts = claimed.iter().map(|notice| {
            self.bounded(async move {
                match notice.channel.as_str() {
                    "sms" => self.text(notice).await,
                    _ => self.mail(notice).await,
                }
            })
        });
        let results = futures::future::join_all(attempts).await;
        let now = self.state.clock.now();
        let finished = claimed
            .into_iter()
            .zip(results)
            .map(|(notice, result)| {
                let judged =
                    judge(result, notice.attempts, notice.created_at.and_utc(), self.retry_for(), now);
                (notice.id, self.settle(Kind::Notice, judged, round))
            })
            .collect();
        self.finish(Kind::Notice, claim, finished).await
    }

    /// Counts an attempt's verdict in the round and the metrics, and gives a settled row its
    /// final status.
    fn settle(&self, kind: Kind, (verdict, mut outcome): (Verdict, Outcome), round: &mut Round) -> Outcome {
        let (counter, label) = match (kind, verdict) {
            (Kind::Delivery, Verdict::Done) => (&mut round.delivered, "delivered"),
            (Kind::Delivery, Verdict::GiveUp) => (&mut round.dead, "dead"),
            (Kind::Notice, Verdict::Done) => (&mut round.sent, "sent"),
            (Kind::Notice, Verdict::GiveUp) => (&mut round.failed, "failed"),
            (_, Verdict::Retry) => (&mut round.retried, "retried"),
        };
        *counter += 1;
        if verdict != Verdict::Retry {
            outcome.status = label;
        }
        self.state.metrics.outbox_attempts.with_label_values(&[kind.name(), label]).inc();
        outcome
    }

    /// Records a round's attempts in one transaction, on the rows this dispatcher still holds.
    async fn finish(
        &self,
        kind: Kind,
        claim: String,
        finished: Vec<(String, Outcome)>,
    ) -> Result<(), AppError> {
        let lost = db::transaction(&self.state.pool, move |conn| {
            let mut lost = Vec::new();
            for (id, outcome) in finished {
                let kept = match kind {
                    Kind::Delivery => store::finish_delivery(conn, &id, &claim, &outcome)?,
                    Kind::Notice => store::finish_notice(conn, &id, &claim, &outcome)?,
                };
                if kept == 0 {
                    lost.push(id);
                }
            }
            Ok(lost)
        })
        .await?;
        for id in lost {
            tracing::warn!(kind = kind.name(), %id, "a claim ran out before its attempt was recorded");
        }
        Ok(())
    }

    /// The notice's text with its link made whole, and the one-time code it carries put in.
    fn full_text(&self, notice: &NoticeRow) -> String {
        let body = match &notice.code_id {
            Some(code_id) => {
                notice.body.replace(CODE_PLACEHOLDER, &one_time_code(self.state.keys.secret(), code_id))
            }
            None => notice.body.clone(),
        };
        match &notice.link {
            Some(link) => {
                format!("{body}\n\n{}{link}\n", self.state.settings.mail.site_url.trim_end_matches('/'))
            }
            None => format!("{body}\n"),
        }
    }

    async fn mail(&self, notice: &NoticeRow) -> Attempt {
        let from: Mailbox = self.state.settings.mail.from.parse().map_err(Failure::transient)?;
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
        let url = reqwest::Url::parse(url).map_err(|_| Failure::permanent("sms.url is not a URL"))?;
        let body = json!({
            "notice_id": notice.id,
            "to": notice.recipient,
            "language": notice.language,
            "text": format!("{}: {}", notice.subject, self.full_text(notice).trim_end()),
        });
        let body = serde_json::to_vec(&body).map_err(Failure::permanent)?;
        let headers = [("Seasonlink-Notice-Id", notice.id.as_str())];
        self.post_signed(&self.gateway, url, secret.as_bytes(), body, &headers).await
    }
}

/// An HTTP error without its URL (which could carry something private in its query).
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
struct Backlog {
    pending_deliveries: i64,
    pending_notices: i64,
    oldest_pending_seconds: i64,
}

async fn backlog(state: &AppState) -> Result<Backlog, AppError> {
    let now = state.clock.now();
    db::run(&state.pool, move |conn| backlog_in(conn, now)).await
}

fn backlog_in(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Backlog, AppError> {
    let (pending_deliveries, pending_notices, oldest) = store::backlog(conn)?;
    let oldest_pending_seconds = oldest.map_or(0, |at| (now.naive_utc() - at).num_seconds().max(0));
    Ok(Backlog { pending_deliveries, pending_notices, oldest_pending_seconds })
}

/// Deletes what is settled and older than the retention period — delivered and dead
/// deliveries, sent and failed notices (and the e-mail files the file transport wrote), then
/// events nothing pending refers to — in batches, each its own transaction. Returns the
/// number of events deleted.
pub async fn prune(state: &AppState) -> Result<usize, AppError> {
    const BATCH: i64 = 1000;
    let before = state.clock.now() - chrono::Duration::days(state.settings.events.retention_days);
    // An event leaves the feed only after it was in it.
    super::place_committed(&state.pool).await?;
    let mut pruned = 0;
    loop {
        let deleted =
            db::transaction(&state.pool, move |conn| Ok(store::prune(conn, before.naive_utc(), BATCH)?))
                .await?;
        pruned += deleted;
        if deleted < BATCH as usize {
            break;
        }
    }
    if state.settings.mail.transport == MailTransport::File {
        let dir = std::path::PathBuf::from(&state.settings.mail.dir);
        let cutoff = std::time::SystemTime::from(before);
        actix_web::web::block(move || prune_mail_files(&dir, cutoff)).await.map_err(AppError::internal)?;
    }
    Ok(pruned)
}

/// Removes the `.eml` files written before `cutoff`.
fn prune_mail_files(dir: &std::path::Path, cutoff: std::time::SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|at| at < cutoff);
        if old && path.extension().is_some_and(|ext| ext == "eml") {
            let _ = std::fs::remove_file(path);
        }
    }
}
