//! Finding an operation and the response schema it documents for a status.

use serde_json::Value;

use crate::Spec;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Spec {
    /// The ids of every operation in the spec, in document order.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.operations().map(|(id, _)| id).collect()
    }

    /// The OpenAPI schema documented for a response of `operation_id` with `status`; `Ok(None)` when
    /// the status is documented without a JSON body.
    ///
    /// Lookup order follows OpenAPI: the exact code, then its range (`4XX`), then `default`.
    pub fn response_schema(
        &self,
        operation_id: &str,
        status: u16,
    ) -> Result<Option<Value>, String> {
        let operation = self.operation(operation_id)?;
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{operation_id} documents no responses"))?;
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        let response = [exact.as_str(), range.as_str(), "default"]
            .iter()
            .find_map(|key| {
                responses
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
            })
            .ok_or_else(|| {
                let documented: Vec<&str> = responses.keys().map(String::as_str).collect();
                format!(
                    "{operation_id} does not document status {status} (documented: {})",
                    documented.join(", ")
                )
            })?;
        let response = self.resolve(response)?;
        Ok(response
            .pointer("/content/application~1json/schema")
            .cloned())
    }

    pub(crate) fn operation(&self, operation_id: &str) -> Result<&Value, String> {
        self.operations()
            .find(|(id, _)| *id == operation_id)
            .map(|(_, op)| op)
            .ok_or_else(|| format!("the spec has no operation {operation_id:?}"))
    }

    fn operations(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.document
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|paths| paths.values())
            .flat_map(|item| METHODS.iter().filter_map(move |m| item.get(*m)))
            .filter_map(|op| Some((op.get("operationId")?.as_str()?, op)))
    }

    /// Follows a local `$ref` (such as `#/components/responses/Forbidden`) to its target.
    fn resolve<'a>(&'a self, value: &'a Value) -> Result<&'a Value, String> {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let pointer = reference.strip_prefix('#').ok_or_else(|| {
            format!("unsupported $ref {reference:?}: only local refs are resolved")
        })?;
        self.document
            .pointer(pointer)
            .ok_or_else(|| format!("$ref {reference:?} points at nothing"))
    }
}
