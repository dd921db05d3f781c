//! Both rule registries (spec-lint's and spec-diff's) as the markdown table `--rules` prints and
//! CONTRIBUTING.md shows: one row a rule, its id, its verdict or severity, and its doc line.

/// The table with the header `| rule | {verdict} | {doc} |` and one row per (id, verdict, doc).
pub fn markdown<'a>(
    verdict: &str,
    doc: &str,
    rows: impl IntoIterator<Item = (String, &'a str, &'a str)>,
) -> String {
    let mut out = format!("| rule | {verdict} | {doc} |\n|---|---|---|\n");
    for (id, verdict, doc) in rows {
        // A `|` in a doc line would end its cell.
        out.push_str(&format!(
            "| `{id}` | {verdict} | {} |\n",
            doc.replace('|', "\\|")
        ));
    }
    out
}
