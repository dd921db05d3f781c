//! The progress bar of long listings, on stderr, so it never mixes with the records.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// A bar counting records (`many`: `contacts`), with their rate; hidden when stderr is not a
/// terminal (a log file or CI must not fill up with redraws).
pub fn bar(limit: Option<usize>, many: &str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match limit {
        Some(n) => ProgressBar::new(n as u64).with_style(
            ProgressStyle::with_template(&format!(
                "{{bar:30}} {{human_pos}}/{{human_len}} {many} ({{rate}}, {{elapsed}})"
            ))
            .expect("the template is valid")
            .with_key("rate", rate),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {{human_pos}} {many} ({{rate}}, {{elapsed}})"
            ))
            .expect("the template is valid")
            .with_key("rate", rate),
        ),
    };
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Shows how many hits a search has in all (its `found`): the bar runs to that many, or to the
/// limit when it is lower.
pub fn found(bar: &ProgressBar, found: u64, limit: Option<usize>, many: &str) {
    let length = limit.map_or(found, |limit| found.min(limit as u64));
    bar.set_message(indicatif::HumanCount(found).to_string());
    bar.set_length(length);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:30}} {{human_pos}}/{{human_len}} {many} of {{msg}} hits ({{rate}}, {{elapsed}})"
        ))
        .expect("the template is valid")
        .with_key("rate", rate),
    );
    // Drawn now, not at the next tick: the count is news, and a short search may be over first.
    bar.force_draw();
}

/// Whole records per second: indicatif's own `{per_sec}` shows four decimals.
fn rate(state: &ProgressState, out: &mut dyn std::fmt::Write) {
    let _ = write!(out, "{:.0}/s", state.per_sec());
}
