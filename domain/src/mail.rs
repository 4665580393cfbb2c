//! When the outbox tries a message again after a failure.

/// Seconds to wait after the `attempts`-th failure: doubling from `base`, at most `max`.
pub fn backoff(attempts: i64, base: i64, max: i64) -> i64 {
    let exponent = attempts.clamp(0, 30) as u32;
    base.max(1).saturating_mul(1i64 << exponent).min(max.max(1))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn retries_back_off_doubling_up_to_the_cap() {
        let waits: Vec<i64> = (0..8).map(|a| backoff(a, 30, 3600)).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960, 1920, 3600]);
        assert_eq!(backoff(1000, 30, 3600), 3600, "no overflow after many failures");
        assert_eq!(backoff(0, 0, 0), 1, "never a busy loop");
    }
}
