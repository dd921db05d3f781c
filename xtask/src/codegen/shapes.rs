//! What progenitor generated, read back from its syntax tree: the Rust field behind each JSON
//! property and whether it is an `Option`, a `Vec` or a plain type. The glue is written against
//! these, so it follows typify's choices instead of guessing them from the schema.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow, bail};
use quote::ToTokens;

/// The shape of a field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Optional(Box<Shape>),
    Array(Box<Shape>),
    /// A named type: a generated struct, `String`, an integer, `DateTime`.
    Named(String),
}

impl Shape {
    /// Whether the field may be absent (`Option<..>`).
    pub fn optional(&self) -> bool {
        matches!(self, Shape::Optional(_))
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub ident: syn::Ident,
    pub shape: Shape,
}

/// The structs of the generated `types` module by name, each with its fields by JSON name, the
/// type of each operation builder's fields (its parameters), and the name of every function in
/// the file (client methods, builder setters).
pub struct Shapes {
    structs: BTreeMap<String, BTreeMap<String, Field>>,
    builders: BTreeMap<String, BTreeMap<String, syn::Type>>,
    functions: BTreeSet<String>,
}

impl Shapes {
    pub fn read(file: &syn::File) -> Shapes {
        let mut shapes = Shapes {
            structs: BTreeMap::new(),
            builders: BTreeMap::new(),
            functions: BTreeSet::new(),
        };
        shapes.walk(&file.items, "");
        shapes
    }

    /// `module` is the path of the module the items are in (`types`, `builder`, `types::builder`).
    fn walk(&mut self, items: &[syn::Item], module: &str) {
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        let path = match module {
                            "" => m.ident.to_string(),
                            outer => format!("{outer}::{}", m.ident),
                        };
                        self.walk(inner, &path);
                    }
                }
                syn::Item::Struct(s) if module == "builder" => {
                    // `field: Result<T, String>`, or `Result<Option<T>, String>` when optional.
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), ok_type(&f.ty)?)))
                        .collect();
                    self.builders.insert(s.ident.to_string(), fields);
                }
                syn::Item::Struct(s) if module == "types" => {
                    let fields = s
                        .fields
                        .iter()
                        .filter_map(|f| {
                            let ident = f.ident.clone()?;
                            let json = rename(f).unwrap_or_else(|| {
                                ident.to_string().trim_start_matches("r#").to_owned()
                            });
                            Some((
                                json,
                                Field {
                                    ident,
                                    shape: shape(&f.ty),
                                },
                            ))
                        })
                        .collect();
                    self.structs.insert(s.ident.to_string(), fields);
                }
                syn::Item::Impl(i) => {
                    for item in &i.items {
                        if let syn::ImplItem::Fn(f) = item {
                            self.functions.insert(f.sig.ident.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The field behind JSON property `json` of generated struct `name`.
    pub fn field(&self, name: &str, json: &str) -> Result<&Field> {
        let fields = self
            .structs
            .get(name)
            .ok_or_else(|| anyhow!("progenitor generated no struct `types::{name}`"))?;
        fields
            .get(json)
            .ok_or_else(|| anyhow!("generated struct `types::{name}` has no field for `{json}`"))
    }

    /// The type of parameter `field` of operation `builder` (`ListContacts`), without the
    /// `Option` of an optional one: `types::Kind`, `String`.
    pub fn parameter(&self, builder: &str, field: &str) -> Result<syn::Type> {
        let ty = self
            .builders
            .get(builder)
            .ok_or_else(|| anyhow!("progenitor generated no builder `builder::{builder}`"))?
            .get(field)
            .ok_or_else(|| anyhow!("builder `builder::{builder}` has no field `{field}`"))?;
        let ty = generic_argument(ty, "Option").unwrap_or(ty);
        // Read as it is written by hand everywhere else in the crate.
        Ok(match is_string(ty) {
            true => syn::parse_quote!(String),
            false => ty.clone(),
        })
    }

    pub fn has_struct(&self, name: &str) -> bool {
        self.structs.contains_key(name)
    }

    /// Fails unless progenitor generated a function of this name (a method or setter the glue calls).
    pub fn require_function(&self, name: &str, what: &str) -> Result<()> {
        if self.functions.contains(name) {
            Ok(())
        } else {
            bail!("progenitor generated no `{name}` ({what})")
        }
    }
}

/// `#[serde(rename = "x")]` on a field.
fn rename(field: &syn::Field) -> Option<String> {
    field.attrs.iter().find_map(|attr| {
        let text = attr.to_token_stream().to_string();
        let start = text.find("rename = \"")? + "rename = \"".len();
        let end = text[start..].find('"')?;
        Some(text[start..start + end].to_owned())
    })
}

/// `String`, however it is spelled.
pub fn is_string(ty: &syn::Type) -> bool {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    ["::std::string::String", "std::string::String", "String"].contains(&text.as_str())
}

/// `T` of `Result<T, _>`.
fn ok_type(ty: &syn::Type) -> Option<syn::Type> {
    generic_argument(ty, "Result").cloned()
}

/// The first type argument of `ty` when its last segment is `name` (`Option<T>` -> `T`).
fn generic_argument<'a>(ty: &'a syn::Type, name: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last().filter(|l| l.ident == name)?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

fn shape(ty: &syn::Type) -> Shape {
    let syn::Type::Path(path) = ty else {
        return Shape::Named(ty.to_token_stream().to_string());
    };
    let Some(last) = path.path.segments.last() else {
        return Shape::Named(String::new());
    };
    let inner = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    match (last.ident.to_string().as_str(), inner) {
        ("Option", Some(inner)) => Shape::Optional(Box::new(shape(inner))),
        ("Vec", Some(inner)) => Shape::Array(Box::new(shape(inner))),
        (name, _) => Shape::Named(name.to_owned()),
    }
}
