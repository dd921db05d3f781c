//! What one page of a list shows of the guesses the cursor depends on: order, precision,
//! `limit` and `pageToken`.

use chatcaptain::Client;
use chatcaptain::paging::Operation;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use super::probe::probe;
use super::report::Report;
use crate::resource::Resource;

/// The units a timestamp can show, finest last, with their length in nanoseconds.
const UNITS: [(&str, i64); 4] = [
    ("seconds", 1_000_000_000),
    ("milliseconds", 1_000_000),
    ("microseconds", 1_000),
    ("nanoseconds", 1),
];

/// The index in [`UNITS`] of the finest unit `at` shows.
fn precision(at: &DateTime<Utc>) -> usize {
    let fraction = i64::from(at.timestamp_subsec_nanos());
    UNITS
        .iter()
        .position(|(_, ns)| fraction % ns == 0)
        .unwrap_or(UNITS.len() - 1)
}

/// What one page of `R`'s list shows of the guesses the cursor depends on.
pub(super) async fn list_facts<R: Resource>(
    client: &Client,
    path: &[&str],
    limit: u32,
    items: &[Value],
    created: &[DateTime<Utc>],
    report: &mut Report,
) -> anyhow::Result<()> {
    let operation = <R::List as Operation>::OPERATION.id();
    let pointer = <R::List as Operation>::ITEMS;
    let (one, many) = (R::ONE, R::MANY);
    let (Some(newest), Some(oldest)) = (created.first(), created.last()) else {
        let why = format!("the list gave no {one} with a `created` to look at");
        for guess in [
            "order",
            "timestamp precision",
            "pageToken strictly before",
            "pageToken precision",
            "the end of the list (limit cap)",
        ] {
            report.not_checked(guess, why.clone());
        }
        return Ok(());
    };
    match created.windows(2).position(|w| w[1] > w[0]) {
        None if created.len() < 2 => report.not_checked(
            "order",
            format!("the list gave one {one}, and an order needs two"),
        ),
        None => report.say("  fact: order: newest first, as the spec assumes".into()),
        Some(i) => report.differ(
            operation,
            format!(
                "order: not newest first ({one} {} created {} comes after one created {}); the spec assumes newest first",
                items[i + 1]["id"], created[i + 1].to_rfc3339(), created[i].to_rfc3339()
            ),
        ),
    }
    let finest = created.iter().map(precision).max().unwrap_or(0);
    let unit = UNITS[finest].0;
    report.say(format!(
        "  fact: timestamps show {unit} (the finest unit of any `created`)"
    ));
    let ties = created.windows(2).filter(|w| w[0] == w[1]).count();
    report.say(format!(
        "  fact: {ties} {one}(s) share a `created` with the one before"
    ));

    // A token at the newest contact's own instant: a strict server leaves it out.
    let at = newest.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    let same = probe(
        client,
        path,
        &[("limit", "5".into()), ("pageToken", at.clone())],
    )
    .await?;
    if let Some(page) = report.probed("pageToken strictly before", &same, pointer) {
        let again = page.iter().any(|c| {
            c["created"]
                .as_str()
                .and_then(|t| t.parse::<DateTime<Utc>>().ok())
                == Some(*newest)
        });
        if again {
            report.differ(
                operation,
                format!("pageToken={at} returned {many} created at {at}: the token includes its instant; the spec assumes strictly before"),
            );
        } else {
            report.say(
                "  fact: pageToken is exclusive (strictly before), as the spec assumes".into(),
            );
        }
    }

    // A token one unit past a contact that shows the finest unit: a server that reads it as
    // sent answers that contact first; one that reads only its whole seconds leaves it out.
    let sample = created.iter().find(|c| precision(c) == finest);
    match sample {
        Some(sample) if finest > 0 => {
            let token = (*sample + TimeDelta::nanoseconds(UNITS[finest].1))
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            let answer = probe(
                client,
                path, &[("limit", "1".into()), ("pageToken", token.clone())])
                .await?;
            if let Some(page) = report.probed("pageToken precision", &answer, pointer) {
                let first = page
                    .first()
                    .and_then(|c| c["created"].as_str()?.parse::<DateTime<Utc>>().ok());
                if first == Some(*sample) {
                    report.say("  fact: pageToken is read as finely as it is sent".into());
                } else {
                    report.differ(
                        operation,
                        format!(
                            "pageToken={token} did not return the {one} created at {}: the server reads a token coarser than its timestamps; listings then round their tokens up to whole seconds",
                            sample.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                        ),
                    );
                }
            }
        }
        _ => report.say(
            "  fact: every `created` is a whole second, so a pageToken read in whole seconds loses nothing".into(),
        ),
    }

    // A short page: the end, or a cap below the limit asked for?
    if items.len() < limit as usize {
        let at = oldest.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        let next = probe(client, path, &[("limit", "1".into()), ("pageToken", at)]).await?;
        let Some(page) = report.probed("the end of the list (limit cap)", &next, pointer) else {
            return Ok(());
        };
        if !page.is_empty() {
            report.differ(
                operation,
                format!(
                    "a limit of {limit} returned {} {many} although older ones exist: the server caps `limit` at {}, the spec assumes a maximum of 1000",
                    items.len(),
                    items.len()
                ),
            );
        } else {
            report.say("  fact: the short page was the end of the list".into());
        }
    }
    Ok(())
}
