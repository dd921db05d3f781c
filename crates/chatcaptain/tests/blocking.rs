//! The blocking client over loopback HTTP: same answers as the async one, from plain threads.
#![cfg(feature = "blocking")]

mod common;

use chatcaptain::blocking;
use common::*;

#[test]
fn blocking_iterator_yields_the_same_contacts_as_the_async_stream() {
    // The server lives on its own runtime; the blocking client brings its own.
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let mut data = contacts_one_second_apart(12);
    data.extend((0..4).map(|i| contact(&format!("tie{i}"), at(5))));
    let (server, _heard) = server_runtime.block_on(list_server(data));
    let async_client = client(&server);

    let expected = server_runtime
        .block_on(async_client.contacts(BOT).list().page_size(5).collect_all())
        .unwrap();
    let blocking = blocking::Client::from_async(async_client).unwrap();
    let got: Vec<_> = blocking
        .contacts(BOT)
        .list()
        .page_size(5)
        .prefetch(true)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids(&got), ids(&expected));
    assert_eq!(got.len(), 16);
}

#[test]
fn blocking_single_operations_work_from_plain_fn() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, _log) = server_runtime.block_on(search_server(contacts_one_second_apart(3)));
    let blocking = blocking::Client::from_async(client(&server)).unwrap();
    let hits = blocking.contacts(BOT).search("Max").collect_all().unwrap();
    assert_eq!(ids(&hits), ["c0", "c1", "c2"]);
}
