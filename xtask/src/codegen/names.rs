//! Rust names from the spec's, as progenitor makes them.

/// `listContacts` -> `list_contacts`, `pageToken` -> `page_token`, as progenitor names them.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '-' || c == ' ' || c == '_' {
            out.push('_');
            previous_lower = false;
        } else if c.is_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            previous_lower = false;
        } else {
            out.push(c);
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// `listContacts` -> `ListContacts`.
pub fn pascal(name: &str) -> String {
    snake(name)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// `chatbotId` -> `chatbot id`, for error messages.
pub fn words(name: &str) -> String {
    snake(name).replace('_', " ")
}
