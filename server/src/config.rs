//! Command line and environment configuration (flags win over environment variables).
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(name = "riyada", version, about = "Riyada — One-Stop Shop portal")]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Where the embedded database and other data live.
    #[arg(long, env = "RIYADA_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// sqlite:… or postgres://… (default: SQLite file in the data directory).
    #[arg(long, env = "RIYADA_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Log filter, e.g. info, debug, riyada=debug.
    #[arg(long, env = "RIYADA_LOG", default_value = "info", global = true)]
    pub log: String,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the portal (the default).
    // Boxed: the serve flags are many, the other commands few.
    Serve(Box<ServeArgs>),
    /// Apply database migrations and seed reference data, then exit.
    Migrate,
    /// Create a staff account; the password is read from standard input.
    CreateUser(CreateUserArgs),
    /// Fill the database with synthetic demo data (people, plans, events, documents'
    /// metadata, service requests) and demo staff, whose passwords are printed once.
    SeedDemo(SeedDemoArgs),
    /// Read a riyada.plan.v1 document on standard input, write riyada.financials.v1 on
    /// standard output (exit 2 with one line per problem on invalid input).
    Calc,
    /// Back up the embedded SQLite database and the documents into a new directory, while
    /// the portal runs (a consistent snapshot, with a manifest of SHA-256 sums).
    Backup(BackupArgs),
    /// Restore a backup into the data directory (with the portal stopped); refuses a data
    /// directory that already holds a portal unless --force.
    Restore(RestoreArgs),
}

#[derive(Args, Debug, Clone)]
pub struct BackupArgs {
    /// A new or empty directory for the backup.
    pub dir: PathBuf,
    /// Where the documents are (the same storage flags as `serve`).
    #[command(flatten)]
    pub documents: DocumentArgs,
}

#[derive(Args, Debug, Clone)]
pub struct RestoreArgs {
    /// A directory made by `riyada backup`.
    pub dir: PathBuf,
    /// Replace the database and documents already in the data directory.
    #[arg(long, default_value_t = false)]
    pub force: bool,
    #[command(flatten)]
    pub documents: DocumentArgs,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:3000, or LEPTOS_SITE_ADDR under cargo-leptos).
    #[arg(long, env = "RIYADA_SITE_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Directory with the built site (WASM, CSS, fonts).
    #[arg(long, env = "RIYADA_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// Mark cookies Secure (use when served over HTTPS).
    #[arg(long, env = "RIYADA_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Largest request body in bytes.
    #[arg(long, env = "RIYADA_BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,
    /// New accounts one client address may open in an hour.
    #[arg(long, env = "RIYADA_REGISTRATIONS_PER_ADDRESS_HOURLY", default_value_t = 30)]
    pub registrations_per_address_hourly: i64,
    /// Reverse proxies in front of the portal, as networks or addresses separated by commas
    /// (`10.0.0.0/8,192.168.1.4`): only their `Forwarded` / `X-Forwarded-For` name the
    /// client, whose address sign-in and registration limits count by. Empty: none.
    #[arg(long, env = "RIYADA_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Minutes without activity after which a session ends.
    #[arg(long, env = "RIYADA_IDLE_TIMEOUT_MINUTES", default_value_t = 480)]
    pub idle_timeout_minutes: i64,
    /// Compress pages with brotli too (fewer bytes, about twice the CPU of gzip per page);
    /// static files are precompressed with brotli either way.
    #[arg(long, env = "RIYADA_BROTLI_PAGES", default_value_t = false)]
    pub brotli_pages: bool,
    /// On SIGTERM or Ctrl-C: seconds the requests under way may take to finish before the
    /// server stops anyway.
    #[arg(long, env = "RIYADA_SHUTDOWN_GRACE_SECS", default_value_t = 20)]
    pub shutdown_grace_secs: u64,
    /// Seconds between the sweeps of expired sessions, abandoned uploads and deleted files,
    /// instead of their own periods (an hour, an hour, five minutes): for tests.
    #[arg(long, env = "RIYADA_SWEEP_PERIOD_SECS", hide = true)]
    pub sweep_period_secs: Option<u64>,
    #[command(flatten)]
    pub documents: DocumentArgs,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub sms: SmsArgs,
}

/// E-mail through an SMTP server; without `--smtp-url` the portal sends none.
#[derive(Args, Debug, Clone)]
pub struct MailArgs {
    /// e.g. smtp://relay.example:587?tls=required, smtps://user:pass@host or smtp://127.0.0.1:25.
    #[arg(long, env = "RIYADA_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender, e.g. "Riyada <no-reply@riyada.ps>".
    #[arg(long, env = "RIYADA_MAIL_FROM", default_value = "Riyada <no-reply@localhost>")]
    pub mail_from: String,
    /// The portal's public address, for links in e-mail and SMS (default: http:// and the listen address).
    #[arg(long, env = "RIYADA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seconds between looks at the outbox when it is empty.
    #[arg(long, env = "RIYADA_MAIL_POLL_SECS", default_value_t = 5)]
    pub mail_poll_secs: u64,
    /// Longest wait between two attempts at one message while the SMTP server is unreachable.
    #[arg(long, env = "RIYADA_MAIL_RETRY_MAX_SECS", default_value_t = 3600)]
    pub mail_retry_max_secs: i64,
}

impl Default for MailArgs {
    fn default() -> Self {
        MailArgs {
            smtp_url: None,
            mail_from: "Riyada <no-reply@localhost>".into(),
            public_url: None,
            mail_poll_secs: 5,
            mail_retry_max_secs: 3600,
        }
    }
}

/// Which SMS provider the portal sends text messages through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SmsProviderKind {
    /// No text messages (reset by SMS code is not offered).
    None,
    /// Write each message to the server's log instead of sending it (development).
    Log,
    /// A generic HTTP gateway (`--sms-url`, `--sms-body`, …).
    Http,
}

/// Text messages through an SMS gateway; without `--sms-provider` the portal sends none.
#[derive(Args, Debug, Clone)]
pub struct SmsArgs {
    #[arg(long, env = "RIYADA_SMS_PROVIDER", value_enum, default_value = "none")]
    pub sms_provider: SmsProviderKind,
    /// The gateway's address; `{to}`, `{text}` and `{sender}` in it are filled in
    /// (percent-encoded), for gateways that take a GET.
    #[arg(long, env = "RIYADA_SMS_URL")]
    pub sms_url: Option<String>,
    /// The HTTP method of the gateway's request.
    #[arg(long, env = "RIYADA_SMS_METHOD", default_value = "POST")]
    pub sms_method: String,
    /// The request body, with `{to}`, `{text}` and `{sender}` placeholders, e.g.
    /// '{"to":"{to}","text":"{text}","from":"{sender}"}'. No body when empty.
    #[arg(long, env = "RIYADA_SMS_BODY", default_value = "")]
    pub sms_body: String,
    #[arg(long, env = "RIYADA_SMS_BODY_FORMAT", value_enum, default_value = "json")]
    pub sms_body_format: crate::texter::BodyFormat,
    /// A header sent with every request, `Name: value` (e.g. `Authorization: Bearer …`).
    /// Give it in the environment, not on the command line, where others can read it.
    #[arg(long, env = "RIYADA_SMS_AUTH_HEADER", hide_env_values = true)]
    pub sms_auth_header: Option<String>,
    /// The sender name or number the gateway shows.
    #[arg(long, env = "RIYADA_SMS_SENDER", default_value = "Riyada")]
    pub sms_sender: String,
    /// Messages one number may receive in 24 hours (codes and notifications together).
    #[arg(long, env = "RIYADA_SMS_PERSON_DAILY_CAP", default_value_t = 10)]
    pub sms_person_daily_cap: i64,
    /// Messages the whole portal may send in 24 hours.
    #[arg(long, env = "RIYADA_SMS_GLOBAL_DAILY_CAP", default_value_t = 5000)]
    pub sms_global_daily_cap: i64,
    /// Send notifications and reset codes only to numbers confirmed with a code (`false` to
    /// send to every number as typed).
    #[arg(long, env = "RIYADA_SMS_VERIFY_PHONES", default_value_t = true, action = clap::ArgAction::Set)]
    pub sms_verify_phones: bool,
    /// What one SMS segment costs, in agorot, for the Fund's estimate of the month's bill.
    #[arg(long, env = "RIYADA_SMS_SEGMENT_COST_AGOROT", default_value_t = 0)]
    pub sms_segment_cost_agorot: i64,
    /// Seconds between looks at the SMS outbox when it is empty.
    #[arg(long, env = "RIYADA_SMS_POLL_SECS", default_value_t = 5)]
    pub sms_poll_secs: u64,
    /// Longest wait between two attempts at one message while the gateway is unreachable.
    #[arg(long, env = "RIYADA_SMS_RETRY_MAX_SECS", default_value_t = 1800)]
    pub sms_retry_max_secs: i64,
}

impl Default for SmsArgs {
    fn default() -> Self {
        SmsArgs {
            sms_provider: SmsProviderKind::None,
            sms_url: None,
            sms_method: "POST".into(),
            sms_body: String::new(),
            sms_body_format: crate::texter::BodyFormat::Json,
            sms_auth_header: None,
            sms_sender: "Riyada".into(),
            sms_person_daily_cap: 10,
            sms_global_daily_cap: 5000,
            sms_verify_phones: true,
            sms_segment_cost_agorot: 0,
            sms_poll_secs: 5,
            sms_retry_max_secs: 1800,
        }
    }
}

impl SmsArgs {
    /// The provider these flags describe, or `None` when SMS is off.
    pub fn provider(&self) -> Result<Option<crate::texter::Provider>, String> {
        use crate::texter::{HttpGateway, Provider};
        match self.sms_provider {
            SmsProviderKind::None => Ok(None),
            SmsProviderKind::Log => Ok(Some(Provider::Log)),
            SmsProviderKind::Http => {
                let url = self.sms_url.clone().ok_or("--sms-provider http needs --sms-url")?;
                let method = http::Method::from_bytes(self.sms_method.trim().to_uppercase().as_bytes())
                    .map_err(|e| format!("--sms-method: {e}"))?;
                Ok(Some(Provider::Http(HttpGateway {
                    url,
                    method,
                    body: (!self.sms_body.trim().is_empty()).then(|| self.sms_body.clone()),
                    format: self.sms_body_format,
                    auth_header: self.sms_auth_header.clone(),
                    sender: self.sms_sender.clone(),
                })))
            }
        }
    }

    pub fn caps(&self) -> domain::sms::Caps {
        domain::sms::Caps {
            per_person_daily: self.sms_person_daily_cap.max(0),
            global_daily: self.sms_global_daily_cap.max(0),
        }
    }
}

/// The default floor of free disk space: room for the database to go on writing and for a
/// few uploads in flight.
pub const SPACE_FLOOR_DEFAULT_MB: u64 = 200;

/// Where documents are kept and how large they may be.
#[derive(Args, Debug, Clone)]
pub struct DocumentArgs {
    /// Largest document, in megabytes.
    #[arg(long, env = "RIYADA_FILE_MAX_MB", default_value_t = 20)]
    pub file_max_mb: u64,
    /// Room per person for documents, in megabytes.
    #[arg(long, env = "RIYADA_QUOTA_MB", default_value_t = 200)]
    pub quota_mb: u64,
    /// Keep documents in this S3-compatible bucket instead of the data directory
    /// (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
    #[arg(long, env = "RIYADA_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// The S3 endpoint, e.g. http://127.0.0.1:9000 (AWS when not set).
    #[arg(long, env = "RIYADA_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    #[arg(long, env = "RIYADA_S3_REGION")]
    pub s3_region: Option<String>,
    /// ClamAV daemon socket; without it only the EICAR test signature is recognised.
    #[arg(long, env = "RIYADA_CLAMD_SOCKET")]
    pub clamd_socket: Option<PathBuf>,
    /// New uploads are refused while the data directory's volume has less free space than
    /// this, in megabytes (0: never).
    #[arg(long, env = "RIYADA_MIN_FREE_MB", default_value_t = SPACE_FLOOR_DEFAULT_MB)]
    pub min_free_mb: u64,
}

impl Default for DocumentArgs {
    fn default() -> Self {
        DocumentArgs {
            file_max_mb: 20,
            quota_mb: 200,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: None,
            clamd_socket: None,
            min_free_mb: SPACE_FLOOR_DEFAULT_MB,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct SeedDemoArgs {
    /// How many entrepreneurs to make.
    #[arg(long, default_value_t = 1_000)]
    pub entrepreneurs: u32,
    /// The same seed on an empty database gives the same people and plans.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Only these chambers (codes, comma-separated; default: all sixteen).
    #[arg(long, value_delimiter = ',')]
    pub chambers: Vec<String>,
    /// Do nothing when the database already has entrepreneurs (for a first run).
    #[arg(long, default_value_t = false)]
    pub if_empty: bool,
    /// Make no demo staff accounts.
    #[arg(long, default_value_t = false)]
    pub no_staff: bool,
}

#[derive(Args, Debug, Clone)]
pub struct CreateUserArgs {
    /// fund-admin, chamber-manager or advisor.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub email: String,
    /// Full name (defaults to the e-mail address).
    #[arg(long)]
    pub name: Option<String>,
    /// Chamber code (e.g. gaza), required for advisors and chamber managers.
    #[arg(long)]
    pub chamber: Option<String>,
    /// Mobile number (optional).
    #[arg(long)]
    pub phone: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("data directory {0} cannot be created or written: {1}")]
    DataDir(String, std::io::Error),
}

/// Makes sure the data directory exists and is writable; returns the default database URL.
pub fn prepare_data_dir(dir: &Path) -> Result<String, ConfigError> {
    let shown = dir.display().to_string();
    std::fs::create_dir_all(dir).map_err(|e| ConfigError::DataDir(shown.clone(), e))?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(|e| ConfigError::DataDir(shown.clone(), e))?;
    let _ = std::fs::remove_file(probe);
    Ok(format!("sqlite://{}?mode=rwc", dir.join("riyada.db").display()))
}
