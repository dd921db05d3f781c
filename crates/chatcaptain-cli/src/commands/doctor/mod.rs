//! `doctor`: asks the API read-only questions and checks every answer against the spec.
//!
//! The spec is partly guesswork (the reference documents no response bodies, no page-size
//! maximum, no order, no timestamp precision). With a real key, this turns the guesses into
//! facts in a minute: one page of the list, one page of search, then get and organizations of one
//! listed contact; the same list and search probes for the organizations. Each raw answer is
//! validated against the spec's schema for its status, and what each list shows of order,
//! precision, `limit` and `pageToken` is reported. Nothing is written to the account.
//!
//! A check that could not run (no contacts to look at, too few search hits for a second page, a
//! probe the server failed) is reported as not checked, never as a match: the run then exits
//! [`UNCHECKED`](crate::exit::UNCHECKED) unless something differs. A refused key (401) or one
//! that may not read the chatbot (403; the API answers a mistyped chatbot id so) is neither: the
//! run stops with [`AUTH`](crate::exit::AUTH), as every command does.
//!
//! The probes of a resource are written once over [`Resource`]: its operations, their paths and
//! where an answer keeps its items and its count come from the generated listings.

use chatcaptain::paging::Operation;
use chatcaptain::{Client, Contact, Organization};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::cli::DoctorArgs;
use crate::exit::{Differences, Outcome, Refused, Unchecked};
use crate::resource::Resource;
use crate::terminal::shown;

mod list_facts;
mod probe;
mod report;
mod search;

use list_facts::list_facts;
use probe::{probe, segments};
use report::Report;
use search::{found, hit_ids, search_paging, shared_term};

pub async fn run(client: &Client, args: &DoctorArgs) -> anyhow::Result<Outcome> {
    let bot = args.chatbot.id();
    let mut report = Report::default();
    report.say(format!(
        "chatcaptain doctor: {} chatbot {bot} (read-only: list, search, get, organizations; \
         list and search of organizations)",
        client.base_url()
    ));

    if let Err(error) = probe_all(client, bot, args, &mut report).await {
        // A refused key: what was checked before it, then the error line (exit 3).
        if error.is::<Refused>() {
            for line in &report.lines {
                println!("{}", shown(line));
            }
        }
        return Err(error);
    }

    // Support tickets need the server's id of a request: which header carries it.
    match report.request_id_header {
        Some(Some(header)) => report.say(format!(
            "fact: the API names each request in `{header}` (shown in error lines as \
             \"request id\")"
        )),
        Some(None) => report.say(format!(
            "fact: the API's answers carry no request id (none of {}, traceparent)",
            chatcaptain::REQUEST_ID_HEADERS.join(", ")
        )),
        None => {}
    }
    let verdict = match (report.differences, report.unchecked) {
        (0, 0) => "the API matches the spec".to_owned(),
        (0, u) => format!("no difference from the spec, but {u} check(s) could not be made"),
        (d, 0) => format!("{d} difference(s) from the spec"),
        (d, u) => format!("{d} difference(s) from the spec; {u} check(s) could not be made"),
    };
    report.say(format!("summary: {verdict}"));
    for line in &report.lines {
        println!("{}", shown(line));
    }
    if report.differences > 0 {
        return Err(Differences(report.differences).into());
    }
    if report.unchecked > 0 {
        return Err(Unchecked(report.unchecked).into());
    }
    Ok(Outcome::Done)
}

/// The probes, each answer checked into `report`.
async fn probe_all(
    client: &Client,
    bot: &str,
    args: &DoctorArgs,
    report: &mut Report,
) -> anyhow::Result<()> {
    // 1, 2. One page of the contacts' list, one of their search.
    let items = listing::<Contact>(client, bot, args, report).await?;

    // 3, 4. One listed contact, and its organizations.
    match items.first().and_then(|c| c["id"].as_str()) {
        Some(id) => {
            let one = ["v1", "chatbots", bot, "contacts", id];
            let get = probe(client, &one, &[]).await?;
            report.check("getContact", &format!("id {id}"), &get);
            let organizations = [&one[..], &["organizations"]].concat();
            let answer = probe(client, &organizations, &[]).await?;
            report.check("listContactOrganizations", &format!("id {id}"), &answer);
        }
        None => {
            let why = "the list gave no contact to ask about".to_owned();
            report.not_checked("getContact", why.clone());
            report.not_checked("listContactOrganizations", why);
        }
    }

    // 5, 6. The same of the organizations.
    listing::<Organization>(client, bot, args, report).await?;
    Ok(())
}

/// One page of `R`'s list, checked, with what it shows of the cursor's guesses, and one page of
/// its search with its paging; the listed records, for the probes that follow.
async fn listing<R: Resource>(
    client: &Client,
    bot: &str,
    args: &DoctorArgs,
    report: &mut Report,
) -> anyhow::Result<Vec<Value>> {
    let operation = <R::List as Operation>::OPERATION;
    let path = segments(operation, bot);
    let limit = args.limit;
    let list = probe(client, &path, &[("limit", limit.to_string())]).await?;
    report.check(operation.id(), &format!("limit={limit}"), &list);
    let items: Vec<Value> = list
        .body
        .pointer(<R::List as Operation>::ITEMS)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let created: Vec<DateTime<Utc>> = items
        .iter()
        .filter_map(|c| c["created"].as_str()?.parse().ok())
        .collect();
    report.say(format!(
        "  fact: a limit of {limit} returned {} {}",
        items.len(),
        R::MANY
    ));
    list_facts::<R>(client, &path, limit, &items, &created, report).await?;

    // A term the first listed record matches.
    let query = args.query.clone().unwrap_or_else(|| {
        items
            .first()
            .and_then(|c| c["name"].as_str().or(c["id"].as_str()))
            .unwrap_or("a")
            .to_owned()
    });
    let operation = <R::Search as Operation>::OPERATION;
    let search = probe(
        client,
        &segments(operation, bot),
        &[
            ("query", query.clone()),
            ("page", "1".into()),
            ("pageSize", "10".into()),
        ],
    )
    .await?;
    report.check(
        operation.id(),
        &format!("query={query:?}, pageSize=10"),
        &search,
    );
    if let Some(found) = found::<R>(&search) {
        let hits = hit_ids::<R>(&search).len();
        report.say(format!("  fact: found {found}, {hits} hits on page 1"));
    }
    // Without --query, a term the listed records share stands in when the name has too few hits.
    let fallback = match &args.query {
        None => shared_term(&items),
        Some(_) => None,
    };
    search_paging::<R>(client, bot, (&query, &search), fallback, report).await?;
    Ok(items)
}
