//! wedge in the browser: `wedge serve` as a library.
//!
//! A local web server (axum on tokio) with one page and a JSON API over the
//! wedge library: which scenarios and levers there are, a paired comparison
//! of the baseline against a package of levers, and the story of one run.
//! Heavy work runs on the rayon pool, never on the async executor; the
//! results are the command line's, number for number. See `docs/SERVE.md`.
//!
//! # Example
//! ```no_run
//! use wedge_serve::{Limits, ServeConfig, serve};
//! let config = ServeConfig {
//!     bind: "127.0.0.1:8080".parse().expect("an address"),
//!     scenarios: "scenarios".into(),
//!     limits: Limits::default(),
//! };
//! serve(&config, |addr| eprintln!("listening on http://{addr}/")).expect("the server runs");
//! ```
#![deny(missing_docs)]

mod api;
mod catalog;
mod engine;
mod error;
mod jobs;
mod limits;
mod page;
mod request;
mod stream;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};

pub use catalog::Catalog;
pub use error::ApiError;
pub use limits::Limits;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address and port to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// The folder of scenarios clients may name.
    pub scenarios: PathBuf,
    /// What one request may ask.
    pub limits: Limits,
}

/// How to serve, as `wedge serve`'s flags give it (they are its fields, with
/// the `clap` feature), before [`ServeFlags::config`] checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ServeFlags {
    /// Port to listen on (0: any free port).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 8080))]
    pub port: u16,
    /// Address to listen on; the default serves this machine only.
    #[cfg_attr(feature = "clap", arg(long, default_value = "127.0.0.1"))]
    pub bind: String,
    /// Folder of scenarios the page and API may name.
    #[cfg_attr(feature = "clap", arg(long, default_value = "scenarios"))]
    pub scenarios: PathBuf,
    /// Most runs per arm a request may ask for.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 20_000))]
    pub max_runs: u64,
    /// Most comparisons and traces running at once.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2))]
    pub max_jobs: usize,
}

impl ServeFlags {
    /// The configuration these flags ask for, checked: `bind` must be an IP
    /// address, `max_runs` within 1..=10,000,000 and `max_jobs` within
    /// 1..=64. The message names the flag.
    pub fn config(&self) -> Result<ServeConfig, String> {
        let (bind, max_runs, max_jobs) = (&self.bind, self.max_runs, self.max_jobs);
        let ip: std::net::IpAddr = bind.parse().map_err(|_| {
            format!("--bind must be an IP address such as 127.0.0.1 or ::1, got `{bind}`")
        })?;
        if !(1..=10_000_000).contains(&max_runs) {
            return Err(format!(
                "--max-runs must be between 1 and 10000000, got {max_runs}"
            ));
        }
        if !(1..=64).contains(&max_jobs) {
            return Err(format!(
                "--max-jobs must be between 1 and 64, got {max_jobs}"
            ));
        }
        let mut limits = Limits::with_max_runs(max_runs);
        limits.max_jobs = max_jobs;
        Ok(ServeConfig {
            bind: SocketAddr::new(ip, self.port),
            scenarios: self.scenarios.clone(),
            limits,
        })
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The scenario folder cannot be opened.
    #[error("cannot serve scenarios from {path}: {source}")]
    Scenarios {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The async runtime or the server failed.
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

impl wedge_io::Categorized for ServeError {
    fn category(&self) -> wedge_io::Category {
        match self {
            ServeError::Scenarios { .. } => wedge_io::Category::Usage,
            ServeError::Bind { .. } | ServeError::Io(_) => wedge_io::Category::Runtime,
        }
    }
}

/// The routes: the page, its assets and the API, over a catalog.
pub fn router(catalog: Catalog, limits: Limits) -> Router {
    let app = Arc::new(api::App {
        catalog,
        jobs: Arc::new(jobs::Jobs::new(limits.max_jobs)),
        limits: limits.clone(),
    });
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/style.css", get(page::style))
        .route("/api/scenarios", get(api::scenarios))
        .route("/api/levers", get(api::levers))
        .route("/api/status", get(api::status))
        .route("/api/compare", post(api::compare))
        .route("/api/trace", post(api::trace))
        .route("/api/jobs/{id}", delete(api::cancel))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::wrong_method)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .with_state(app)
}

/// Serve until the process ends. `ready` is called with the address bound
/// (useful with port 0) once the server accepts connections.
pub fn serve(config: &ServeConfig, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let catalog = Catalog::open(&config.scenarios).map_err(|source| ServeError::Scenarios {
        path: config.scenarios.display().to_string(),
        source,
    })?;
    // One thread serves connections; a few more read scenario files; the runs go to rayon.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(4)
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.bind,
                source,
            })?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(catalog, config.limits.clone())).await?;
        Ok(())
    })
}
