//! Starting and stopping cleanly: the signal that stops the server (SIGTERM, which service
//! managers send, or Ctrl-C), the background loops that stop with it, and the grace period
//! the requests under way get before the process ends anyway.
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Resolves at the first SIGTERM or Ctrl-C. The handlers are installed when this is called,
/// not when it is first polled, so call it before serving.
pub fn stop_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Ok(mut stream) => {
                    stream.recv().await;
                }
                Err(error) => {
                    tracing::warn!(%error, "SIGTERM cannot be caught; only Ctrl-C stops the server cleanly");
                    std::future::pending::<()>().await;
                }
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = terminate => {}
        }
    }
}

/// The background work of a server instance, stopped together.
pub struct Shutdown {
    token: CancellationToken,
    tasks: std::sync::Mutex<JoinSet<()>>,
}

/// How long background work may take to finish its current step once asked to stop.
const BACKGROUND_GRACE: Duration = Duration::from_secs(5);

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        Shutdown {
            token: CancellationToken::new(),
            tasks: std::sync::Mutex::new(JoinSet::new()),
        }
    }

    /// Cancelled when the server stops; long-running work watches it.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Runs `work`, which watches `token()` itself and ends soon after it is cancelled
    /// (finishing what it is doing rather than being cut in the middle).
    pub fn run(&self, name: &'static str, work: impl Future<Output = ()> + Send + 'static) {
        self.spawn(async move {
            work.await;
            tracing::debug!(name, "stopped");
        });
    }

    /// Runs `step` every `period` (the first time after one period) until the server stops;
    /// a step under way when it stops is finished, not cut.
    pub fn every<F, Fut>(&self, name: &'static str, period: Duration, mut step: F)
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let token = self.token.clone();
        self.spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            loop {
                tokio::select! {
                    _ = tick.tick() => step().await,
                    () = token.cancelled() => break,
                }
            }
            tracing::debug!(name, "stopped");
        });
    }

    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        match self.tasks.lock() {
            Ok(mut tasks) => {
                tasks.spawn(task);
            }
            Err(poisoned) => {
                poisoned.into_inner().spawn(task);
            }
        }
    }

    /// Serves until the server ends by itself, or, once stopping began, until the requests
    /// under way are done or `grace` has passed, whichever is first.
    pub async fn serve_within<T>(&self, serving: impl Future<Output = T>, grace: Duration) -> Option<T> {
        let token = self.token.clone();
        tokio::select! {
            served = serving => Some(served),
            () = async move {
                token.cancelled().await;
                tokio::time::sleep(grace).await;
            } => {
                tracing::warn!(secs = grace.as_secs(), "requests still under way after the grace period: stopping anyway");
                None
            }
        }
    }

    /// Asks the background work to stop and waits for it (a few seconds at most).
    pub async fn stop(&self) {
        self.token.cancel();
        let mut tasks = match self.tasks.lock() {
            Ok(mut tasks) => std::mem::take(&mut *tasks),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        };
        let drained =
            tokio::time::timeout(BACKGROUND_GRACE, async { while tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!("background work did not stop in time");
            tasks.abort_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test(start_paused = true)]
    async fn periodic_work_stops_with_the_server_and_finishes_its_step() {
        let shutdown = Shutdown::new();
        let (started, finished) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (s, f) = (started.clone(), finished.clone());
        shutdown.every("test", Duration::from_secs(10), move || {
            let (s, f) = (s.clone(), f.clone());
            async move {
                s.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_secs(1)).await;
                f.fetch_add(1, Ordering::SeqCst);
            }
        });
        tokio::time::sleep(Duration::from_secs(25)).await;
        assert_eq!(started.load(Ordering::SeqCst), 2);
        shutdown.stop().await;
        assert_eq!(finished.load(Ordering::SeqCst), 2, "a step under way is finished");
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert_eq!(started.load(Ordering::SeqCst), 2, "nothing runs after stopping");
    }

    #[tokio::test(start_paused = true)]
    async fn serving_gets_the_grace_period_and_no_more() {
        let shutdown = Shutdown::new();
        shutdown.token().cancel();
        let forever = std::future::pending::<()>();
        let started = tokio::time::Instant::now();
        assert_eq!(shutdown.serve_within(forever, Duration::from_secs(3)).await, None);
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        let quick = async { 7 };
        assert_eq!(shutdown.serve_within(quick, Duration::from_secs(3)).await, Some(7));
    }
}
