//! The error rules: spec shapes that make progenitor panic instead of returning an error.
//! Run before generation so a bad spec gets a message naming the operation, not a backtrace.

use openapiv3::{Components, MediaType, OpenAPI, Operation, ReferenceOr, Response, StatusCode};

use super::conventions::escape;
use super::{LintRule, Problem};

pub(super) fn problems(spec: &OpenAPI) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (path, method, op) in spec.operations() {
        let base = format!("/paths/{}/{method}", escape(path));
        let name = match &op.operation_id {
            Some(id) => format!("operation `{id}` ({} {path})", method.to_uppercase()),
            None => format!("operation {} {path}", method.to_uppercase()),
        };
        let mut report = |rule, pointer: String, message: String| {
            problems.push(Problem::new(rule, pointer, format!("{name}: {message}")))
        };
        check_operation(spec.components.as_ref(), op, &base, &mut report);
    }
    problems
}

fn check_operation(
    components: Option<&Components>,
    op: &Operation,
    base: &str,
    report: &mut impl FnMut(LintRule, String, String),
) {
    if let Some(body) = &op.request_body {
        let pointer = format!("{base}/requestBody");
        let body = match body {
            ReferenceOr::Item(b) => Some(b),
            ReferenceOr::Reference { reference } => components
                .and_then(|c| resolve(&c.request_bodies, reference, "#/components/requestBodies/")),
        };
        match body {
            Some(body) => check_content(&body.content, &pointer, report),
            None => report(
                LintRule::UnresolvedRef,
                pointer,
                "request body $ref does not resolve".into(),
            ),
        }
    }

    if op.responses.default.is_some() && !op.responses.responses.is_empty() {
        report(
            LintRule::DefaultBesideStatuses,
            format!("{base}/responses/default"),
            "a `default` response beside status responses gives progenitor two response types; \
             use 4XX/5XX instead"
                .into(),
        );
    }

    // progenitor allows one body type for all success statuses and one for all error statuses.
    let mut success: Vec<(String, Option<String>)> = Vec::new();
    let mut errors: Vec<(String, Option<String>)> = Vec::new();
    for (status, response) in &op.responses.responses {
        let key = status_key(status);
        let pointer = format!("{base}/responses/{key}");
        let response = match response {
            ReferenceOr::Item(r) => Some(r),
            ReferenceOr::Reference { reference } => {
                components.and_then(|c| resolve(&c.responses, reference, "#/components/responses/"))
            }
        };
        let Some(response) = response else {
            report(
                LintRule::UnresolvedRef,
                pointer,
                "response $ref does not resolve".into(),
            );
            continue;
        };
        check_content(&response.content, &pointer, report);
        let body = body_type(response);
        match status_class(status) {
            2 => success.push((key, body)),
            4 | 5 => errors.push((key, body)),
            _ => {}
        }
    }
    if success.is_empty() {
        report(
            LintRule::NoSuccessResponse,
            format!("{base}/responses"),
            "no success (2xx) response".into(),
        );
    }
    for (kind, list) in [("success", &success), ("error", &errors)] {
        if let Some((first_status, first)) = list.first() {
            for (status, body) in &list[1..] {
                if body != first {
                    report(
                        LintRule::ResponseBodiesDiffer,
                        format!("{base}/responses/{status}"),
                        format!(
                            "{kind} responses {first_status} and {status} have different bodies; \
                             progenitor needs one {kind} body type per operation"
                        ),
                    );
                }
            }
        }
    }
}

fn check_content(
    content: &openapiv3::Content,
    pointer: &str,
    report: &mut impl FnMut(LintRule, String, String),
) {
    if content.len() > 1 {
        report(
            LintRule::OneMediaType,
            format!("{pointer}/content"),
            format!(
                "{} media types; progenitor handles exactly one",
                content.len()
            ),
        );
    }
    for (media, MediaType { schema, .. }) in content {
        if schema.is_none() {
            report(
                LintRule::MediaTypeWithoutSchema,
                format!("{pointer}/content/{}", escape(media)),
                format!("media type `{media}` has no schema"),
            );
        }
    }
}

fn resolve<'a, T>(
    map: &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    reference: &str,
    prefix: &str,
) -> Option<&'a T> {
    match map.get(reference.strip_prefix(prefix)?)? {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

/// A comparable description of a response's body: its schema as JSON, or None.
fn body_type(response: &Response) -> Option<String> {
    let media = response.content.values().next()?;
    let schema = media.schema.as_ref()?;
    Some(serde_json::to_string(schema).expect("schemas serialize"))
}

fn status_key(status: &StatusCode) -> String {
    match status {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

fn status_class(status: &StatusCode) -> u16 {
    match status {
        StatusCode::Code(c) => c / 100,
        StatusCode::Range(r) => *r,
    }
}
