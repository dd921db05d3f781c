//! How fast requests leave: the pace a parallel listing keeps by its number of requests in flight.

mod concurrency;

pub(crate) use concurrency::Concurrency;
