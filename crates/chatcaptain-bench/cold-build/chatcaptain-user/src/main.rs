//! One call of the contact list, the smallest useful program.

#[tokio::main]
async fn main() -> Result<(), chatcaptain::Error> {
    let client = chatcaptain::Client::from_env()?;
    let contacts = client
        .contacts("aBcDeFgHiJkLmNoPqRsT")
        .list()
        .max_items(10)
        .collect_all()
        .await?;
    println!("{} contacts", contacts.len());
    Ok(())
}
