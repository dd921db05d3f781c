//! The bundled spec as a contract: what passes, what fails, and what the errors say.

use serde_json::json;

fn spec() -> &'static chatcaptain_spec::Spec {
    chatcaptain_spec::bundled()
}

/// Asserts `result` refuses the value with a first error that starts with `start` (its place: a
/// JSON pointer, `(root)`, or the operation) and names each of `named`; gives back every error.
fn refused(result: Result<(), Vec<String>>, start: &str, named: &[&str]) -> Vec<String> {
    let errors = result.expect_err("the value must be refused");
    assert!(
        errors[0].starts_with(start) && named.iter().all(|name| errors[0].contains(name)),
        "{errors:?}"
    );
    errors
}

#[test]
fn bundled_spec_loads_with_all_ten_operations() {
    let mut ids = spec().operation_ids();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "createContact",
            "createOrganization",
            "deleteContact",
            "getContact",
            "listContactOrganizations",
            "listContacts",
            "listOrganizations",
            "searchContacts",
            "searchOrganizations",
            "updateContact"
        ]
    );
}

#[test]
fn valid_contact_passes() {
    let contact = json!({"id": "c1", "created": "2025-09-28T10:00:00Z", "language": "EN",
                         "address": {"street": "Hauptstrasse"}, "variables": {"plan": "premium"}});
    spec().validate_component("Contact", &contact).unwrap();
}

#[test]
fn errors_name_the_instance_pointer() {
    let contact = json!({"id": "c1", "created": "2025-09-28T10:00:00Z", "variables": {"plan": 3}});
    let errors = refused(
        spec().validate_component("Contact", &contact),
        "/variables/plan:",
        &[],
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn missing_required_field_is_reported_at_the_root() {
    let result = spec().validate_component("NewContact", &json!({"name": "x"}));
    refused(result, "(root):", &["language"]);
}

#[test]
fn date_time_format_is_enforced() {
    let contact = json!({"id": "c1", "created": "yesterday"});
    refused(
        spec().validate_component("Contact", &contact),
        "/created:",
        &[],
    );
}

#[test]
fn refs_inside_refs_are_followed() {
    let body = json!({"contacts": [{"id": "c1", "created": "2025-09-28T10:00:00Z", "address": {"zipcode": 10115}}]});
    let result = spec().validate_response("listContacts", 200, &body);
    refused(result, "/contacts/0/address/zipcode:", &[]);
}

#[test]
fn nullable_search_results_accept_null_but_not_other_types() {
    spec()
        .validate_response("searchContacts", 200, &json!({"results": null}))
        .unwrap();
    let result = spec().validate_response("searchContacts", 200, &json!({"results": 5}));
    refused(result, "/results:", &[]);
}

#[test]
fn status_ranges_pick_the_error_schema() {
    let body = json!({"statusCode": 404, "message": "Contact not found", "error": "Not Found"});
    spec().validate_response("getContact", 404, &body).unwrap();
    spec()
        .validate_response("getContact", 503, &json!({"error": "down"}))
        .unwrap();
    let result = spec().validate_response("getContact", 404, &json!({"statusCode": "404"}));
    refused(result, "/statusCode:", &[]);
}

#[test]
fn undocumented_status_is_an_error_naming_the_documented_ones() {
    let result = spec().validate_response("createContact", 204, &json!({}));
    refused(
        result,
        "createContact does not document status 204",
        &["200", "201"],
    );
}

#[test]
fn unknown_operation_and_component_are_errors() {
    assert!(spec().validate_response("nope", 200, &json!({})).is_err());
    assert!(spec().validate_component("Nope", &json!({})).is_err());
}

#[test]
fn arbitrary_schemas_may_reference_components() {
    let schema = json!({"type": "array", "items": {"$ref": "#/components/schemas/Organization"}});
    spec()
        .validate_schema(&schema, &json!([{"id": "o1", "size": 3}]))
        .unwrap();
    let result = spec().validate_schema(&schema, &json!([{"id": "o1", "size": -1}]));
    refused(result, "/0/size:", &[]);
}

#[test]
fn request_bodies_are_validated() {
    spec()
        .validate_request_body("updateContact", &json!({"contact": {"name": "x"}}))
        .unwrap();
    assert!(
        spec()
            .validate_request_body("updateContact", &json!({"name": "x"}))
            .is_err()
    );
}

#[test]
fn every_example_in_the_spec_satisfies_its_schema() {
    let schemas = spec().document()["components"]["schemas"]
        .as_object()
        .unwrap();
    for (name, schema) in schemas {
        for (prop, prop_schema) in schema["properties"].as_object().into_iter().flatten() {
            if let Some(example) = prop_schema.get("example") {
                spec()
                    .validate_schema(prop_schema, example)
                    .unwrap_or_else(|e| panic!("{name}.{prop} example: {e:?}"));
            }
        }
    }
}

#[test]
fn non_openapi_30_documents_are_rejected() {
    let err = chatcaptain_spec::from_json_str(r#"{"openapi": "3.1.0", "paths": {}}"#).unwrap_err();
    assert!(err.to_string().contains("3.1.0"), "{err}");
}

#[test]
fn json_errors_name_the_line_and_column() {
    let err =
        chatcaptain_spec::from_json_str("{\"openapi\": \"3.0.3\",\n\"paths\": [\n").unwrap_err();
    assert!(err.to_string().contains("line 3 column 0"), "{err}");
}

#[test]
fn dangling_refs_are_reported_at_load_with_their_place() {
    let text = r##"{"openapi": "3.0.3", "paths": {}, "components": {"schemas":
        {"A": {"$ref": "#/components/schemas/Missing"}}}}"##;
    let err = chatcaptain_spec::from_json_str(text).unwrap_err();
    assert!(err.to_string().contains("#/components/schemas/A"), "{err}");
}

/// The embedded JSON is the repository's spec, not a stale copy: `cargo xtask codegen --check`
/// compares the two byte for byte; this pins what a user of the crate sees.
#[test]
fn the_bundled_json_is_marked_generated_and_is_the_whole_spec() {
    let document = spec().document();
    let marker = document["x-generated"].as_str().unwrap();
    assert!(marker.contains("cargo xtask codegen"), "{marker}");
    assert!(marker.contains("DO NOT EDIT"), "{marker}");
    assert!(document["paths"]["/v1/chatbots/{chatbotId}/contacts"].is_object());
    assert!(document["components"]["schemas"]["Contact"].is_object());
}
