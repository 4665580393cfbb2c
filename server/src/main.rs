//! The `riyada` binary: serve, migrate, create-user.
use app::staff::StaffInput;
use clap::Parser;
use domain::roles::Role;
use leptos::prelude::LeptosOptions;
use server::config::{
    prepare_data_dir, BackupArgs, Cli, Command, Common, CreateUserArgs, RestoreArgs, SeedDemoArgs, ServeArgs,
};
use server::{build_router, open_state, WebSettings};
use std::future::IntoFuture;
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;

/// mimalloc: server-side rendering allocates many small objects from every core at once;
/// glibc's allocator spent a fifth of the landing page's CPU time (perf) on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Calc) = cli.command {
        return calc();
    }
    tracing_subscriber::fmt()
        // Colours only for a person at a terminal; a log file or journald gets plain text.
        .with_ansi(std::io::stdout().is_terminal())
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&cli.common.log).unwrap_or_else(|_| "info".into()))
        .init();
    let result = match cli.command {
        None => serve(&cli.common, ServeArgs::default_from_env()).await,
        Some(Command::Serve(args)) => serve(&cli.common, *args).await,
        Some(Command::Migrate) => migrate(&cli.common).await,
        Some(Command::CreateUser(args)) => create_user(&cli.common, args).await,
        Some(Command::SeedDemo(args)) => seed_demo(&cli.common, args).await,
        Some(Command::Backup(args)) => backup(&cli.common, args).await,
        Some(Command::Restore(args)) => restore(&cli.common, args).await,
        // Handled above: calc needs no database.
        Some(Command::Calc) => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("riyada: {message}");
            ExitCode::FAILURE
        }
    }
}

trait FromEnv {
    fn default_from_env() -> Self;
}

impl FromEnv for ServeArgs {
    /// `riyada` without a subcommand serves with the same flags' environment variables.
    fn default_from_env() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            serve: ServeArgs,
        }
        Only::try_parse_from(["riyada"]).map(|o| o.serve).unwrap_or_default()
    }
}

fn database_url(common: &Common) -> Result<String, String> {
    let default = prepare_data_dir(&common.data_dir).map_err(|e| e.to_string())?;
    Ok(common.database_url.clone().unwrap_or(default))
}

/// Hides the password in a database URL before it is printed.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_string(),
    }
}

async fn open(common: &Common) -> Result<app::state::AppState, String> {
    let url = database_url(common)?;
    open_state(&url, 8).await.map_err(|e| format!("{e} ({})", redact(&url)))
}

async fn serve(common: &Common, args: ServeArgs) -> Result<(), String> {
    let mut state = open(common).await?;
    state.throttle.registrations_per_address_hourly = args.registrations_per_address_hourly.max(1);
    state.trusted_proxies = domain::network::TrustedProxies::parse(&args.trusted_proxies)
        .map_err(|problem| format!("--trusted-proxies: {problem}"))?;
    const MB: u64 = 1024 * 1024;
    state.documents = domain::documents::DocumentLimits {
        file_max: args.documents.file_max_mb.max(1) * MB,
        quota: args.documents.quota_mb.max(1) * MB,
    };
    let uploads = std::sync::Arc::new(server::uploads::from_settings(&common.data_dir, &args.documents)?);
    tracing::info!(
        storage = uploads.storage.label,
        scanner = uploads.scanner.name(),
        "documents"
    );
    let addr: SocketAddr = match args.addr {
        Some(addr) => addr,
        None => std::env::var("LEPTOS_SITE_ADDR")
            .ok()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000))),
    };
    let site_root = args
        .site_root
        .map(|p| p.display().to_string())
        .or_else(|| std::env::var("LEPTOS_SITE_ROOT").ok())
        .unwrap_or_else(|| "target/site".to_string());
    let dev = std::env::var("LEPTOS_ENV")
        .map(|e| e.eq_ignore_ascii_case("dev"))
        .unwrap_or(false);
    // cargo-leptos writes the content hashes of the bundle next to the binary it builds.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file()))
        .unwrap_or(false);
    let options = LeptosOptions::builder()
        .output_name("riyada")
        .hash_files(hash_files)
        .site_root(site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .reload_port(3001)
        .env(if dev {
            leptos::config::Env::DEV
        } else {
            leptos::config::Env::PROD
        })
        .build();
    let mut mailer = None;
    if let Some(smtp_url) = &args.mail.smtp_url {
        let settings = server::mailer::MailerSettings {
            poll: std::time::Duration::from_secs(args.mail.mail_poll_secs.max(1)),
            retry_max_secs: args.mail.mail_retry_max_secs.max(1),
            retry_base_secs: server::mailer::MailerSettings::default()
                .retry_base_secs
                .min(args.mail.mail_retry_max_secs.max(1)),
            ..Default::default()
        };
        let worker = server::mailer::Mailer::new(smtp_url, &args.mail.mail_from, settings)?;
        let public_url = args
            .mail
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        tracing::info!(smtp = %redact(smtp_url), %public_url, "e-mail on");
        state.mail = Some(app::state::MailSettings { public_url });
        mailer = Some(worker);
    }
    let mut texter = None;
    if let Some(provider) = args.sms.provider()? {
        let retry_max_secs = args.sms.sms_retry_max_secs.max(1);
        let settings = server::texter::TexterSettings {
            poll: std::time::Duration::from_secs(args.sms.sms_poll_secs.max(1)),
            retry_max_secs,
            retry_base_secs: server::texter::TexterSettings::default()
                .retry_base_secs
                .min(retry_max_secs),
            ..Default::default()
        };
        let public_url = args
            .mail
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        let caps = args.sms.caps();
        let shown = match &provider {
            server::texter::Provider::Log => "log".to_string(),
            // Without the query: gateways that take a GET often carry their key there.
            server::texter::Provider::Http(gateway) => redact(gateway.url.split('?').next().unwrap_or_default()),
        };
        tracing::info!(provider = %shown, %public_url, per_person = caps.per_person_daily, global = caps.global_daily, verify_phones = args.sms.sms_verify_phones, "SMS on");
        texter = Some(server::texter::Texter::new(provider, settings)?);
        state.sms = Some(app::state::SmsSettings {
            public_url,
            caps,
            verify_phones: args.sms.sms_verify_phones,
            segment_cost_agorot: args.sms.sms_segment_cost_agorot.max(0),
        });
    }
    let web = WebSettings {
        secure_cookies: args.secure_cookies,
        body_limit: args.body_limit,
        idle_timeout_minutes: args.idle_timeout_minutes.max(1),
        dev,
        brotli_pages: args.brotli_pages,
        upload_form_limit: state.documents.file_max as usize + 64 * 1024,
        ..Default::default()
    };
    // Registered before the first connection, so that SIGTERM never kills a request.
    let stop = server::lifecycle::stop_signal();
    let shutdown = server::lifecycle::Shutdown::new();
    // Each sweep runs on one instance per period, however many share the database.
    let instance = server::jobs::instance_name();
    let period = |own: u64| std::time::Duration::from_secs(args.sweep_period_secs.unwrap_or(own).max(1));
    let store = app::session_store::DbSessionStore::new(state.pool.clone());
    sweep(
        &shutdown,
        &state.pool,
        &instance,
        "expired sessions",
        period(3600),
        move || {
            let store = store.clone();
            async move {
                if let Err(error) = store.delete_expired().await {
                    tracing::warn!(%error, "removing expired sessions failed");
                }
            }
        },
    );
    {
        // Uploads abandoned for a day go, with their chunks.
        let (state, uploads) = (state.clone(), uploads.clone());
        sweep(
            &shutdown,
            &state.pool.clone(),
            &instance,
            "abandoned uploads",
            period(3600),
            move || {
                let (state, uploads) = (state.clone(), uploads.clone());
                async move {
                    match uploads.sweep_idle(&state, app::db::now()).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "abandoned uploads removed"),
                        // The cause was logged where it happened; the next hour tries again.
                        Err(_) => {}
                    }
                }
            },
        );
    }
    {
        // Deleted documents' files leave storage soon after, freeing their owners' quota.
        let (state, uploads) = (state.clone(), uploads.clone());
        sweep(
            &shutdown,
            &state.pool.clone(),
            &instance,
            "deleted files",
            period(300),
            move || {
                let (state, uploads) = (state.clone(), uploads.clone());
                async move {
                    match uploads.sweep_deleted(&state).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "deleted files removed from storage"),
                        // The cause was logged where it happened; the next round tries again.
                        Err(_) => {}
                    }
                }
            },
        );
    }
    if let Some(mailer) = mailer {
        shutdown.run(
            "mail worker",
            mailer.run(state.pool.clone(), state.backend, shutdown.token()),
        );
    }
    if let Some(texter) = texter {
        shutdown.run(
            "SMS worker",
            texter.run(state.pool.clone(), state.backend, shutdown.token()),
        );
    }
    let router = build_router(state, options, &web, uploads);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    // Without TCP_NODELAY a response written in two parts (headers, then the body) waits
    // for the client's delayed ACK: 40 ms on every page and file.
    let listener = axum::serve::ListenerExt::tap_io(listener, |stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY");
        }
    });
    tracing::info!("Riyada listening on http://{addr}");
    let token = shutdown.token();
    let serving = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("shutting down: no new connections, finishing the requests under way");
            token.cancel();
        });
    let grace = std::time::Duration::from_secs(args.shutdown_grace_secs);
    let served = shutdown.serve_within(serving.into_future(), grace).await;
    shutdown.stop().await;
    tracing::info!("stopped");
    match served {
        Some(result) => result.map_err(|e| format!("server stopped: {e}")),
        // The grace period ran out: the requests still under way are dropped.
        None => Ok(()),
    }
}

async fn backup(common: &Common, args: BackupArgs) -> Result<(), String> {
    let state = open(common).await?;
    let uploads = server::uploads::from_settings(&common.data_dir, &args.documents)?;
    let manifest = server::backup::backup(&state.pool, state.backend, &uploads.storage, &args.dir)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "backed up the database and {} documents into {}",
        manifest.documents.len(),
        args.dir.display()
    );
    Ok(())
}

async fn restore(common: &Common, args: RestoreArgs) -> Result<(), String> {
    if common
        .database_url
        .as_deref()
        .is_some_and(|url| app::db::Backend::from_url(url) != Some(app::db::Backend::Sqlite))
    {
        return Err(server::backup::BackupError::NotSqlite.to_string());
    }
    prepare_data_dir(&common.data_dir).map_err(|e| e.to_string())?;
    let uploads = server::uploads::from_settings(&common.data_dir, &args.documents)?;
    let manifest = server::backup::restore(&args.dir, &common.data_dir, &uploads.storage, args.force)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "restored the database and {} documents into {}",
        manifest.documents.len(),
        common.data_dir.display()
    );
    Ok(())
}

async fn migrate(common: &Common) -> Result<(), String> {
    open(common).await?;
    println!("migrations applied, reference data seeded");
    Ok(())
}

/// Reads the password from the terminal (asked twice) or from standard input (one line).
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let second = rpassword::prompt_password("Repeat password: ").map_err(|e| e.to_string())?;
        if first != second {
            return Err("the two passwords differ".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

async fn seed_demo(common: &Common, args: SeedDemoArgs) -> Result<(), String> {
    let state = open(common).await?;
    if args.if_empty {
        let (people,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE role = $1")
            .bind(Role::Entrepreneur.key())
            .fetch_one(&state.pool)
            .await
            .map_err(|e| e.to_string())?;
        if people > 0 {
            println!("the database has entrepreneurs already: no demo data added");
            return Ok(());
        }
    }
    let started = std::time::Instant::now();
    let settings = server::demo::DemoSettings {
        entrepreneurs: args.entrepreneurs,
        seed: args.seed,
        chambers: args.chambers,
        staff: !args.no_staff,
    };
    let report = server::demo::seed_demo(&state.pool, state.backend, &settings).await?;
    println!(
        "demo data: {} entrepreneurs, {} plans, {} plan events, {} documents, {} service requests, \
         {} establishments with {} follow-up visits in {:.1} s",
        report.entrepreneurs,
        report.plans,
        report.events,
        report.documents,
        report.requests,
        report.establishments,
        report.visits,
        started.elapsed().as_secs_f64()
    );
    if !report.staff.is_empty() {
        println!("demo staff (passwords shown only now):");
        for (role, email, chamber, password) in &report.staff {
            println!("  {:<16} {:<40} {:<12} {password}", role.key(), email, chamber);
        }
    }
    Ok(())
}

async fn create_user(common: &Common, args: CreateUserArgs) -> Result<(), String> {
    let role = Role::from_key(&args.role).filter(|r| r.is_staff()).ok_or_else(|| {
        format!(
            "unknown role {:?} (use fund-admin, chamber-manager or advisor)",
            args.role
        )
    })?;
    let password = read_password()?;
    let state = open(common).await?;
    let input = StaffInput {
        full_name: args.name.unwrap_or_else(|| args.email.clone()),
        email: args.email,
        phone: args.phone.unwrap_or_default(),
        role: Some(role),
        chamber: args.chamber.unwrap_or_default(),
        password,
    };
    match app::staff::server::create_staff(&state.pool, None, input).await {
        Ok(id) => {
            println!("created {} account {id}", role.key());
            Ok(())
        }
        Err(app::error::AppError::Invalid(errors)) => Err(errors
            .iter()
            .map(|e| format!("{:?}: {:?}", e.field, e.problem))
            .collect::<Vec<_>>()
            .join("; ")),
        Err(other) => Err(other.to_string()),
    }
}

/// Largest plan document accepted (the same limit as a plan import).
const PLAN_MAX_BYTES: u64 = app::plan::IMPORT_MAX_BYTES as u64;

/// `riyada calc`: the financial model on the command line.
fn calc() -> ExitCode {
    use domain::plan::financials::{compute, parse_plan};
    use std::io::Read;
    let mut input = String::new();
    let read = std::io::stdin()
        .lock()
        .take(PLAN_MAX_BYTES + 1)
        .read_to_string(&mut input);
    if let Err(error) = read {
        eprintln!("$: cannot read standard input as UTF-8 text: {error}");
        return ExitCode::from(2);
    }
    if input.len() as u64 > PLAN_MAX_BYTES {
        eprintln!("$: the document is larger than 1 MB");
        return ExitCode::from(2);
    }
    match parse_plan(&input) {
        Ok(plan) => match serde_json::to_string_pretty(&compute(&plan)) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("riyada: {error}");
                ExitCode::FAILURE
            }
        },
        Err(problems) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            ExitCode::from(2)
        }
    }
}

/// Runs `step` every `period` on whichever instance takes the job's turn first (see
/// `server::jobs`); the other instances skip that round.
fn sweep<F, Fut>(
    shutdown: &server::lifecycle::Shutdown,
    pool: &app::db::Pool,
    instance: &str,
    job: &'static str,
    period: std::time::Duration,
    mut step: F,
) where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (pool, instance) = (pool.clone(), instance.to_string());
    shutdown.every(job, period, move || {
        let (pool, instance) = (pool.clone(), instance.clone());
        let work = step();
        async move {
            let now = app::db::now();
            match server::jobs::take_turn(&pool, job, &instance, now, period.as_secs() as i64).await {
                Ok(true) => {
                    tracing::info!(job, %instance, turn = now, "background job");
                    work.await;
                }
                Ok(false) => tracing::debug!(job, "another instance has this turn"),
                Err(error) => tracing::warn!(%error, job, "taking a job's turn failed; the next round tries again"),
            }
        }
    });
}
