//! Turning `--name`-style flags and a `--from-file` JSON object into request bodies.

use std::path::Path;

use anyhow::Context;
use chatcaptain::api::fields;
use chatcaptain::api::types::{ContactUpdate as Body, NewContact as NewBody};
use chatcaptain::{ContactUpdate, NewContact};

use crate::cli::Fields;
use crate::exit::Usage;

/// Fields a file may hold (the spec's `ContactUpdate`); anything else is a typo worth reporting
/// rather than dropping.
const KNOWN: &[&str] = fields::CONTACT_UPDATE;

/// Read-only fields (a contact's that no update sets: its id and times), accepted and ignored so
/// that the output of `get --output json` can be edited and fed back to `update --from-file`.
fn read_only(key: &str) -> bool {
    fields::CONTACT.contains(&key) && !KNOWN.contains(&key)
}

/// The file's fields, then each flag given on top.
fn merged(fields: &Fields) -> anyhow::Result<Body> {
    let mut body = match &fields.from_file {
        Some(path) => read(path)?,
        None => Body::default(),
    };
    let flags = [
        (&fields.language, &mut body.language),
        (&fields.name, &mut body.name),
        (&fields.email, &mut body.email),
        (&fields.phone_number, &mut body.phone_number),
        (&fields.whatsapp_id, &mut body.whatsapp_id),
        (&fields.web_id, &mut body.web_id),
        (&fields.instagram_id, &mut body.instagram_id),
        (&fields.facebook_id, &mut body.facebook_id),
        (&fields.telegram_id, &mut body.telegram_id),
        (&fields.provider_id, &mut body.provider_id),
        (&fields.avatar, &mut body.avatar),
    ];
    for (flag, field) in flags {
        if let Some(value) = flag {
            *field = Some(value.clone());
        }
    }
    Ok(body)
}

fn read(path: &Path) -> anyhow::Result<Body> {
    let name = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| Usage(format!("{name}: {e}")))?;
    Ok(body_of(object).map_err(|e| Usage(format!("{name}: {e}")))?)
}

/// The fields of one JSON object (a `--from-file`, a record to import): read-only fields are
/// dropped, unknown ones refused.
pub fn body_of(mut object: serde_json::Map<String, serde_json::Value>) -> Result<Body, String> {
    if let Some(unknown) = object
        .keys()
        .find(|k| !KNOWN.contains(&k.as_str()) && !read_only(k))
    {
        return Err(format!(
            "unknown field {unknown:?} (known: {})",
            KNOWN.join(", ")
        ));
    }
    object.retain(|k, _| !read_only(k));
    serde_json::from_value(object.into()).map_err(|e| e.to_string())
}

/// A contact to create from `body`, and the update that sets what create cannot (address,
/// variables, organizations), if the body has any.
pub fn to_create(body: Body) -> Result<(NewContact, Option<ContactUpdate>), String> {
    if body.language.is_none() {
        return Err("no language: a contact needs one to be created".into());
    }
    // Every field the spec gives `NewContact`, through JSON: no list of them here.
    let mut object = serde_json::to_value(&body).map_err(|e| e.to_string())?;
    if let Some(object) = object.as_object_mut() {
        object.retain(|k, _| fields::NEW_CONTACT.contains(&k.as_str()));
    }
    let new: NewBody = serde_json::from_value(object).map_err(|e| e.to_string())?;
    let mut rest = ContactUpdate::new();
    let mut any = false;
    if let Some(address) = body.address {
        rest = rest.address(address);
        any = true;
    }
    if let Some(variables) = body.variables.filter(|v| !v.is_empty()) {
        rest = rest.variables(variables);
        any = true;
    }
    if let Some(ids) = body.organization_ids.filter(|o| !o.is_empty()) {
        rest = rest.organization_ids(ids);
        any = true;
    }
    Ok((NewContact::from(new), any.then_some(rest)))
}

/// The body of `contacts create`.
pub fn new_contact(fields: &Fields) -> anyhow::Result<NewContact> {
    let body = merged(fields)?;
    let has_variables = body.variables.as_ref().is_some_and(|v| !v.is_empty());
    let has_organizations = body
        .organization_ids
        .as_ref()
        .is_some_and(|o| !o.is_empty());
    if body.address.is_some() || has_variables || has_organizations {
        return Err(Usage(
            "create cannot set address, variables or organizationIds (the API takes them only \
             on update): create the contact, then update it"
                .into(),
        )
        .into());
    }
    if body.language.is_none() {
        return Err(Usage("create needs a language: --language EN, or in the file".into()).into());
    }
    let (contact, _) = to_create(body).map_err(Usage)?;
    Ok(contact)
}

/// The body of `contacts update`, refusing one that would change nothing.
pub fn update(
    fields: &Fields,
    vars: &[(String, String)],
    organization_ids: &[String],
) -> anyhow::Result<ContactUpdate> {
    let mut body = merged(fields)?;
    if !organization_ids.is_empty() {
        body.organization_ids = Some(organization_ids.to_vec());
    }
    if body == Body::default() && vars.is_empty() {
        return Err(Usage(
            "nothing to update: give a field flag (--name, --email, ...), --var, \
             --organization-id or --from-file"
                .into(),
        )
        .into());
    }
    // The whole body, whatever fields the spec gives it. An empty list or map from the file is
    // kept: it is how a file clears them.
    let mut update = ContactUpdate::from(body);
    // Without a map from the file, each --var is merged into the stored variables (the library
    // reads them first); with one, it is added to that map, which replaces the stored one.
    for (key, value) in vars {
        update = update.variable(key, value);
    }
    Ok(update)
}
