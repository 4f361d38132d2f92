//! The JSON API: what can be chosen, comparisons, traces, jobs.
//!
//! | route | answer |
//! |---|---|
//! | `GET /api/scenarios` | the served scenarios, with descriptions |
//! | `GET /api/levers?scenario=NAME` | that scenario's lever library: levers and packages, with descriptions |
//! | `GET /api/status` | jobs running and the server's limits |
//! | `POST /api/compare` | the document `wedge compare --format json` prints; with `Accept: text/event-stream`, progress events first |
//! | `POST /api/trace` | the document `wedge trace --format json` prints |
//! | `DELETE /api/jobs/{id}` | stop a running comparison |

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response, Sse};
use serde::{Deserialize, Serialize};
use wedge_scenario::{ConditionSpec, LeverDef, Package};

use crate::catalog::{Catalog, ScenarioInfo};
use crate::engine;
use crate::error::ApiError;
use crate::jobs::{self, Jobs, StopOnDrop};
use crate::limits::Limits;
use crate::request::{self, CompareRequest, TraceRequest};
use crate::stream;

/// The scenario `GET /api/levers` describes when none is named, if the folder has it.
pub const DEFAULT_SCENARIO: &str = "baseline-2021";

/// What every handler shares.
#[derive(Debug)]
pub struct App {
    /// The served scenarios.
    pub catalog: Catalog,
    /// What one request may ask.
    pub limits: Limits,
    /// The jobs running.
    pub jobs: Arc<Jobs>,
}

/// Shared state as handlers receive it.
pub type Shared = Arc<App>;

/// Run file reading and model building (a few milliseconds, blocking) off
/// the async executor, so one slow request never holds up the others.
async fn off_executor<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(ApiError::Internal(e.to_string())))
}

/// `GET /api/scenarios`.
pub async fn scenarios(State(app): State<Shared>) -> Result<Json<Vec<ScenarioInfo>>, ApiError> {
    off_executor(move || Ok(app.catalog.list())).await.map(Json)
}

/// Query of `GET /api/levers`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeversQuery {
    /// Scenario whose library to describe.
    pub scenario: Option<String>,
}

/// A lever as `GET /api/levers` describes it.
#[derive(Debug, Serialize)]
pub struct LeverInfo {
    /// Name requests use.
    pub name: String,
    /// What it is, in the essay's words.
    pub description: String,
    /// Who pulls it.
    pub pulled_by: Vec<wedge_core::Actor>,
    /// Effects at intensity 1, per year.
    pub effects: Vec<wedge_core::Effect>,
    /// Its default condition.
    pub condition: ConditionSpec,
    /// Its default ramp, years.
    pub ramp_years: f64,
}

/// The answer of `GET /api/levers`.
#[derive(Debug, Serialize)]
pub struct LeversAnswer {
    /// The scenario whose library this is.
    pub scenario: String,
    /// Horizon of that scenario, years (the latest onset).
    pub horizon_years: f64,
    /// Largest intensity a request may ask.
    pub max_intensity: f64,
    /// The levers.
    pub levers: Vec<LeverInfo>,
    /// Named packages of levers.
    pub packages: Vec<Package>,
}

fn lever_info(def: &LeverDef) -> LeverInfo {
    LeverInfo {
        name: def.name.clone(),
        description: def.description.clone(),
        pulled_by: def.pulled_by.clone(),
        effects: def.effects.clone(),
        condition: def.condition,
        ramp_years: def.ramp_years,
    }
}

/// `GET /api/levers`.
pub async fn levers(
    State(app): State<Shared>,
    query: Result<Query<LeversQuery>, QueryRejection>,
) -> Result<Json<LeversAnswer>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    off_executor(move || describe_levers(&app.catalog, query.scenario))
        .await
        .map(Json)
}

fn describe_levers(catalog: &Catalog, scenario: Option<String>) -> Result<LeversAnswer, ApiError> {
    let name = match scenario {
        Some(name) => name,
        None => {
            let all = catalog.list();
            all.iter()
                .find(|s| s.name == DEFAULT_SCENARIO)
                .or_else(|| all.iter().find(|s| s.has_lever_library))
                .map(|s| s.name.clone())
                .ok_or_else(|| {
                    ApiError::Invalid("no served scenario names a lever library".into())
                })?
        }
    };
    let resolved = catalog.resolve(&name)?;
    let library = resolved
        .library()
        .ok_or_else(|| ApiError::Invalid(format!("scenario `{name}` names no lever library")))?;
    Ok(LeversAnswer {
        horizon_years: resolved.file.horizon_years.unwrap_or(0.0),
        max_intensity: request::MAX_INTENSITY,
        levers: library.levers.iter().map(lever_info).collect(),
        packages: library.packages.clone(),
        scenario: name,
    })
}

/// The answer of `GET /api/status`.
#[derive(Debug, Serialize)]
pub struct Status {
    /// Jobs running now.
    pub running_jobs: usize,
    /// Most jobs at once.
    pub max_jobs: usize,
    /// Most runs per arm.
    pub max_runs: u64,
    /// Most run-turns per request.
    pub max_run_turns: u64,
    /// Largest request body, bytes.
    pub max_body_bytes: usize,
    /// Default runs per arm.
    pub default_runs: u64,
}

/// `GET /api/status`.
pub async fn status(State(app): State<Shared>) -> Json<Status> {
    Json(Status {
        running_jobs: app.jobs.running(),
        max_jobs: app.jobs.max(),
        max_runs: app.limits.max_runs,
        max_run_turns: app.limits.max_run_turns,
        max_body_bytes: app.limits.max_body_bytes,
        default_runs: request::DEFAULT_RUNS,
    })
}

fn body_bytes(body: Result<Bytes, BytesRejection>, limits: &Limits) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(limits.max_body_bytes)
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })
}

fn wants_events(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// Progress as streamed.
#[derive(Debug, Serialize)]
struct Progress {
    done: u64,
    total: u64,
}

/// The first event of a stream.
#[derive(Debug, Serialize)]
struct Started {
    job: u64,
    arms: Vec<String>,
    runs: u64,
}

/// `POST /api/compare`.
pub async fn compare(
    State(app): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body_bytes(body, &app.limits)?;
    let shared = Arc::clone(&app);
    let plan = off_executor(move || {
        request::parse::<CompareRequest>(&body)?.plan(&shared.catalog, &shared.limits)
    })
    .await?;
    let (slot, stop) = app.jobs.start()?;
    let guard = StopOnDrop(Arc::clone(&stop));
    if wants_events(&headers) {
        let (events, stream) = stream::channel(guard);
        events.send(
            "started",
            &Started {
                job: slot.id(),
                arms: plan.names.clone(),
                runs: plan.runs,
            },
        );
        drop(jobs::spawn(slot, move || {
            let outcome = engine::compare(&plan, &stop, &mut |done, total| {
                events.send("progress", &Progress { done, total })
            });
            match outcome {
                Ok(o) => {
                    events.send("defectors", &o.defectors);
                    events.send_json_text("result", o.document);
                }
                Err(e) => events.send("error", &e.body()),
            }
            Ok(())
        }));
        return Ok(Sse::new(stream).into_response());
    }
    let answer = jobs::spawn(slot, move || engine::compare(&plan, &stop, &mut |_, _| {}));
    let outcome = jobs::answer(answer).await;
    drop(guard);
    Ok(json_text(outcome?.document))
}

/// A response of JSON text already encoded.
fn json_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], text).into_response()
}

/// `POST /api/trace`.
pub async fn trace(
    State(app): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body_bytes(body, &app.limits)?;
    let shared = Arc::clone(&app);
    let plan = off_executor(move || {
        request::parse::<TraceRequest>(&body)?.plan(&shared.catalog, &shared.limits)
    })
    .await?;
    let (slot, _stop) = app.jobs.start()?;
    let answer = jobs::spawn(slot, move || engine::trace(&plan));
    Ok(json_text(jobs::answer(answer).await?))
}

/// `DELETE /api/jobs/{id}`.
pub async fn cancel(
    State(app): State<Shared>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    app.jobs.cancel(id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Any other path.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(uri.path().chars().take(200).collect())
}

/// A known path with the wrong method.
pub async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "{method} is not allowed on {}",
        uri.path().chars().take(200).collect::<String>()
    ))
}
