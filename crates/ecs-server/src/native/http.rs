//! The HTTP side: routes, bodies within limits and time, and answers in the
//! forms botocore, the AWS CLI and Terraform parse.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};

use ecs_engine::sim::wire::{WireAnswer, WireRequest, ECS_TARGET_PREFIX, SIMULATOR_TARGET_PREFIX};

use crate::accounts::{Accounts, Outcome};
use crate::options::ClockMode;
use crate::wire;

/// How long and how large a request may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A client must send a request's headers within this time.
    pub header_timeout: Duration,
    /// ... and its body within this time.
    pub body_timeout: Duration,
    /// The largest body accepted. AWS documents no request-size limit for
    /// ECS (its largest input, a task definition, is limited to 64 KiB);
    /// 1 MiB leaves room for any valid request (an approximation).
    pub max_body: usize,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_body: 1024 * 1024,
            max_connections: 1024,
        }
    }
}

pub struct Server {
    pub accounts: Accounts,
    pub default_region: String,
    pub limits: Limits,
}

type Answer = Response<Full<Bytes>>;

const AMZ_JSON: &str = "application/x-amz-json-1.1";

pub async fn handle(server: Arc<Server>, request: Request<Incoming>) -> Result<Answer, Infallible> {
    let id = wire::request_id();
    let path = request.uri().path().to_string();
    let mut answer = match (request.method().clone(), path.as_str()) {
        (Method::POST, "/") => aws_request(&server, request, &id).await,
        (Method::GET | Method::HEAD, "/") => json_answer(
            StatusCode::OK,
            "application/json",
            &json!({"service": "ecs-playground", "protocol": "AWS JSON 1.1", "targetPrefix": ECS_TARGET_PREFIX, "simulatorTargetPrefix": SIMULATOR_TARGET_PREFIX}),
        ),
        (Method::GET | Method::HEAD, "/_playground/health") => {
            json_answer(StatusCode::OK, "application/json", &health(&server))
        }
        (Method::GET | Method::HEAD, "/_localstack/health") => json_answer(
            StatusCode::OK,
            "application/json",
            &json!({"services": {"ecs": "running", "sts": "running"}, "edition": "ecs-playground", "version": env!("CARGO_PKG_VERSION")}),
        ),
        (Method::POST, "/_playground/reset" | "/_localstack/state/reset" | "/moto-api/reset") => {
            let worker = server.clone();
            match tokio::task::spawn_blocking(move || worker.accounts.reset()).await {
                Ok(Ok(())) => {
                    json_answer(StatusCode::OK, "application/json", &json!({"status": "ok"}))
                }
                Ok(Err(problem)) => internal(&id, "reset", &problem),
                Err(join) => internal(&id, "reset", &join.to_string()),
            }
        }
        (
            _,
            "/"
            | "/_playground/health"
            | "/_localstack/health"
            | "/_playground/reset"
            | "/_localstack/state/reset"
            | "/moto-api/reset",
        ) => error(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowedException",
            &format!("{path} does not answer this method"),
        ),
        _ => error(
            StatusCode::NOT_FOUND,
            "NotFoundException",
            &format!("nothing is served at {path}: AWS calls go to POST /"),
        ),
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        answer.headers_mut().insert("x-amzn-RequestId", value);
    }
    Ok(answer)
}

async fn aws_request(server: &Arc<Server>, request: Request<Incoming>, id: &str) -> Answer {
    let headers = request.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .unwrap_or("")
    };
    let authorization = text(AUTHORIZATION).to_string();
    let target = headers
        .get("x-amz-target")
        .map(|v| v.to_str().unwrap_or("").to_string());
    let form = text(CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
        || wire::signed_service(&authorization) == Some("sts");
    let declared = text(CONTENT_LENGTH).parse::<usize>().ok();
    if declared.is_some_and(|length| length > server.limits.max_body) {
        return too_large(server.limits.max_body);
    }
    let body = match read_body(request.into_body(), &server.limits).await {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let region = wire::signed_region(&authorization)
        .unwrap_or(&server.default_region)
        .to_string();
    if target.is_none() && form {
        return crate::sts::answer(&body, &region, &server.accounts.header().account, id);
    }
    // Which call the target names, and the body's JSON, are the engine's
    // wire form (a missing header is "", which names none).
    let target = target.unwrap_or_default();
    let request = match WireRequest::read(&target, &body) {
        Ok(request) => request,
        #[cfg(test)]
        Err(_) if target == format!("EcsPlayground.{}", crate::accounts::TEST_PANIC) => {
            WireRequest {
                operation: crate::accounts::TEST_PANIC.to_string(),
                input: json!({}),
            }
        }
        Err(refused) => return engine_answer(WireAnswer::error(&refused)),
    };
    let worker = server.clone();
    let operation = request.operation.clone();
    let outcome =
        tokio::task::spawn_blocking(move || worker.accounts.call(&region, &request)).await;
    match outcome {
        Ok(Outcome::Answer(answer)) => engine_answer(answer),
        Ok(Outcome::Internal(problem)) => internal(id, &operation, &problem),
        Err(join) => internal(id, &operation, &join.to_string()),
    }
}

/// The engine's answer, as it is: status, body and (for an error) its code.
fn engine_answer(answer: WireAnswer) -> Answer {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = body_answer(status, AMZ_JSON, answer.body);
    if let Some(value) = answer
        .error_type
        .and_then(|code| HeaderValue::from_str(&code).ok())
    {
        response.headers_mut().insert("x-amzn-ErrorType", value);
    }
    response
}

async fn read_body(body: Incoming, limits: &Limits) -> Result<Bytes, Answer> {
    let limited = Limited::new(body, limits.max_body);
    match tokio::time::timeout(limits.body_timeout, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(too_large(limits.max_body))
        }
        Ok(Err(e)) => Err(closing(error(
            StatusCode::BAD_REQUEST,
            "SerializationException",
            &format!("the request body could not be read: {e}"),
        ))),
        Err(_) => Err(closing(error(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeoutException",
            &format!(
                "the request body did not arrive within {} seconds",
                limits.body_timeout.as_secs_f64()
            ),
        ))),
    }
}

fn health(server: &Server) -> Value {
    let now = server.accounts.now();
    let clock = match server.accounts.clock_mode() {
        ClockMode::Manual => json!({"mode": "manual"}),
        ClockMode::Wall { speed } => json!({"mode": "wall", "speed": speed}),
    };
    json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "clock": clock,
        "virtualSeconds": now as f64 / 1000.0,
        "now": server.accounts.header().epoch_seconds as f64 + now as f64 / 1000.0,
        "regions": server.accounts.region_names(),
        "stateFile": server.accounts.journal_path(),
    })
}

fn json_answer(status: StatusCode, content_type: &'static str, value: &Value) -> Answer {
    body_answer(status, content_type, value.to_string())
}

fn body_answer(status: StatusCode, content_type: &'static str, body: String) -> Answer {
    let mut answer = Response::new(Full::new(Bytes::from(body)));
    *answer.status_mut() = status;
    answer
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    answer
}

/// An AWS JSON error, as botocore reads it.
pub fn error(status: StatusCode, code: &str, message: &str) -> Answer {
    let mut answer = json_answer(
        status,
        AMZ_JSON,
        &json!({"__type": code, "message": message}),
    );
    if let Ok(value) = HeaderValue::from_str(code) {
        answer.headers_mut().insert("x-amzn-ErrorType", value);
    }
    answer
}

fn too_large(limit: usize) -> Answer {
    closing(error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLargeException",
        &format!("the request body is over {limit} bytes"),
    ))
}

/// The rest of the request may not have been read: end the connection.
fn closing(mut answer: Answer) -> Answer {
    answer
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    answer
}

/// A server fault: logged with its request id, answered as ECS's modelled
/// `ServerException` (HTTP 500).
fn internal(id: &str, operation: &str, problem: &str) -> Answer {
    eprintln!("ecs-playground serve: request {id} ({operation}) failed: {problem}");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ServerException",
        &format!("{problem} (request id {id})"),
    )
}
