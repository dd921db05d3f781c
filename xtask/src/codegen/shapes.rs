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

#[derive(Debug, Clone)]
pub struct Field {
    pub ident: syn::Ident,
    pub shape: Shape,
}

/// The structs of the generated `types` module by name, each with its fields by JSON name, and
/// the name of every function in the file (client methods, builder setters).
pub struct Shapes {
    structs: BTreeMap<String, BTreeMap<String, Field>>,
    functions: BTreeSet<String>,
}

impl Shapes {
    pub fn read(file: &syn::File) -> Shapes {
        let mut shapes = Shapes {
            structs: BTreeMap::new(),
            functions: BTreeSet::new(),
        };
        shapes.walk(&file.items, false);
        shapes
    }

    fn walk(&mut self, items: &[syn::Item], in_types: bool) {
        for item in items {
            match item {
                syn::Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.walk(inner, m.ident == "types");
                    }
                }
                syn::Item::Struct(s) if in_types => {
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
