//! The SMS worker: sends what the SMS outbox holds through a provider, with retries and
//! back-off, like the mail worker. Every server instance may run one; the outbox's leases
//! keep each message to one sender at a time.
//!
//! Providers: `http`, a generic HTTP call that fits the SMS gateways Palestinian operators
//! and resellers offer (URL, method, a JSON or form body with `{to}`, `{text}` and
//! `{sender}` in it, an authorisation header), and `log`, which writes each message to the
//! server's log (development, demonstrations). `docs/sms.md` shows configurations.
use crate::mailer::Pass;
use app::db::{now, Backend, Pool};
use app::notify::store::{self as outbox, QueuedSms, SmsKind};
use futures_util::StreamExt;
use std::time::Duration;

/// How the worker behaves; the defaults suit production, tests shorten the waits.
#[derive(Clone, Debug)]
pub struct TexterSettings {
    pub poll: Duration,
    pub lease_secs: i64,
    pub retry_base_secs: i64,
    pub retry_max_secs: i64,
    pub batch: i64,
    pub concurrency: usize,
    /// A notification not sent within this long is given up (it would arrive out of date).
    pub notification_max_age_secs: i64,
}

impl Default for TexterSettings {
    fn default() -> Self {
        TexterSettings {
            poll: Duration::from_secs(5),
            lease_secs: 60,
            retry_base_secs: 15,
            retry_max_secs: 1800,
            batch: 20,
            concurrency: 4,
            notification_max_age_secs: 2 * 24 * 3600,
        }
    }
}

/// How the body of an HTTP provider's request is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BodyFormat {
    /// `application/json`: placeholders are filled as JSON string contents.
    Json,
    /// `application/x-www-form-urlencoded`: placeholders are filled percent-encoded.
    Form,
}

/// A generic HTTP gateway.
#[derive(Clone, Debug)]
pub struct HttpGateway {
    /// May hold placeholders too (filled percent-encoded), for gateways taking a GET.
    pub url: String,
    pub method: http::Method,
    /// No body when `None` (a GET gateway).
    pub body: Option<String>,
    pub format: BodyFormat,
    /// `Name: value`, e.g. `Authorization: Bearer …`.
    pub auth_header: Option<String>,
    pub sender: String,
}

#[derive(Clone, Debug)]
pub enum Provider {
    Log,
    Http(HttpGateway),
}

#[derive(Clone)]
pub struct Texter {
    provider: Provider,
    client: reqwest::Client,
    auth: Option<(http::HeaderName, http::HeaderValue)>,
    settings: TexterSettings,
}

enum Failure {
    Transient(String),
    Permanent(String),
}

/// `template` with `{to}`, `{text}` and `{sender}` replaced by `encode` of their values.
/// One pass, so text that itself contains `{to}` stays as it was written.
pub fn fill(template: &str, to: &str, text: &str, sender: &str, encode: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + text.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let (value, len) = if after.starts_with("{to}") {
            (Some(to), 4)
        } else if after.starts_with("{text}") {
            (Some(text), 6)
        } else if after.starts_with("{sender}") {
            (Some(sender), 8)
        } else {
            (None, 1)
        };
        match value {
            Some(v) => out.push_str(&encode(v)),
            None => out.push('{'),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// `+970599123456` → `+970…456`.
fn masked(number: &str) -> String {
    let digits = number.chars().count();
    let tail: String = number.chars().skip(digits.saturating_sub(3)).collect();
    format!("{}…{tail}", number.chars().take(4).collect::<String>())
}

fn json_contents(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

fn percent(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl Texter {
    pub fn new(provider: Provider, settings: TexterSettings) -> Result<Texter, String> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .map_err(|e| format!("HTTP client for SMS not built: {e}"))?;
        let auth = match &provider {
            Provider::Http(HttpGateway {
                auth_header: Some(header),
                ..
            }) => {
                let (name, value) = header
                    .split_once(':')
                    .ok_or("the SMS authorisation header must read `Name: value`")?;
                let name = http::HeaderName::from_bytes(name.trim().as_bytes())
                    .map_err(|e| format!("SMS authorisation header name: {e}"))?;
                let mut value = http::HeaderValue::from_str(value.trim())
                    .map_err(|e| format!("SMS authorisation header value: {e}"))?;
                value.set_sensitive(true);
                Some((name, value))
            }
            _ => None,
        };
        if let Provider::Http(gateway) = &provider {
            reqwest::Url::parse(&fill(&gateway.url, "", "", "", |v| v.to_string()))
                .map_err(|e| format!("SMS gateway URL not understood: {e}"))?;
        }
        Ok(Texter {
            provider,
            client,
            auth,
            settings,
        })
    }

    /// Claims due messages and tries each once.
    pub async fn pass(&self, pool: &Pool, backend: Backend) -> Result<Pass, sqlx::Error> {
        let at = now();
        let claimed = outbox::claim_sms(pool, backend, at, self.settings.lease_secs, self.settings.batch).await?;
        let mut pass = Pass::default();
        let mut attempts = futures_util::stream::iter(claimed)
            .map(|message| async move {
                let result = match self.too_old(&message, now()) {
                    Some(reason) => Err(Failure::Permanent(reason.to_string())),
                    None => self.send(&message).await,
                };
                (message, result)
            })
            .buffer_unordered(self.settings.concurrency.max(1));
        while let Some((message, result)) = attempts.next().await {
            match result {
                Ok(()) => {
                    outbox::sms_sent(pool, message.id, now()).await?;
                    pass.sent += 1;
                }
                Err(Failure::Permanent(error)) => {
                    tracing::warn!(id = message.id, %error, "SMS given up");
                    outbox::sms_give_up(pool, message.id, &error, now()).await?;
                    pass.failed += 1;
                }
                Err(Failure::Transient(error)) => {
                    let wait = domain::mail::backoff(
                        message.attempts,
                        self.settings.retry_base_secs,
                        self.settings.retry_max_secs,
                    );
                    tracing::info!(id = message.id, %error, wait, "SMS not sent, will retry");
                    outbox::sms_retry_later(pool, message.id, &error, now() + wait).await?;
                    pass.retrying += 1;
                }
            }
        }
        Ok(pass)
    }

    /// A code is useless once expired, and a notification days late misleads: neither is
    /// sent then.
    fn too_old(&self, message: &QueuedSms, at: i64) -> Option<&'static str> {
        let age = at - message.created_at;
        match SmsKind::from_key(&message.kind) {
            Some(SmsKind::Notification) if age > self.settings.notification_max_age_secs => {
                Some("not sent in time: out of date")
            }
            Some(SmsKind::ResetCode | SmsKind::VerifyCode) if age > domain::sms::CODE_VALID_SECS => {
                Some("not sent in time: the code expired")
            }
            _ => None,
        }
    }

    async fn send(&self, message: &QueuedSms) -> Result<(), Failure> {
        let gateway = match &self.provider {
            Provider::Log => {
                // The log holds no mobile numbers: the last three digits tell messages apart.
                tracing::info!(to = %masked(&message.to_number), text = %message.body, "SMS (log provider)");
                return Ok(());
            }
            Provider::Http(gateway) => gateway,
        };
        let to = &message.to_number;
        let url = fill(&gateway.url, to, &message.body, &gateway.sender, percent);
        let mut request = self.client.request(gateway.method.clone(), url);
        if let Some(template) = &gateway.body {
            let (body, content_type) = match gateway.format {
                BodyFormat::Json => (
                    fill(template, to, &message.body, &gateway.sender, json_contents),
                    "application/json",
                ),
                BodyFormat::Form => (
                    fill(template, to, &message.body, &gateway.sender, percent),
                    "application/x-www-form-urlencoded",
                ),
            };
            request = request.header(http::header::CONTENT_TYPE, content_type).body(body);
        }
        if let Some((name, value)) = &self.auth {
            request = request.header(name.clone(), value.clone());
        }
        let response = request
            .send()
            .await
            // Without the URL: a GET gateway's URL carries the number and the text.
            .map_err(|e| Failure::Transient(format!("gateway not reached: {}", e.without_url())))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // The status only: a gateway's answer may repeat the number or the text, and both
        // the log and `last_error` must hold neither.
        let error = format!("gateway answered {status}");
        let worth_retrying = status.is_server_error()
            || status == reqwest::StatusCode::TOO_MANY_REQUESTS
            || status == reqwest::StatusCode::REQUEST_TIMEOUT;
        Err(if worth_retrying {
            Failure::Transient(error)
        } else {
            Failure::Permanent(error)
        })
    }

    /// Runs passes until `stop` is cancelled, as the mail worker does.
    pub async fn run(self, pool: Pool, backend: Backend, stop: tokio_util::sync::CancellationToken) {
        while !stop.is_cancelled() {
            let busy = match self.pass(&pool, backend).await {
                Ok(pass) => pass.sent > 0,
                Err(error) => {
                    tracing::warn!(%error, "reading the SMS outbox failed");
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
        tracing::debug!("SMS worker stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_once_and_encoded() {
        let json = fill(
            r#"{"to":"{to}","message":"{text}","from":"{sender}","keep":"{other}"}"#,
            "+970599123456",
            "قال \"نعم\" {to}\n",
            "Riyada",
            json_contents,
        );
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(parsed["to"], "+970599123456");
        assert_eq!(parsed["message"], "قال \"نعم\" {to}\n");
        assert_eq!(parsed["from"], "Riyada");
        assert_eq!(parsed["keep"], "{other}");
        let form = fill("to={to}&text={text}", "+970599123456", "a&b=c ب", "x", percent);
        assert_eq!(form, "to=%2B970599123456&text=a%26b%3Dc+%D8%A8");
    }

    #[test]
    fn the_log_shows_no_whole_number() {
        assert_eq!(masked("+970599123456"), "+970…456");
    }
}
