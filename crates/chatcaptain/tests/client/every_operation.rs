//! Every operation of the spec has a method on the client. The tour below calls each method
//! against the fake, and the test fails naming every operation of the generated table that no
//! request reached: an operation added to the spec without a client method (a handle's, a
//! listing's or a hand-written one) fails `cargo test` here.

use std::collections::BTreeSet;

use chatcaptain::api::operations::Operation;
use chatcaptain::{ContactUpdate, NewContact, NewOrganization};

use crate::common::BOT;
use crate::common::fake::{fake_client, seeded_fake};

#[tokio::test]
async fn every_operation_of_the_spec_has_a_client_method() {
    let server = seeded_fake(3).await;
    let client = fake_client(&server);

    let contacts = client.contacts(BOT);
    let contact = contacts
        .create(NewContact::new("EN").name("Tour"))
        .await
        .unwrap();
    contacts.get(&contact.id).await.unwrap();
    contacts
        .update(&contact.id, ContactUpdate::new().name("Tour 2"))
        .await
        .unwrap();
    contacts.organizations(&contact.id).await.unwrap();
    contacts.list().max_items(1).collect_all().await.unwrap();
    contacts
        .search("Tour")
        .max_items(1)
        .collect_all()
        .await
        .unwrap();
    let organizations = client.organizations(BOT);
    organizations
        .create(NewOrganization::new("Tour GmbH"))
        .await
        .unwrap();
    organizations
        .list()
        .max_items(1)
        .collect_all()
        .await
        .unwrap();
    organizations
        .search("Tour")
        .max_items(1)
        .collect_all()
        .await
        .unwrap();
    assert!(contacts.delete(&contact.id).await.unwrap());

    let reached: BTreeSet<Operation> = server
        .requests()
        .iter()
        .filter_map(|r| Operation::find(&r.method, &r.path))
        .collect();
    let missing: Vec<&str> = Operation::ALL
        .iter()
        .filter(|op| !reached.contains(op))
        .map(|op| op.id())
        .collect();
    assert!(
        missing.is_empty(),
        "operations of the spec no client method sent (give each one, then add it to this tour): \
         {missing:?}"
    );
}
