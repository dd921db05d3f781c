//! A request body as flags, one per property of its schema in the spec: `--phone-number` for
//! `phoneNumber`, its help the first sentence of the property's description, its value typed as
//! the schema types it, required where the schema requires it (unless `--from-file` gives the
//! fields). A property added to the spec is a flag, in help and completions, with no edit here.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::builder::{BoolValueParser, StringValueParser, TypedValueParser};
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use serde_json::{Map, Value};

use crate::exit::Usage;
use crate::resource::Creatable;

const FROM_FILE: &str = "from_file";

/// The fields of a new `R`, as given on the command line.
#[derive(Debug)]
pub struct BodyFlags<R> {
    /// The fields given as flags, under their names in the spec.
    flags: Map<String, Value>,
    from_file: Option<PathBuf>,
    _resource: PhantomData<R>,
}

/// The schema of `R`'s new record in the bundled spec.
fn schema<R: Creatable>() -> &'static Value {
    &chatcaptain_spec::bundled().document()["components"]["schemas"][R::NEW]
}

/// The schema's properties, in the spec's order, with whether each is required.
fn properties<R: Creatable>() -> impl Iterator<Item = (&'static str, &'static Value, bool)> {
    let schema = schema::<R>();
    let required = schema["required"].as_array();
    R::NEW_FIELDS.iter().map(move |&name| {
        let needed = required.is_some_and(|r| r.iter().any(|n| n == name));
        (name, &schema["properties"][name], needed)
    })
}

/// `phoneNumber` as a flag: `phone-number`.
fn kebab(name: &str) -> String {
    let mut flag = String::new();
    for c in name.chars() {
        if c.is_uppercase() {
            flag.push('-');
        }
        flag.extend(c.to_lowercase());
    }
    flag
}

/// The first sentence of a description: a flag's help is one line.
fn summary(description: &str) -> String {
    let end = description.find(". ").map_or(description.len(), |i| i + 1);
    description[..end].trim_end_matches('.').to_owned()
}

// A property named as another flag of the command (`output`) would clash: clap's debug checks
// (`command_line_definition_is_consistent`) fail on it before any release.
impl<R: Creatable> Args for BodyFlags<R> {
    fn augment_args(mut command: Command) -> Command {
        let names: Vec<&str> = properties::<R>().map(|(name, ..)| name).collect();
        command = command.arg(
            Arg::new(FROM_FILE)
                .long("from-file")
                .value_name("PATH")
                .value_parser(clap::value_parser!(PathBuf))
                .help(format!(
                    "Read fields from this JSON object (API field names: {}); a flag overrides the \
                     same field in the file",
                    names.join(", ")
                )),
        );
        for (name, property, required) in properties::<R>() {
            let flag = kebab(name);
            let mut arg = Arg::new(name)
                .long(flag.clone())
                .value_name(flag.to_uppercase().replace('-', "_"))
                .help(summary(
                    property["description"].as_str().unwrap_or_default(),
                ));
            arg = match property["type"].as_str() {
                Some("integer") => arg.value_parser(clap::value_parser!(i64).map(Value::from)),
                Some("number") => arg.value_parser(|s: &str| s.parse::<f64>().map(Value::from)),
                Some("boolean") => arg.value_parser(BoolValueParser::new().map(Value::from)),
                _ => arg.value_parser(StringValueParser::new().map(Value::from)),
            };
            if required {
                arg = arg.required_unless_present(FROM_FILE);
            }
            command = command.arg(arg);
        }
        command
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl<R: Creatable> FromArgMatches for BodyFlags<R> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let flags = properties::<R>()
            .filter_map(|(name, ..)| {
                let value = matches.get_one::<Value>(name)?;
                Some((name.to_owned(), value.clone()))
            })
            .collect();
        Ok(BodyFlags {
            flags,
            from_file: matches.get_one::<PathBuf>(FROM_FILE).cloned(),
            _resource: PhantomData,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<R: Creatable> BodyFlags<R> {
    /// The body: the file's fields, then each flag on top, checked against the schema.
    pub fn body(&self) -> anyhow::Result<R::New> {
        let mut object = match &self.from_file {
            Some(path) => read::<R>(path)?,
            None => Map::new(),
        };
        object.extend(self.flags.clone());
        let object = Value::Object(object);
        if let Err(errors) = chatcaptain_spec::bundled().validate_component(R::NEW, &object) {
            return Err(Usage(format!("not a valid {} ({})", R::ONE, errors.join("; "))).into());
        }
        serde_json::from_value(object)
            .map_err(|e| Usage(format!("not a valid {}: {e}", R::ONE)).into())
    }
}

/// The fields of a `--from-file`: unknown ones refused, the record's read-only ones (its id, its
/// times) dropped, so that a record printed with `-o json` can be edited and fed back.
fn read<R: Creatable>(path: &Path) -> anyhow::Result<Map<String, Value>> {
    let name = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
    let mut object: Map<String, Value> =
        serde_json::from_str(&text).map_err(|e| Usage(format!("{name}: {e}")))?;
    let known: Vec<&str> = properties::<R>().map(|(name, ..)| name).collect();
    if let Some(unknown) = object
        .keys()
        .find(|k| !known.contains(&k.as_str()) && !R::FIELDS.contains(&k.as_str()))
    {
        return Err(Usage(format!(
            "{name}: unknown field {unknown:?} (known: {})",
            known.join(", ")
        ))
        .into());
    }
    object.retain(|k, _| known.contains(&k.as_str()));
    Ok(object)
}
