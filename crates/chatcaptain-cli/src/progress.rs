//! The progress bar of long listings, on stderr, so it never mixes with the records.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting contacts, with their rate; hidden when stderr is not a terminal (a log file
/// or CI must not fill up with redraws).
pub fn contacts(limit: Option<usize>) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match limit {
        Some(n) => ProgressBar::new(n as u64).with_style(
            ProgressStyle::with_template(
                "{bar:30} {human_pos}/{human_len} contacts ({per_sec}, {elapsed})",
            )
            .expect("the template is valid"),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {human_pos} contacts ({per_sec}, {elapsed})")
                .expect("the template is valid"),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
