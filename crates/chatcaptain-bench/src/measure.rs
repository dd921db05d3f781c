//! Side-by-side timing: the baseline and ours alternate round by round, so drift on a noisy
//! machine hits both; medians are compared, never absolute numbers alone.

use std::future::Future;
use std::time::{Duration, Instant};

#[derive(Default, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn median(&self) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }

    pub fn min(&self) -> Duration {
        self.0.iter().copied().min().unwrap_or_default()
    }
}

/// One comparison row: `ours` against `baseline` over the same work of `items` items.
pub struct Comparison {
    pub case: String,
    pub baseline_name: String,
    pub baseline: Samples,
    pub ours_name: String,
    pub ours: Samples,
    pub items: usize,
    pub target: String,
    /// Requests the baseline and ours sent for one run, where the case counts them.
    pub requests: Option<(usize, usize)>,
}

impl Comparison {
    /// ours / baseline by medians: below 1 is faster than the baseline.
    pub fn ratio(&self) -> f64 {
        self.ours.median().as_secs_f64() / self.baseline.median().as_secs_f64()
    }
}

/// Runs one warm-up of each, then `rounds` alternating rounds; each closure returns the number
/// of items it handled, which must agree, or the comparison is meaningless.
pub async fn side_by_side<B, BF, O, OF>(
    rounds: usize,
    mut baseline: B,
    mut ours: O,
) -> anyhow::Result<(Samples, Samples, usize)>
where
    B: FnMut() -> BF,
    BF: Future<Output = anyhow::Result<usize>>,
    O: FnMut() -> OF,
    OF: Future<Output = anyhow::Result<usize>>,
{
    let expected = baseline().await?;
    let got = ours().await?;
    anyhow::ensure!(
        expected == got,
        "baseline handled {expected} items, ours {got}"
    );
    let (mut b, mut o) = (Samples::default(), Samples::default());
    for _ in 0..rounds {
        let (elapsed, n) = timed(baseline()).await?;
        anyhow::ensure!(n == expected, "baseline handled {n}, expected {expected}");
        b.0.push(elapsed);
        let (elapsed, n) = timed(ours()).await?;
        anyhow::ensure!(n == expected, "ours handled {n}, expected {expected}");
        o.0.push(elapsed);
    }
    Ok((b, o, expected))
}

async fn timed<F: Future<Output = anyhow::Result<usize>>>(
    f: F,
) -> anyhow::Result<(Duration, usize)> {
    let started = Instant::now();
    let n = f.await?;
    Ok((started.elapsed(), n))
}
