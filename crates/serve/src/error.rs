//! API errors: each one a status code and a JSON body that names the problem.
//!
//! Every failure a client can cause ends here, as a 4xx with
//! `{"error": KIND, "message": TEXT, "valid": [...]}` (`valid` only when a name
//! was not recognised). Nothing a client sends reaches a panic or a 5xx except
//! a bug, and even then the server keeps serving.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong with a request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The body is not valid JSON for this endpoint (syntax, types, unknown fields).
    #[error("{0}")]
    BadRequest(String),
    /// A value is out of range or the request cannot be served as asked.
    #[error("{0}")]
    Invalid(String),
    /// No scenario of this name in the served folder.
    #[error("no scenario named `{name}` in the served folder")]
    UnknownScenario {
        /// The name asked for.
        name: String,
        /// The names that exist.
        valid: Vec<String>,
    },
    /// No lever or package of this name in the scenario's lever library.
    #[error("no lever or package named `{name}` in the lever library of `{scenario}`")]
    UnknownLever {
        /// The name asked for.
        name: String,
        /// The scenario whose library was searched.
        scenario: String,
        /// The levers and packages that exist.
        valid: Vec<String>,
    },
    /// No running job with this id.
    #[error("no running job {0}")]
    UnknownJob(u64),
    /// The scenario file in the served folder does not load.
    #[error("the scenario does not load: {0}")]
    Scenario(String),
    /// The request body is larger than the server accepts.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// The server is already running as many jobs as it allows.
    #[error("the server is already running {0} jobs, its limit; try again when one finishes")]
    Busy(usize),
    /// No such route.
    #[error("no such page or API endpoint: {0}")]
    NotFound(String),
    /// The route exists but not with this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The job was cancelled (by the client or by a disconnect).
    #[error("the job was cancelled")]
    Cancelled,
    /// A bug: the work failed unexpectedly; the server keeps running.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of an error response.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody {
    /// A short machine-readable kind, e.g. `unknown_lever`.
    pub error: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// The valid names, when a name was not recognised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub valid: Vec<String>,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) | ApiError::Scenario(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::UnknownScenario { .. }
            | ApiError::UnknownLever { .. }
            | ApiError::UnknownJob(_)
            | ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Busy(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Cancelled => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> ErrorBody {
        let (error, valid) = match self {
            ApiError::BadRequest(_) => ("bad_request", Vec::new()),
            ApiError::Invalid(_) => ("invalid", Vec::new()),
            ApiError::UnknownScenario { valid, .. } => ("unknown_scenario", valid.clone()),
            ApiError::UnknownLever { valid, .. } => ("unknown_lever", valid.clone()),
            ApiError::UnknownJob(_) => ("unknown_job", Vec::new()),
            ApiError::Scenario(_) => ("scenario", Vec::new()),
            ApiError::TooLarge(_) => ("too_large", Vec::new()),
            ApiError::Busy(_) => ("busy", Vec::new()),
            ApiError::NotFound(_) => ("not_found", Vec::new()),
            ApiError::MethodNotAllowed(_) => ("method_not_allowed", Vec::new()),
            ApiError::Cancelled => ("cancelled", Vec::new()),
            ApiError::Internal(_) => ("internal", Vec::new()),
        };
        ErrorBody {
            error,
            message: self.to_string(),
            valid,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), axum::Json(self.body())).into_response()
    }
}

impl From<wedge_scenario::ScenarioErrors> for ApiError {
    fn from(e: wedge_scenario::ScenarioErrors) -> ApiError {
        let details: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
        ApiError::Scenario(format!("{e}: {}", details.join("; ")))
    }
}

impl From<wedge_scenario::ArmError> for ApiError {
    fn from(e: wedge_scenario::ArmError) -> ApiError {
        match e {
            wedge_scenario::ArmError::Scenario(errors) => errors.into(),
            wedge_scenario::ArmError::Levers(message) => ApiError::Invalid(message),
        }
    }
}
