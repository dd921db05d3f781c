//! Text from contact data, made safe to show on a terminal.
//!
//! Names, e-mails and server messages come from chat end users and from the network. Printed
//! raw, an escape sequence in them recolours the terminal, rewrites its title, or worse; a
//! newline breaks a table row. Shown escaped, they are visible and inert.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1) and bidirectional override written out as
/// an escape (`\n`, `\t`, `\u{1b}`), so the terminal shows it instead of obeying it.
pub fn shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => safe.push_str("\\n"),
            '\r' => safe.push_str("\\r"),
            '\t' => safe.push_str("\\t"),
            c if needs_escape(c) => safe.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => safe.push(c),
        }
    }
    Cow::Owned(safe)
}

fn needs_escape(c: char) -> bool {
    // The bidi controls reorder what follows them on screen ("Trojan Source"), so a name could
    // pass for another; they are formatting characters, not controls, hence listed apart.
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn plain_text_is_left_alone() {
        assert!(matches!(
            shown("Zoë Müller <z@example.com>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escapes_newlines_and_controls_and_bidi_overrides() {
        assert_eq!(
            shown("a\nb\tc\u{1b}[0m\u{7f}\u{9b}\u{202e}"),
            "a\\nb\\tc\\u{1b}[0m\\u{7f}\\u{9b}\\u{202e}"
        );
    }
}
