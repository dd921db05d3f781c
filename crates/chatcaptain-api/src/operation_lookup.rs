//! Finding an operation of the generated table (`operations::Operation`) by its method name or
//! by a request's method and path. Hand-written beside the table because none of it depends on
//! the spec: the generator writes only what the spec says (the variants, their methods, paths
//! and paging), and this reads it.

use std::fmt;

use crate::operations::Operation;

impl Operation {
    /// The operation whose generated `Client` method has this name (`list_contacts`).
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// The operation a request addresses, from its method and path alone (no query);
    /// a literal segment wins over a parameter (`/contacts/search` is not a contact
    /// id). `None` for a method or path the spec does not have.
    pub fn find(method: &str, path: &str) -> Option<Operation> {
        let path = path.strip_suffix('/').unwrap_or(path);
        Operation::ALL
            .iter()
            .filter(|op| op.method().eq_ignore_ascii_case(method))
            .filter_map(|op| Some((literal_segments(op.path(), path)?, *op)))
            .max_by_key(|(literals, _)| *literals)
            .map(|(_, op)| op)
    }
}

/// How many of `template`'s segments `path` matches literally, or `None` when it does not match
/// at all (another length, another literal, or an empty segment where a `{parameter}` stands).
fn literal_segments(template: &str, path: &str) -> Option<usize> {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    if template.len() != path.len() {
        return None;
    }
    let mut literals = 0;
    for (t, s) in template.iter().zip(&path) {
        let parameter = t.starts_with('{') && t.ends_with('}');
        match (parameter, t == s) {
            (true, _) if s.is_empty() => return None,
            (true, _) => {}
            (false, true) => literals += 1,
            (false, false) => return None,
        }
    }
    Some(literals)
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTACTS: &str = "/v1/chatbots/b1/contacts";

    #[test]
    fn a_literal_segment_wins_over_a_parameter() {
        let search = Operation::find("GET", &format!("{CONTACTS}/search"));
        assert_eq!(search, Some(Operation::SearchContacts));
        let get = Operation::find("get", &format!("{CONTACTS}/c1/"));
        assert_eq!(get, Some(Operation::GetContact));
    }

    #[test]
    fn a_request_the_spec_does_not_have_is_none() {
        for (method, path) in [
            ("GET", format!("{CONTACTS}//organizations")),
            ("PUT", CONTACTS.to_owned()),
            ("GET", format!("{CONTACTS}/c1/organizations/o1")),
            ("GET", "/v2/chatbots/b1/contacts".to_owned()),
        ] {
            assert_eq!(Operation::find(method, &path), None, "{method} {path}");
        }
    }

    #[test]
    fn every_operation_is_found_by_its_name_and_shown_by_its_id() {
        for op in Operation::ALL {
            assert_eq!(Operation::from_name(op.name()), Some(*op));
            assert_eq!(op.to_string(), op.id());
        }
        assert_eq!(Operation::from_name("listContacts"), None);
    }
}
