//! One call of a list endpoint (an organization's repositories), the smallest useful program.

#[tokio::main]
async fn main() -> Result<(), octocrab::Error> {
    let page = octocrab::instance()
        .orgs("rust-lang")
        .list_repos()
        .per_page(10)
        .send()
        .await?;
    println!("{} repositories", page.items.len());
    Ok(())
}
