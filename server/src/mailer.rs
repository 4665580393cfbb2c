//! The mail worker: sends what the outbox holds through SMTP (lettre), with retries and
//! back-off. Every server instance may run one; the outbox's leases keep each message to
//! one sender at a time. An unreachable SMTP server delays e-mail and blocks nothing else.
use app::db::{now, Backend, Pool};
use app::notify::store::{self as outbox, Queued};
use futures_util::StreamExt;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How the worker behaves; the defaults suit production, tests shorten the waits.
#[derive(Clone, Debug)]
pub struct MailerSettings {
    /// Wait between looks at an empty outbox.
    pub poll: Duration,
    /// How long a claimed message stays with one worker before another may take it.
    pub lease_secs: i64,
    /// First wait after a failure; it doubles with each further failure…
    pub retry_base_secs: i64,
    /// …up to this.
    pub retry_max_secs: i64,
    /// Messages claimed at a time.
    pub batch: i64,
    /// Messages sent at the same time (over pooled SMTP connections).
    pub concurrency: usize,
}

impl Default for MailerSettings {
    fn default() -> Self {
        MailerSettings {
            poll: Duration::from_secs(5),
            lease_secs: 120,
            retry_base_secs: 30,
            retry_max_secs: 3600,
            batch: 20,
            concurrency: 4,
        }
    }
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    settings: MailerSettings,
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:port`, `smtp://host?tls=required`
    /// (STARTTLS), `smtps://user:password@host`.
    pub fn new(smtp_url: &str, from: &str, settings: MailerSettings) -> Result<Mailer, String> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP URL not understood: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("sender address {from:?} not understood: {e}"))?;
        Ok(Mailer {
            transport,
            from,
            settings,
        })
    }

    /// Claims due messages and tries each once.
    pub async fn pass(&self, pool: &Pool, backend: Backend) -> Result<Pass, sqlx::Error> {
        let at = now();
        let claimed = outbox::claim(pool, backend, at, self.settings.lease_secs, self.settings.batch).await?;
        let mut pass = Pass::default();
        let mut attempts = futures_util::stream::iter(claimed)
            .map(|message| async move {
                let result = self.send(&message).await;
                (message, result)
            })
            .buffer_unordered(self.settings.concurrency.max(1));
        while let Some((message, result)) = attempts.next().await {
            match result {
                Ok(()) => {
                    outbox::mark_sent(pool, message.id, now()).await?;
                    pass.sent += 1;
                }
                Err(Failure::Permanent(error)) => {
                    tracing::warn!(id = message.id, %error, "e-mail refused for good");
                    outbox::give_up(pool, message.id, &error, now()).await?;
                    pass.failed += 1;
                }
                Err(Failure::Transient(error)) => {
                    let wait = domain::mail::backoff(
                        message.attempts,
                        self.settings.retry_base_secs,
                        self.settings.retry_max_secs,
                    );
                    tracing::info!(id = message.id, %error, wait, "e-mail not sent, will retry");
                    outbox::retry_later(pool, message.id, &error, now() + wait).await?;
                    pass.retrying += 1;
                }
            }
        }
        Ok(pass)
    }

    async fn send(&self, queued: &Queued) -> Result<(), Failure> {
        let to: Mailbox = queued
            .to_address
            .parse()
            .map_err(|e| Failure::Permanent(format!("recipient not understood: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(queued.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(queued.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(queued.html.clone()),
                    ),
            )
            .map_err(|e| Failure::Permanent(format!("message not built: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_permanent() => Err(Failure::Permanent(error.to_string())),
            Err(error) => Err(Failure::Transient(error.to_string())),
        }
    }

    /// Runs passes until `stop` is cancelled: straight on while there is work, otherwise
    /// every `poll`. A pass under way is finished (its messages marked sent or to retry), so
    /// stopping never sends a message twice.
    pub async fn run(self, pool: Pool, backend: Backend, stop: tokio_util::sync::CancellationToken) {
        while !stop.is_cancelled() {
            let busy = match self.pass(&pool, backend).await {
                Ok(pass) => pass.sent > 0,
                Err(error) => {
                    tracing::warn!(%error, "reading the e-mail outbox failed");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    () = tokio::time::sleep(self.settings.poll) => {}
                    () = stop.cancelled() => {}
                }
            }
        }
        tracing::debug!("mail worker stopped");
    }
}

enum Failure {
    /// Worth trying again later: the server is down, busy or greylisting.
    Transient(String),
    /// Never going to work: a bad address, a mailbox that does not exist.
    Permanent(String),
}
