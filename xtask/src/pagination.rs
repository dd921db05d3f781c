//! The `x-pagination` extension: read once, checked by `spec-lint`, turned into glue by `codegen`.
//!
//! ```yaml
//! x-pagination:              # on a paginated GET operation
//!   style: cursor            # a date-time cursor: items created strictly before `token`
//!   token: pageToken         # optional query parameter, string date-time
//!   size: limit              # query parameter, integer: items per request
//!   items: contacts          # where the items are in the success body: fields joined by `.`,
//!                            # `[]` after the array (`results.hits[].document`)
//!   order: newest-first      # the only order a cursor on a creation time can page
//!   cursorField: created     # date-time property of the item (an item without it is odd)
//!   idField: id              # required string property of the item
//! x-pagination:
//!   style: page-number
//!   page: page               # query parameter, integer, first page 1
//!   size: pageSize
//!   items: results.hits[].document
//!   total: results.found     # optional: integer, hits over all pages
//!   exclude: hiddenHits      # optional: string parameter, comma-separated ids to leave out
//!   idField: id
//! ```
//!
//! The operation's other parameters belong to the listing: a required one is an argument of its
//! constructor (`client.search_contacts(bot, query)`), an optional one a setter of the listing
//! (`.contact_id(id)`), of the type progenitor gives the parameter.

use serde_json::Value;

mod schema;

pub use schema::success_schema;
use schema::{parameters, property, required_of, resolve_ref, walk};

use crate::spec::lint_rules::{LintRule, Problem};
use crate::spec::walk::{escape, operations};

pub const EXTENSION: &str = "x-pagination";

/// One paginated operation, resolved against the spec.
#[derive(Debug, Clone)]
pub struct Listing {
    pub operation_id: String,
    pub summary: String,
    pub style: Style,
    /// The size parameter's name and the page size used when the caller sets none.
    pub size: String,
    pub default_size: u32,
    /// The success body's component name (the generated response type).
    pub response: String,
    /// The items path: the fields down to the array, then the fields inside one element.
    pub to_array: Vec<String>,
    pub in_element: Vec<String>,
    /// The item's component name and its id property.
    pub item: String,
    pub id_field: String,
    /// The operation's other parameters, in spec order.
    pub arguments: Vec<Argument>,
}

/// A parameter of a paginated operation that is not a paging one.
#[derive(Debug, Clone)]
pub struct Argument {
    pub name: String,
    pub in_path: bool,
    /// Required: an argument of the listing's constructor; optional: a setter of the listing.
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone)]
pub enum Style {
    Cursor {
        token: String,
        cursor_field: String,
    },
    PageNumber {
        page: String,
        total: Option<Vec<String>>,
        exclude: Option<String>,
    },
}

const CURSOR_KEYS: [&str; 7] = [
    "style",
    "token",
    "size",
    "items",
    "order",
    "cursorField",
    "idField",
];
const PAGE_KEYS: [&str; 7] = [
    "style", "page", "size", "items", "total", "exclude", "idField",
];

/// Every paginated operation of the spec, and every problem with its extension.
pub fn read(doc: &Value) -> (Vec<Listing>, Vec<Problem>) {
    let mut listings = Vec::new();
    let mut problems = Vec::new();
    for (pointer, name, op) in operations(doc) {
        let Some(extension) = op.get(EXTENSION) else {
            continue;
        };
        let at = format!("{pointer}/{EXTENSION}");
        let mut report = |key: &str, message: String| {
            let pointer = if key.is_empty() {
                at.clone()
            } else {
                format!("{at}/{}", escape(key))
            };
            problems.push(Problem::new(
                LintRule::PaginationExtension,
                pointer,
                format!("{name}: {EXTENSION}: {message}"),
            ));
        };
        if !pointer.ends_with("/get") {
            report("", "only GET operations can be paginated".into());
            continue;
        }
        if let Some(listing) = resolve(doc, op, extension, &mut report) {
            listings.push(listing);
        }
    }
    (listings, problems)
}

type Report<'a> = dyn FnMut(&str, String) + 'a;

fn resolve(doc: &Value, op: &Value, ext: &Value, report: &mut Report) -> Option<Listing> {
    let Some(map) = ext.as_object() else {
        report("", "must be a mapping".into());
        return None;
    };
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    let style_name = text("style");
    let known: &[&str] = match style_name.as_deref() {
        Some("cursor") => &CURSOR_KEYS,
        Some("page-number") => &PAGE_KEYS,
        other => {
            report(
                "style",
                format!("style {other:?} is not one of `cursor`, `page-number`"),
            );
            return None;
        }
    };
    for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
        report(key, format!("`{key}` is not a key of this style"));
    }
    let mut required = |key: &str| {
        let value = text(key);
        if value.is_none() {
            report(key, format!("`{key}` is missing (a string)"));
        }
        value
    };
    let (size, items, id_field) = (required("size"), required("items"), required("idField"));
    let style = if style_name.as_deref() == Some("cursor") {
        let (token, cursor_field, order) = (
            required("token"),
            required("cursorField"),
            required("order"),
        );
        if order.as_deref().is_some_and(|o| o != "newest-first") {
            report(
                "order",
                "only `newest-first` can be paged by a cursor of items created before it".into(),
            );
        }
        Style::Cursor {
            token: token?,
            cursor_field: cursor_field?,
        }
    } else {
        Style::PageNumber {
            page: required("page")?,
            total: text("total").map(|t| t.split('.').map(str::to_owned).collect()),
            exclude: text("exclude"),
        }
    };
    let (size, items, id_field) = (size?, items?, id_field?);

    // Parameters: the named ones with their types, and the rest as constructor arguments.
    let params = parameters(doc, op);
    let mut check_param =
        |key: &str, name: &str, want: &str, ok: &dyn Fn(&Value) -> bool| match params
            .iter()
            .find(|(n, _)| n == name)
        {
            None => report(key, format!("the operation has no parameter `{name}`")),
            Some((_, p)) if p.get("in").and_then(Value::as_str) != Some("query") => {
                report(key, format!("parameter `{name}` must be in the query"))
            }
            Some((_, p)) if !p.get("schema").is_some_and(|s| ok(resolve_ref(doc, s))) => {
                report(key, format!("parameter `{name}` must be {want}"))
            }
            _ => {}
        };
    let integer = |s: &Value| s.get("type").and_then(Value::as_str) == Some("integer");
    let string = |s: &Value| s.get("type").and_then(Value::as_str) == Some("string");
    let date_time =
        |s: &Value| string(s) && s.get("format").and_then(Value::as_str) == Some("date-time");
    check_param("size", &size, "an integer", &integer);
    let mut paging = vec![size.clone()];
    match &style {
        Style::Cursor { token, .. } => {
            check_param("token", token, "a string of format date-time", &date_time);
            // The first page is asked for without a token.
            if params.iter().any(|(n, p)| {
                n == token && p.get("required").and_then(Value::as_bool) == Some(true)
            }) {
                report(
                    "token",
                    format!("parameter `{token}` must be optional: the first page has no token"),
                );
            }
            paging.push(token.clone());
        }
        Style::PageNumber { page, exclude, .. } => {
            check_param("page", page, "an integer", &integer);
            paging.push(page.clone());
            if let Some(exclude) = exclude {
                check_param("exclude", exclude, "a string", &string);
                paging.push(exclude.clone());
            }
        }
    }
    let arguments = params
        .iter()
        .filter(|(name, _)| !paging.contains(name))
        .map(|(name, p)| Argument {
            name: name.clone(),
            in_path: p.get("in").and_then(Value::as_str) == Some("path"),
            required: p.get("required").and_then(Value::as_bool) == Some(true),
            description: p
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        })
        .collect();

    // The success body, the items path in it, and the item's fields.
    let Some((response, body)) = success_schema(doc, op) else {
        report(
            "items",
            "the success response has no JSON body that is a `$ref` to a component schema".into(),
        );
        return None;
    };
    let segments: Vec<&str> = items.split('.').collect();
    let arrays = segments.iter().filter(|s| s.ends_with("[]")).count();
    if arrays > 1 || segments.iter().any(|s| s.trim_end_matches("[]").is_empty()) {
        report(
            "items",
            format!("`{items}` is not `field.field[].field` with at most one `[]`"),
        );
        return None;
    }
    let split = segments
        .iter()
        .position(|s| s.ends_with("[]"))
        .unwrap_or(segments.len() - 1);
    let to_array: Vec<String> = segments[..=split]
        .iter()
        .map(|s| s.trim_end_matches("[]").to_owned())
        .collect();
    let in_element: Vec<String> = segments[split + 1..]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let Some((array, _)) = walk(doc, body, &to_array) else {
        report("items", format!("`{items}`: no such field in {response}"));
        return None;
    };
    let array = resolve_ref(doc, array);
    if array.get("type").and_then(Value::as_str) != Some("array") {
        report(
            "items",
            format!("`{}` in {response} is not an array", to_array.join(".")),
        );
        return None;
    }
    let element = array.get("items").unwrap_or(&Value::Null);
    let Some((item_schema, item)) = walk(doc, element, &in_element) else {
        report("items", format!("`{items}`: no such field in {response}"));
        return None;
    };
    let Some(item) = item else {
        report(
            "items",
            format!("`{items}` must end at a `$ref` to a component schema (a named type)"),
        );
        return None;
    };
    let item_schema = resolve_ref(doc, item_schema);
    let item_required = |field: &str| required_of(doc, item_schema).contains(&field.to_owned());
    let field_schema = |field: &str| property(doc, item_schema, field).map(|p| resolve_ref(doc, p));
    if !item_required(&id_field) || !field_schema(&id_field).is_some_and(string) {
        report(
            "idField",
            format!("`{id_field}` must be a required string property of {item}"),
        );
    }
    if let Style::Cursor { cursor_field, .. } = &style
        && !field_schema(cursor_field).is_some_and(date_time)
    {
        report(
            "cursorField",
            format!("`{cursor_field}` must be a date-time property of {item}"),
        );
    }
    if let Style::PageNumber {
        total: Some(total), ..
    } = &style
    {
        let found = walk(doc, body, total).map(|(s, _)| resolve_ref(doc, s));
        if !found.is_some_and(integer) {
            report(
                "total",
                format!(
                    "`{}` must be an integer field of {response}",
                    total.join(".")
                ),
            );
        }
    }
    let default_size = params
        .iter()
        .find(|(n, _)| *n == size)
        .and_then(|(_, p)| p.get("schema"))
        .map(|s| resolve_ref(doc, s))
        .map(|s| {
            let fallback = if matches!(style, Style::Cursor { .. }) {
                100
            } else {
                50
            };
            let max = s.get("maximum").and_then(Value::as_u64).unwrap_or(u64::MAX);
            s.get("default")
                .and_then(Value::as_u64)
                .unwrap_or(fallback.min(max))
        })
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(100);
    Some(Listing {
        operation_id: op.get("operationId").and_then(Value::as_str)?.to_owned(),
        summary: op
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        style,
        size,
        default_size,
        response,
        to_array,
        in_element,
        item,
        id_field,
        arguments,
    })
}
