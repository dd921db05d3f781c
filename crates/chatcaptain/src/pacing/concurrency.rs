//! The concurrency of a parallel listing: additive increase, multiplicative decrease (AIMD), as
//! TCP's window, driven by the client's 429 count.

/// How many requests a parallel listing keeps in flight: halved by a 429, grown by one per
/// round of answers without one.
pub(crate) struct Concurrency {
    limit: f64,
    most: f64,
    /// The client's 429 count when last looked at.
    throttles: u64,
    /// Requests launched so far, and how many had been when the limit was last cut: a 429 to a
    /// request launched before the cut was already answered by it.
    launched: u64,
    cut_at: u64,
}

impl Concurrency {
    pub(crate) fn new(most: usize) -> Self {
        let most = most as f64;
        Concurrency {
            limit: most,
            most,
            throttles: 0,
            launched: 0,
            cut_at: 0,
        }
    }

    pub(crate) fn room(&self, in_flight: usize) -> bool {
        (in_flight as f64) < self.limit.floor()
    }

    /// A request launched as number `seq` was answered; `throttles` is the client's 429 count.
    pub(crate) fn answered(&mut self, seq: u64, throttles: u64) {
        if throttles > self.throttles {
            self.throttles = throttles;
            if seq >= self.cut_at {
                self.limit = (self.limit / 2.0).max(1.0);
                self.cut_at = self.launched;
            }
        } else {
            self.limit = (self.limit + 1.0 / self.limit).min(self.most);
        }
    }

    /// Numbers the next request launched.
    pub(crate) fn launch(&mut self) -> u64 {
        self.launched += 1;
        self.launched - 1
    }
}

#[cfg(test)]
mod tests {
    use super::Concurrency;

    /// Launches `n` requests.
    fn launch(c: &mut Concurrency, n: u64) -> std::ops::Range<u64> {
        let first = c.launch();
        (1..n).for_each(|_| {
            c.launch();
        });
        first..first + n
    }

    #[test]
    fn a_429_halves_the_requests_in_flight_once_per_round() {
        let mut c = Concurrency::new(8);
        let round = launch(&mut c, 8);
        // Three of the round were answered 429: the first answer after them cuts.
        for (i, seq) in round.enumerate() {
            c.answered(seq, if i < 3 { (i + 1) as u64 } else { 3 });
        }
        // One cut for the round's three 429s (those after the first were sent before the cut),
        // then answers without a 429 grow it by 1/limit each.
        assert!(c.limit > 4.0 && c.limit < 6.0, "{}", c.limit);
        assert!(c.room(3) && !c.room(5));
    }

    #[test]
    fn answers_without_429_grow_it_by_one_per_round_up_to_the_ranges_asked_for() {
        let mut c = Concurrency::new(8);
        let seq = launch(&mut c, 1).start;
        c.answered(seq, 1);
        assert_eq!(c.limit, 4.0);
        for seq in launch(&mut c, 4) {
            c.answered(seq, 1);
        }
        assert!((c.limit - 5.0).abs() < 0.2, "{}", c.limit);
        for seq in launch(&mut c, 100) {
            c.answered(seq, 1);
        }
        assert_eq!(c.limit, 8.0);
    }

    #[test]
    fn it_never_drops_below_one() {
        let mut c = Concurrency::new(2);
        for throttles in 1..10 {
            let seq = launch(&mut c, 1).start;
            c.answered(seq, throttles);
        }
        assert_eq!(c.limit, 1.0);
        assert!(c.room(0) && !c.room(1));
    }
}
