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
use chatcaptain::{Client, Contact, Organization, RawAnswer};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use crate::cli::DoctorArgs;
use crate::exit::Outcome;
use crate::resource::Resource;
use crate::terminal::shown;

/// What one check found.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    differences: usize,
    unchecked: usize,
    /// The header the first checked answer carried the server's request id in (`Some(None)`:
    /// none), once an answer was checked.
    request_id_header: Option<Option<&'static str>>,
}

impl Report {
    fn say(&mut self, line: String) {
        self.lines.push(line);
    }

    fn differ(&mut self, operation: &str, line: String) {
        self.differences += 1;
        self.lines.push(format!("  DIFFERS {operation}: {line}"));
    }

    /// A guess this run could not check, and why.
    fn not_checked(&mut self, guess: &str, why: String) {
        self.unchecked += 1;
        self.lines.push(format!("  NOT CHECKED {guess}: {why}"));
    }

    /// The page of records (at the JSON pointer `items`) a probe of `guess` got, or `None`
    /// (reported as not checked) when the server did not answer it with one.
    fn probed(&mut self, guess: &str, answer: &RawAnswer, items: &str) -> Option<Vec<Value>> {
        match answer.body.pointer(items).and_then(Value::as_array) {
            Some(page) if answer.status.is_success() => Some(page.clone()),
            _ => {
                self.not_checked(
                    guess,
                    format!(
                        "its probe was answered {} ({})",
                        answer.status,
                        excerpt(&answer.body.to_string())
                    ),
                );
                None
            }
        }
    }

    /// Validates one answer against the spec's schema for its operation and status.
    fn check(&mut self, operation: &str, asked: &str, answer: &RawAnswer) -> bool {
        self.request_id_header
            .get_or_insert_with(|| answer.request_id_with_header().map(|(header, _)| header));
        let status = answer.status.as_u16();
        self.say(format!("{operation} ({asked}): {}", answer.status));
        if !answer.status.is_success() {
            let why = format!(
                "answered {} ({}), so its success shape could not be checked",
                answer.status,
                excerpt(&answer.body.to_string())
            );
            // A server error or a rate limit says nothing of the API's shape: the check did not
            // run. Any other refusal of a request the spec documents is a difference.
            if answer.status.is_server_error() || answer.status.as_u16() == 429 {
                self.not_checked(operation, why);
            } else {
                self.differ(operation, why);
            }
            return false;
        }
        match chatcaptain_spec::bundled().validate_response(operation, status, &answer.body) {
            Ok(()) => {
                self.say("  ok: the answer matches the spec".into());
                true
            }
            Err(errors) => {
                for error in errors {
                    self.differ(operation, error);
                }
                false
            }
        }
    }
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(160).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// `GET` of `segments` with `query`, answered whatever the status; a key the API refuses (401)
/// or that may not read the chatbot (403) stops the run as [`Refused`]: no check can be made,
/// and it is not a difference from the spec.
async fn probe(
    client: &Client,
    segments: &[&str],
    query: &[(&str, String)],
) -> anyhow::Result<RawAnswer> {
    let answer = client.get_raw(segments, query).await?;
    if matches!(answer.status.as_u16(), 401 | 403) {
        // As the client reads an error: `error`, unless it only repeats the reason phrase
        // ("Unauthorized") and a `message` says more.
        let text = |field: &str| answer.body[field].as_str().filter(|t| !t.trim().is_empty());
        let reason = answer.status.canonical_reason().unwrap_or_default();
        let message = match (text("error"), text("message")) {
            (Some(e), Some(m)) if e.trim().eq_ignore_ascii_case(reason) => m.to_owned(),
            (Some(e), _) => e.to_owned(),
            (None, Some(m)) => m.to_owned(),
            (None, None) => excerpt(&answer.body.to_string()),
        };
        return Err(Refused {
            status: answer.status.to_string(),
            code: answer.status.as_u16(),
            message,
            // Every probed path is `v1/chatbots/{chatbotId}/...`.
            chatbot: segments.get(2).map(|bot| (*bot).to_owned()),
            request_id: answer.request_id(),
        }
        .into());
    }
    Ok(answer)
}

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

/// The path of `operation` for `bot`, as segments (its one parameter is the chatbot).
fn segments(operation: chatcaptain::api::operations::Operation, bot: &str) -> Vec<&str> {
    operation
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if s.starts_with('{') { bot } else { s })
        .collect()
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

/// The total count of a search answer (its `found`).
fn found<R: Resource>(answer: &RawAnswer) -> Option<u64> {
    let total = <R::Search as Operation>::TOTAL?;
    answer.body.pointer(total)?.as_u64()
}

/// The e-mail domain most of the listed records share (at least two of them), a term likely to
/// find more than one page of hits. A parent domain counts too (`example.com` for
/// `info@acme.example.com`): organizations seldom share a whole one.
fn shared_term(items: &[Value]) -> Option<String> {
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
fn hit_ids<R: Resource>(answer: &RawAnswer) -> Vec<String> {
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
async fn search_paging<R: Resource>(
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
async fn list_facts<R: Resource>(
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

/// The API refused the key (401) or its access to the chatbot (403): exit
/// [`AUTH`](crate::exit::AUTH), as every other command, with no report.
#[derive(Debug)]
pub struct Refused {
    /// `403 Forbidden`.
    status: String,
    code: u16,
    message: String,
    chatbot: Option<String>,
    request_id: Option<String>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "doctor could not check the API: {}: {}",
            self.status, self.message
        )?;
        match (self.code, &self.chatbot) {
            (403, Some(bot)) => write!(
                f,
                " (chatbot {bot:?}: the API key may belong to another chatbot, or lack the \
                 permission to read it)"
            )?,
            (401, _) => f.write_str(" (the API key was not accepted)")?,
            _ => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// The API differs from the spec: exit 1 after the report.
#[derive(Debug)]
pub struct Differences(pub usize);

impl std::fmt::Display for Differences {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the API differs from the spec in {} place(s); see above",
            self.0
        )
    }
}

impl std::error::Error for Differences {}

/// Nothing differs, but not everything could be checked: exit
/// [`UNCHECKED`](crate::exit::UNCHECKED) after the report.
#[derive(Debug)]
pub struct Unchecked(pub usize);

impl std::fmt::Display for Unchecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} check(s) could not be made (NOT CHECKED above); nothing found differs",
            self.0
        )
    }
}

impl std::error::Error for Unchecked {}
