//! The search probes: the count a search answers, a term likely to find more than one page,
//! and whether page 2 is page 2.

use chatcaptain::paging::Operation;
use chatcaptain::{Client, RawAnswer};
use serde_json::Value;

use super::probe::{probe, segments};
use super::report::{Report, excerpt};
use crate::resource::Resource;

/// The total count of a search answer (its `found`).
pub(super) fn found<R: Resource>(answer: &RawAnswer) -> Option<u64> {
    let total = <R::Search as Operation>::TOTAL?;
    answer.body.pointer(total)?.as_u64()
}

/// The e-mail domain most of the listed records share (at least two of them), a term likely to
/// find more than one page of hits. A parent domain counts too (`example.com` for
/// `info@acme.example.com`): organizations seldom share a whole one.
pub(super) fn shared_term(items: &[Value]) -> Option<String> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for record in items {
        if let Some((_, domain)) = record["email"].as_str().and_then(|e| e.rsplit_once('@')) {
            let domain = domain.to_lowercase();
            let labels: Vec<&str> = domain.split('.').collect();
            // Down to two labels: `com` alone is no term.
            for start in 0..labels.len().saturating_sub(1).max(1) {
                *counts.entry(labels[start..].join(".")).or_default() += 1;
            }
        }
    }
    let (term, count) = counts.into_iter().max_by_key(|(_, count)| *count)?;
    (count >= 2).then_some(term)
}

/// The ids of the hits of a search answer, in order.
pub(super) fn hit_ids<R: Resource>(answer: &RawAnswer) -> Vec<String> {
    let item = <R::Search as Operation>::ITEM_IN_ELEMENT;
    answer
        .body
        .pointer(<R::Search as Operation>::ITEMS)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|hit| Some(hit.pointer(item)?["id"].as_str()?.to_owned()))
        .collect()
}

/// Page 2 of the search: a server that ignores `page` answers page 1 again, and a listing of
/// the hits would repeat them for ever (or, counting on `found`, stop with the rest missing).
pub(super) async fn search_paging<R: Resource>(
    client: &Client,
    bot: &str,
    (query, first): (&str, &RawAnswer),
    fallback: Option<String>,
    report: &mut Report,
) -> anyhow::Result<()> {
    let operation = <R::Search as Operation>::OPERATION.id();
    let guess = &format!("{operation} paging");
    if !first.status.is_success() {
        report.not_checked(guess, format!("page 1 was answered {}", first.status));
        return Ok(());
    }
    let search = segments(<R::Search as Operation>::OPERATION, bot);
    let mut query = query.to_owned();
    let mut first = first.clone();
    let found_of = |answer: &RawAnswer| found::<R>(answer).unwrap_or(0);
    if let Some(term) = fallback.filter(|term| *term != query)
        && found_of(&first) < 2
    {
        let answer = probe(
            client,
            &search,
            &[
                ("query", term.clone()),
                ("page", "1".into()),
                ("pageSize", "10".into()),
            ],
        )
        .await?;
        if answer.status.is_success() && found_of(&answer) >= 2 {
            report.say(format!(
                "  search paging is probed with query={term:?} ({} hits)",
                found_of(&answer)
            ));
            (query, first) = (term, answer);
        }
    }
    let found = found_of(&first);
    let page_one = hit_ids::<R>(&first);
    if found < 2 || page_one.is_empty() {
        report.not_checked(
            guess,
            format!(
                "the query {query:?} has {found} hit(s), and page 2 needs 2 or more (give --query \
                 a term more {} match)",
                R::MANY
            ),
        );
        return Ok(());
    }
    // Pages of 10 when there are more than 10 hits, else pages of 1: page 2 is never empty.
    let size = if found > 10 { 10 } else { 1 };
    let before: Vec<&String> = page_one.iter().take(size).collect();
    let answer = probe(
        client,
        &search,
        &[
            ("query", query.clone()),
            ("page", "2".into()),
            ("pageSize", size.to_string()),
        ],
    )
    .await?;
    if !answer.status.is_success() {
        report.not_checked(
            guess,
            format!(
                "page 2 was answered {} ({})",
                answer.status,
                excerpt(&answer.body.to_string())
            ),
        );
        return Ok(());
    }
    let page_two = hit_ids::<R>(&answer);
    let repeated: Vec<&String> = page_two.iter().filter(|id| before.contains(id)).collect();
    if page_two.is_empty() {
        report.differ(
            operation,
            format!(
                "page=2 with pageSize={size} returned no hits although `found` is {found}: the \
                 spec assumes `page` pages through the hits"
            ),
        );
    } else if !repeated.is_empty() {
        report.differ(
            operation,
            format!(
                "page=2 with pageSize={size} returned hits of page 1 again ({}): the server \
                 ignores `page`, the spec assumes it pages through the hits",
                repeated
                    .iter()
                    .map(|id| id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    } else {
        report.say(format!(
            "  fact: page 2 (pageSize={size}) continues page 1, as the spec assumes"
        ));
    }
    Ok(())
}
