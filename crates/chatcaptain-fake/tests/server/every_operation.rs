//! The fake answers every operation of the spec: an operation added to `spec/chatcaptain.yaml`
//! that the fake does not implement fails here, by name, in `cargo test --workspace` (and so in
//! CI), rather than as a warning of the schemathesis run.

use chatcaptain_fake::{FakeServer, Route};
use reqwest::Method;
use serde_json::{Map, Value, json};

const BOT: &str = chatcaptain_fake::DEFAULT_CHATBOT;
const CONTACT: &str = "c1";

/// One operation of the spec: method, path template, operationId and the operation object.
struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    id: &'a str,
    op: &'a Value,
}

fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("the spec has paths") {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                found.push(Operation {
                    method,
                    path,
                    id,
                    op,
                });
            }
        }
    }
    // A deletion last, so that every other operation still finds the contact.
    found.sort_by_key(|o| o.method == "delete");
    found
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or(value),
        None => value,
    }
}

/// A value for a parameter: the seeded chatbot and contact, else the spec's example.
fn argument(param: &Value) -> String {
    match param["name"].as_str() {
        Some("chatbotId") => BOT.to_owned(),
        Some("contactId") => CONTACT.to_owned(),
        _ => match &param["example"] {
            Value::String(s) => s.clone(),
            Value::Null => "x".to_owned(),
            other => other.to_string(),
        },
    }
}

/// The smallest body the schema accepts: its required properties, from their examples.
fn minimal(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example")
        && schema.get("type").and_then(Value::as_str) != Some("object")
    {
        return example.clone();
    }
    let mut object = Map::new();
    for name in schema["required"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap();
        object.insert(name.to_owned(), minimal(doc, &schema["properties"][name]));
    }
    Value::Object(object)
}

/// The request for one operation, with every required parameter and body; the path only once
/// the query is attached.
fn request(doc: &Value, operation: &Operation) -> (String, Option<Value>) {
    let mut path = operation.path.to_owned();
    let mut query = Vec::new();
    for param in operation.op["parameters"].as_array().into_iter().flatten() {
        let param = resolve(doc, param);
        let name = param["name"].as_str().unwrap();
        match param["in"].as_str() {
            Some("path") => path = path.replace(&format!("{{{name}}}"), &argument(param)),
            Some("query") if param["required"] == true => {
                query.push(format!("{name}={}", argument(param)))
            }
            _ => {}
        }
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let body = operation
        .op
        .pointer("/requestBody/content/application~1json/schema")
        .map(|schema| minimal(doc, schema));
    (path, body)
}

#[tokio::test]
async fn the_fake_answers_every_operation_of_the_spec_with_a_success() {
    let spec = chatcaptain_spec::bundled();
    let doc = spec.document();
    let contact = serde_json::from_value(json!({
        "id": CONTACT, "created": "2025-01-01T00:00:00Z", "language": "EN"
    }))
    .unwrap();
    let server = FakeServer::builder().contact(BOT, contact).start().await;
    // chatcaptain-api's TLS builder: in a workspace build, reqwest has no crypto provider of its
    // own (`chatcaptain_api::tls`) and `reqwest::Client::new()` would panic.
    let client = chatcaptain_api::tls::client_builder().build().unwrap();

    let mut missing = Vec::new();
    for operation in operations(doc) {
        let name = format!(
            "`{}` ({} {})",
            operation.id,
            operation.method.to_uppercase(),
            operation.path
        );
        let (path, body) = request(doc, &operation);
        let route = Route::of(
            &operation.method.to_uppercase(),
            path.split('?').next().unwrap(),
        );
        if route.and_then(Route::operation_id) != Some(operation.id) {
            missing.push(format!(
                "{name}: chatcaptain_fake::Route::of names it {route:?}"
            ));
        }
        let method = Method::from_bytes(operation.method.to_uppercase().as_bytes()).unwrap();
        let mut request = client
            .request(method, format!("{}{path}", server.base_url()))
            .header("x-chatcaptain-key", server.api_key());
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.expect("the fake answers");
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            missing.push(format!("{name}: {path} answered {status} {text}"));
        }
    }
    assert!(
        missing.is_empty(),
        "the fake does not implement every operation of spec/chatcaptain.yaml:\n  {}",
        missing.join("\n  ")
    );
}
