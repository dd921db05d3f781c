//! The handlers: the operations of the spec, each answering with the envelope and status the spec documents; the
//! router is built from the spec's operation table.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use chatcaptain_api::operations::Operation;
use chatcaptain_api::types::{Contact, Organization};
use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{ApiError, json_response};
use crate::path_ids::PathIds;
use crate::query_params::QueryParams;
use crate::shape::{DEFAULT_LIST_LIMIT, MAX_SEARCH_PAGE_SIZE};
use crate::shared::Shared;
use crate::state::Stored;

type Answer = Result<Response, ApiError>;

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    // The paths and methods come from the spec's operation table; axum writes path parameters as
    // OpenAPI does (`{chatbotId}`), and prefers a literal segment (`/contacts/search`) to one.
    Operation::ALL
        .iter()
        .fold(Router::new(), |router, &op| {
            router.route(op.path(), handler(op))
        })
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

/// The handler of each operation; an operation of the spec without one answers 501, naming it.
fn handler(op: Operation) -> MethodRouter<Arc<Shared>> {
    let method = Method::from_bytes(op.method().as_bytes())
        .ok()
        .and_then(|m| MethodFilter::try_from(m).ok())
        .unwrap_or_else(|| panic!("axum cannot route the spec's method {}", op.method()));
    match op {
        Operation::ListContacts => on(method, list::<Contact>),
        Operation::SearchContacts => on(method, search::<Contact>),
        Operation::CreateContact => on(method, create::<Contact>),
        Operation::GetContact => on(method, get_contact),
        Operation::UpdateContact => on(method, update_contact),
        Operation::DeleteContact => on(method, delete_contact),
        Operation::ListContactOrganizations => on(method, list_contact_organizations),
        Operation::ListOrganizations => on(method, list::<Organization>),
        Operation::SearchOrganizations => on(method, search::<Organization>),
        Operation::CreateOrganization => on(method, create::<Organization>),
        _ => on(method, move || async move {
            ApiError::new(
                StatusCode::NOT_IMPLEMENTED,
                format!("the fake does not implement {}", op.id()),
            )
        }),
    }
}

async fn list<T: Stored>(
    State(shared): State<Arc<Shared>>,
    PathIds(chatbot): PathIds<String>,
    query: QueryParams,
) -> Answer {
    let before = query
        .get("pageToken")
        .map(|token| {
            DateTime::parse_from_rfc3339(token)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ApiError::bad_request("pageToken must be an ISO 8601 date-time"))
        })
        .transpose()?;
    let shape = &shared.list_shape;
    let before = shape.read_token(before);
    let limit = query
        .integer("limit", 1, shape.max_limit)?
        .unwrap_or(DEFAULT_LIST_LIMIT)
        .min(shape.limit_cap.unwrap_or(usize::MAX));
    let store = shared.store();
    let page: Vec<Value> = store.records::<T>(&chatbot).map_or_else(Vec::new, |r| {
        let page = r.list(before, limit, shape);
        page.iter().map(|item| r.answer(item)).collect()
    });
    ok(StatusCode::OK, envelope(T::MANY, page))
}

async fn search<T: Stored>(
    State(shared): State<Arc<Shared>>,
    PathIds(chatbot): PathIds<String>,
    query: QueryParams,
) -> Answer {
    let term = query.required("query")?;
    let page = query.required_integer("page", 1, i32::MAX as usize)?;
    let page_size = query.required_integer("pageSize", 1, MAX_SEARCH_PAGE_SIZE)?;
    let hidden: HashSet<&str> = query
        .get("hiddenHits")
        .map(|ids| {
            ids.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let (page, page_size) = shared.search_shape.read(page, page_size);
    let store = shared.store();
    let result = store.records::<T>(&chatbot).map(|r| {
        let result = r.search(term, page, page_size, &hidden);
        let hits: Vec<Value> = result
            .hits
            .iter()
            .map(|c| json!({ "document": r.answer(c) }))
            .collect();
        (result.found, hits)
    });
    let Some((found, hits)) = result.filter(|(found, _)| *found > 0) else {
        // The reference: `results` is null when nothing matches.
        return ok(StatusCode::OK, json!({ "results": null }));
    };
    ok(
        StatusCode::OK,
        json!({ "results": { "found": found, "facetCounts": [], "hits": hits } }),
    )
}

async fn create<T: Stored>(
    State(shared): State<Arc<Shared>>,
    PathIds(chatbot): PathIds<String>,
    body: Bytes,
) -> Answer {
    let body = validated_body(T::CREATE.id(), &body)?;
    let new: T::New =
        serde_json::from_value(body).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let created = shared
        .store_mut()
        .create::<T>(&chatbot, new, now())
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    ok(StatusCode::CREATED, envelope(T::ONE, created))
}

async fn get_contact(
    State(shared): State<Arc<Shared>>,
    PathIds((chatbot, id)): PathIds<(String, String)>,
) -> Answer {
    let store = shared.store();
    let contacts = store.records::<Contact>(&chatbot);
    let contact = contacts
        .and_then(|c| Some(c.answer(c.get(&id)?)))
        .ok_or_else(ApiError::contact_not_found)?;
    ok(StatusCode::OK, json!({ "contact": contact }))
}

async fn update_contact(
    State(shared): State<Arc<Shared>>,
    PathIds((chatbot, id)): PathIds<(String, String)>,
    body: Bytes,
) -> Answer {
    let body = validated_body("updateContact", &body)?;
    let changes = body
        .get("contact")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let updated = shared
        .store_mut()
        .update(&chatbot, &id, &changes, now())
        .map_err(|e| ApiError::bad_request(e.to_string()))?
        .ok_or_else(ApiError::contact_not_found)?;
    ok(StatusCode::OK, json!({ "contact": updated }))
}

async fn delete_contact(
    State(shared): State<Arc<Shared>>,
    PathIds((chatbot, id)): PathIds<(String, String)>,
) -> Answer {
    if !shared.store_mut().delete(&chatbot, &id) {
        return Err(ApiError::contact_not_found());
    }
    ok(StatusCode::OK, json!({ "deleted": true }))
}

async fn list_contact_organizations(
    State(shared): State<Arc<Shared>>,
    PathIds((chatbot, id)): PathIds<(String, String)>,
) -> Answer {
    let organizations = shared
        .store()
        .organizations(&chatbot, &id)
        .ok_or_else(ApiError::contact_not_found)?;
    ok(StatusCode::OK, json!({ "organizations": organizations }))
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("Cannot {method} {}", uri.path()),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Cannot {method} {}", uri.path()),
    )
}

fn ok(status: StatusCode, body: Value) -> Answer {
    Ok(json_response(status, &body))
}

/// `{name: value}`: the API's envelope of an answer.
fn envelope(name: &str, value: impl Serialize) -> Value {
    let value = serde_json::to_value(value).expect("a record serializes");
    Value::Object([(name.to_owned(), value)].into_iter().collect())
}

/// Timestamps of new and changed records, to the millisecond as the API writes them.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// Parses a JSON body and checks it against the operation's request schema in the spec, so the fake
/// accepts exactly what the spec allows (a missing `language`, a number where a string belongs: 400).
fn validated_body(operation_id: &str, body: &[u8]) -> Result<Value, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Request body is not valid JSON: {e}")))?;
    chatcaptain_spec::bundled()
        .validate_request_body(operation_id, &value)
        .map_err(|errors| {
            ApiError::bad_request(format!("Invalid request body: {}", errors.join("; ")))
        })?;
    Ok(value)
}
