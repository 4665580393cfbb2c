//! The built site's static files and the service worker that keeps them on the device.
//!
//! cargo-leptos names the WASM, JS and CSS after their content (`hash-files`) and writes the
//! hashes to `hash.txt` next to the server binary, so those files never change under their
//! name: they are served with a year-long immutable cache and, when the release build
//! precompressed them, as brotli or gzip straight from disk. The service worker at `/sw.js`
//! is written here from `sw.js` with the exact list of files to keep, and its cache name
//! changes whenever one of them does.
//!
//! The WASM and its JavaScript are not stored at install: the public pages a first visit
//! opens load none of them (see `app::PLAIN_PAGES`), and a phone on metered data should not
//! pay for the app before it is used. The worker stores them when a page first loads them,
//! and with every page it keeps for offline reading.
use app::start_app::{AppBundle, IslandsBundle, WASM_WORKER_PATH, WASM_WORKER_SOURCE};
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::LeptosOptions;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Named after their content: never change, cached for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Fonts and icons keep their names across versions: cached for a month, and refreshed with
/// every new version of the service worker.
pub const LONG: &str = "public, max-age=2592000";
/// Asked again every time (the browser may keep a copy but must check it).
pub const REVALIDATE: &str = "no-cache";

/// The hashed names of the site's bundle and what the service worker keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteAssets {
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// The app's JavaScript, WebAssembly and the worker that compiles it: not stored at
    /// install, but as pages that need them are opened or kept.
    pub on_demand: Vec<String>,
    /// The islands build that starts an entrepreneur's pages (docs/performance.md, "Two
    /// browser builds"), when it was built.
    pub islands: Option<IslandsBundle>,
    /// Whether the names carry content hashes (and so may be cached forever).
    pub hashed: bool,
    /// Every URL the service worker stores when it installs.
    pub precache: Vec<String>,
    /// Changes whenever any precached file does.
    pub version: String,
}

/// Reads `js: …`, `wasm: …`, `css: …` lines of cargo-leptos's hash file.
pub fn parse_hashes(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
        .filter(|(kind, hash)| !kind.is_empty() && !hash.is_empty())
        .collect()
}

/// The hash file cargo-leptos writes next to the server binary.
pub fn hash_file_path(options: &LeptosOptions) -> Option<PathBuf> {
    hash_file_named(options.hash_file.as_ref())
}

fn hash_file_named(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(name))
}

/// The islands build's output name and hash file (its project in the workspace's
/// `Cargo.toml`).
pub const ISLANDS_OUTPUT_NAME: &str = "riyada-islands";
pub const ISLANDS_HASH_FILE: &str = "islands-hash.txt";

/// The islands build's files, if they are in the site: hashed names from its hash file in a
/// release build, plain names otherwise.
fn islands_bundle(options: &LeptosOptions) -> Option<IslandsBundle> {
    let pkg = options.site_pkg_dir.as_ref();
    let bundle = if options.hash_files {
        let text = hash_file_named(ISLANDS_HASH_FILE).and_then(|path| std::fs::read_to_string(path).ok())?;
        let hashes = parse_hashes(&text);
        let hash = |kind: &str| hashes.iter().find(|(k, _)| k == kind).map(|(_, hash)| hash.clone());
        AppBundle {
            js: format!("/{pkg}/{ISLANDS_OUTPUT_NAME}.{}.js", hash("js")?),
            wasm: format!("/{pkg}/{ISLANDS_OUTPUT_NAME}.{}.wasm", hash("wasm")?),
        }
    } else {
        AppBundle {
            js: format!("/{pkg}/{ISLANDS_OUTPUT_NAME}.js"),
            wasm: format!("/{pkg}/{ISLANDS_OUTPUT_NAME}.wasm"),
        }
    };
    let site = PathBuf::from(options.site_root.as_ref());
    let present = [&bundle.js, &bundle.wasm]
        .iter()
        .all(|url| site.join(url.trim_start_matches('/')).is_file());
    if !present {
        tracing::warn!(js = %bundle.js, "no islands build in the site: every page starts the whole app");
        return None;
    }
    Some(IslandsBundle(bundle))
}

impl SiteAssets {
    /// The bundle's names from the hash file, fonts and icons from the site directory.
    pub fn load(options: &LeptosOptions) -> SiteAssets {
        let hashes = if options.hash_files {
            hash_file_path(options)
                .and_then(|path| std::fs::read_to_string(path).ok())
                .map(|text| parse_hashes(&text))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let site = PathBuf::from(options.site_root.as_ref());
        let mut files = Vec::new();
        for dir in ["fonts", "icons"] {
            files.extend(list_files(&site.join(dir), dir));
        }
        Self::from_parts(&options.output_name, &options.site_pkg_dir, &hashes, files)
            .with_islands(islands_bundle(options))
    }

    /// Adds the islands build: stored by the service worker as the whole app's files are
    /// (when a page first loads them), and part of the worker's version.
    pub fn with_islands(mut self, islands: Option<IslandsBundle>) -> SiteAssets {
        if let Some(IslandsBundle(bundle)) = &islands {
            self.on_demand.push(bundle.js.clone());
            self.on_demand.push(bundle.wasm.clone());
            let mut digest = Sha256::new();
            digest.update(self.version.as_bytes());
            digest.update(bundle.js.as_bytes());
            digest.update(bundle.wasm.as_bytes());
            self.version = short_hex(&digest.finalize());
        }
        self.islands = islands;
        self
    }

    /// `files`: site-relative paths of fonts and icons, with their sizes.
    pub fn from_parts(
        output_name: &str,
        pkg_dir: &str,
        hashes: &[(String, String)],
        mut files: Vec<(String, u64)>,
    ) -> SiteAssets {
        let name = |kind: &str| match hashes.iter().find(|(k, _)| k == kind) {
            Some((_, hash)) => format!("/{pkg_dir}/{output_name}.{hash}.{kind}"),
            None => format!("/{pkg_dir}/{output_name}.{kind}"),
        };
        let hashed = ["js", "wasm", "css"]
            .iter()
            .all(|kind| hashes.iter().any(|(k, _)| k == kind));
        let (js, wasm, css) = (name("js"), name("wasm"), name("css"));
        files.sort();
        let on_demand = vec![js.clone(), wasm.clone(), WASM_WORKER_PATH.to_string()];
        let mut precache = vec![css.clone()];
        precache.extend(
            files
                .iter()
                .filter(|(path, _)| path.ends_with(".woff2") || path.ends_with(".png"))
                .map(|(path, _)| format!("/{path}")),
        );
        precache.push("/manifest.webmanifest".to_string());
        precache.push(OFFLINE_PAGE.to_string());
        let mut digest = Sha256::new();
        digest.update(SERVICE_WORKER_TEMPLATE.as_bytes());
        // Its name has no hash: a new worker makes a new version, so the old copy goes.
        digest.update(WASM_WORKER_SOURCE.as_bytes());
        digest.update(env!("CARGO_PKG_VERSION").as_bytes());
        for url in precache.iter().chain(&on_demand) {
            digest.update(url.as_bytes());
        }
        for (path, size) in &files {
            digest.update(format!("{path}:{size}\n").as_bytes());
        }
        let version = short_hex(&digest.finalize());
        SiteAssets {
            js,
            wasm,
            css,
            on_demand,
            islands: None,
            hashed,
            precache,
            version,
        }
    }

    /// The paths a page needs to start the app.
    pub fn bundle(&self) -> AppBundle {
        AppBundle {
            js: self.js.clone(),
            wasm: self.wasm.clone(),
        }
    }

    /// The service worker's source with this site's version and file list.
    pub fn service_worker(&self) -> String {
        let precache = serde_json::to_string(&self.precache).unwrap_or_else(|_| "[]".to_string());
        let on_demand = serde_json::to_string(&self.on_demand).unwrap_or_else(|_| "[]".to_string());
        SERVICE_WORKER_TEMPLATE
            .replace("\"__VERSION__\"", &format!("\"{}\"", self.version))
            .replace("[\"__PRECACHE__\"]", &precache)
            .replace("[\"__ON_DEMAND__\"]", &on_demand)
            .replace("\"__OFFLINE__\"", &format!("\"{OFFLINE_PAGE}\""))
    }
}

fn short_hex(digest: &[u8]) -> String {
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The page shown for a page never opened before when there is no connection.
pub const OFFLINE_PAGE: &str = "/offline";

const SERVICE_WORKER_TEMPLATE: &str = include_str!("sw.js");

fn list_files(dir: &Path, prefix: &str) -> Vec<(String, u64)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let size = entry.metadata().ok().filter(|m| m.is_file())?.len();
            let name = entry.file_name().into_string().ok()?;
            // Precompressed twins are not separate files to the browser.
            (!name.ends_with(".br") && !name.ends_with(".gz")).then(|| (format!("{prefix}/{name}"), size))
        })
        .collect()
}

fn cache_control(value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(value))
}

/// `/pkg`, `/fonts`, `/icons`, the manifest and the service worker. Everything else under
/// the site root is left to the application's fallback.
pub fn routes<S: Clone + Send + Sync + 'static>(options: &LeptosOptions, assets: &SiteAssets) -> Router<S> {
    let site = PathBuf::from(options.site_root.as_ref());
    let serve = |dir: &str| ServeDir::new(site.join(dir)).precompressed_br().precompressed_gzip();
    let pkg_cache = if assets.hashed { IMMUTABLE } else { REVALIDATE };
    let worker = assets.service_worker();
    Router::new()
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            ServiceBuilder::new()
                .layer(cache_control(pkg_cache))
                .service(serve(&options.site_pkg_dir)),
        )
        .nest_service(
            "/fonts",
            ServiceBuilder::new().layer(cache_control(LONG)).service(serve("fonts")),
        )
        .nest_service(
            "/icons",
            ServiceBuilder::new().layer(cache_control(LONG)).service(serve("icons")),
        )
        .route_service(
            "/manifest.webmanifest",
            ServiceBuilder::new()
                .layer(cache_control(REVALIDATE))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/manifest+json"),
                ))
                .service(tower_http::services::ServeFile::new(site.join("manifest.webmanifest"))),
        )
        .route(
            WASM_WORKER_PATH,
            get(|| async { script(WASM_WORKER_SOURCE.to_string()) }),
        )
        .route(
            "/sw.js",
            get(move || {
                let worker = worker.clone();
                async move { script(worker) }
            }),
        )
}

/// A script whose name has no hash: asked again on every use (a 304 when unchanged).
fn script(source: String) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, REVALIDATE),
        ],
        source,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, u64)> {
        vec![
            ("icons/icon-192.png".into(), 730),
            ("fonts/NotoSansArabic.woff2".into(), 48_840),
            ("fonts/OFL.txt".into(), 4380),
        ]
    }

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let hashes = parse_hashes("js: abc\nwasm: def\ncss: 123\n");
        let assets = SiteAssets::from_parts("riyada", "pkg", &hashes, files());
        assert_eq!(assets.js, "/pkg/riyada.abc.js");
        assert_eq!(assets.wasm, "/pkg/riyada.def.wasm");
        assert_eq!(assets.css, "/pkg/riyada.123.css");
        assert!(assets.hashed);
        // A first visit opens public pages that load no WASM: it is not stored at install.
        assert_eq!(
            assets.on_demand,
            vec!["/pkg/riyada.abc.js", "/pkg/riyada.def.wasm", "/wasm-worker.js"]
        );
        assert_eq!(
            assets.precache,
            vec![
                "/pkg/riyada.123.css",
                "/fonts/NotoSansArabic.woff2",
                "/icons/icon-192.png",
                "/manifest.webmanifest",
                "/offline",
            ]
        );
    }

    #[test]
    fn without_hashes_names_are_plain_and_not_immutable() {
        let assets = SiteAssets::from_parts("riyada", "pkg", &[], files());
        assert_eq!(assets.wasm, "/pkg/riyada.wasm");
        assert!(!assets.hashed);
    }

    #[test]
    fn the_version_follows_every_precached_file() {
        let one = SiteAssets::from_parts("riyada", "pkg", &parse_hashes("js: a\nwasm: b\ncss: c"), files());
        let new_wasm = SiteAssets::from_parts("riyada", "pkg", &parse_hashes("js: a\nwasm: x\ncss: c"), files());
        let mut bigger_font = files();
        bigger_font[1].1 += 1;
        let new_font = SiteAssets::from_parts("riyada", "pkg", &parse_hashes("js: a\nwasm: b\ncss: c"), bigger_font);
        assert_ne!(one.version, new_wasm.version);
        assert_ne!(one.version, new_font.version);
        assert_eq!(one.version.len(), 12);
    }

    #[test]
    fn the_islands_build_is_kept_on_demand_and_moves_the_version() {
        let plain = SiteAssets::from_parts("riyada", "pkg", &parse_hashes("js: a\nwasm: b\ncss: c"), files());
        let islands = IslandsBundle(AppBundle {
            js: "/pkg/riyada-islands.d.js".to_string(),
            wasm: "/pkg/riyada-islands.e.wasm".to_string(),
        });
        let with = plain.clone().with_islands(Some(islands.clone()));
        // Not at install (a first visit loads no WASM), but when a page loads it.
        assert!(with.on_demand.contains(&islands.0.js) && with.on_demand.contains(&islands.0.wasm));
        assert!(!with.precache.contains(&islands.0.wasm));
        assert!(with.service_worker().contains("/pkg/riyada-islands.e.wasm"));
        assert_ne!(
            plain.version, with.version,
            "a new islands build is a new service worker"
        );
        assert_eq!(plain.with_islands(None).on_demand.len(), 3);
    }

    /// A site directory with one hashed stylesheet (and its brotli twin), a font and the
    /// manifest, removed when dropped.
    struct Site(PathBuf);

    impl Site {
        fn new() -> Site {
            let dir = std::env::temp_dir().join(format!(
                "riyada-assets-{}-{}",
                std::process::id(),
                rand::random::<u32>()
            ));
            for sub in ["pkg", "fonts"] {
                std::fs::create_dir_all(dir.join(sub)).unwrap();
            }
            std::fs::write(dir.join("pkg/riyada.h1.css"), "body { color: green }").unwrap();
            std::fs::write(dir.join("pkg/riyada.h1.css.br"), "brotli bytes").unwrap();
            std::fs::write(dir.join("fonts/a.woff2"), "font").unwrap();
            std::fs::write(dir.join("manifest.webmanifest"), "{}").unwrap();
            Site(dir)
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    async fn get(
        app: &Router,
        path: &str,
        accept_encoding: &str,
    ) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
        use tower::ServiceExt;
        let request = axum::http::Request::get(path)
            .header("accept-encoding", accept_encoding)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    #[tokio::test]
    async fn static_files_carry_their_cache_rules_and_precompressed_twins() {
        let site = Site::new();
        let options = LeptosOptions::builder()
            .output_name("riyada")
            .site_root(site.0.display().to_string())
            .site_pkg_dir("pkg")
            .build();
        let assets = SiteAssets::from_parts("riyada", "pkg", &parse_hashes("js: h1\nwasm: h1\ncss: h1"), Vec::new());
        let app: Router = routes(&options, &assets);

        let (status, headers, body) = get(&app, "/pkg/riyada.h1.css", "gzip, br").await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-encoding"], "br");
        assert_eq!(headers["cache-control"], IMMUTABLE);
        assert_eq!(body, "brotli bytes");
        // A browser without brotli gets the plain file.
        let (_, headers, body) = get(&app, "/pkg/riyada.h1.css", "identity").await;
        assert!(headers.get("content-encoding").is_none());
        assert_eq!(body, "body { color: green }");

        let (_, headers, _) = get(&app, "/fonts/a.woff2", "br").await;
        assert_eq!(headers["cache-control"], LONG);
        let (_, headers, _) = get(&app, "/manifest.webmanifest", "br").await;
        assert_eq!(headers["content-type"], "application/manifest+json");
        assert_eq!(headers["cache-control"], REVALIDATE);

        let (status, headers, body) = get(&app, "/sw.js", "br").await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
        assert_eq!(headers["cache-control"], REVALIDATE);
        assert!(body.contains(&assets.version));
        assert!(body.contains("/pkg/riyada.h1.wasm"));

        // The worker that compiles the app: JavaScript, checked again on each visit (its
        // name has no hash), and kept by the service worker for offline use.
        let (status, headers, body) = get(&app, WASM_WORKER_PATH, "br").await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
        assert_eq!(headers["cache-control"], REVALIDATE);
        assert!(body.contains("WebAssembly.compileStreaming"));
        assert!(assets.on_demand.iter().any(|path| path == WASM_WORKER_PATH));

        let (status, _, _) = get(&app, "/pkg/../manifest.webmanifest", "br").await;
        assert_ne!(status, 200, "no way out of the directory");
        let (status, _, _) = get(&app, "/pkg/missing.js", "br").await;
        assert_eq!(status, 404);
    }

    #[test]
    fn the_worker_carries_the_list_and_version() {
        let assets = SiteAssets::from_parts("riyada", "pkg", &parse_hashes("js: a\nwasm: b\ncss: c"), files());
        let source = assets.service_worker();
        assert!(source.contains(&format!("\"{}\"", assets.version)));
        assert!(source.contains(r#"const ON_DEMAND = ["/pkg/riyada.a.js","/pkg/riyada.b.wasm","/wasm-worker.js"];"#));
        assert!(!source.contains("__PRECACHE__"));
        assert!(!source.contains("__ON_DEMAND__"));
        assert!(!source.contains("__VERSION__"));
        assert!(!source.contains("__OFFLINE__"));
    }
}
