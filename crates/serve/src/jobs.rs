//! Jobs: heavy work on the rayon pool, counted, cancellable.
//!
//! A job holds a slot in the server's table while its work runs; the slot is
//! freed when the work ends, so the count is the work actually running. The
//! request side holds a [`StopOnDrop`]: when the client disconnects (axum
//! drops the handler or the event stream) or cancels explicitly, the stop flag
//! is set and the work ends at its next wave of runs.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;

use crate::error::ApiError;

/// The jobs running on a server.
#[derive(Debug)]
pub struct Jobs {
    table: Mutex<Table>,
    max: usize,
}

#[derive(Debug, Default)]
struct Table {
    next_id: u64,
    running: BTreeMap<u64, Arc<AtomicBool>>,
}

/// A job's place in the table; dropping it frees the place.
#[derive(Debug)]
pub struct Slot {
    jobs: Arc<Jobs>,
    id: u64,
}

/// Sets a stop flag when dropped: the request side of a job.
#[derive(Debug)]
pub struct StopOnDrop(pub Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl Jobs {
    /// A table that lets `max` jobs run at once.
    pub fn new(max: usize) -> Jobs {
        Jobs {
            table: Mutex::new(Table::default()),
            max,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // A panic never happens while the lock is held; if one did, the table is still consistent.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Take a slot, or refuse with `Busy` when the table is full.
    pub fn start(self: &Arc<Self>) -> Result<(Slot, Arc<AtomicBool>), ApiError> {
        let mut table = self.lock();
        if table.running.len() >= self.max {
            return Err(ApiError::Busy(self.max));
        }
        table.next_id += 1;
        let id = table.next_id;
        let stop = Arc::new(AtomicBool::new(false));
        table.running.insert(id, Arc::clone(&stop));
        Ok((
            Slot {
                jobs: Arc::clone(self),
                id,
            },
            stop,
        ))
    }

    /// Ask a running job to stop.
    pub fn cancel(&self, id: u64) -> Result<(), ApiError> {
        match self.lock().running.get(&id) {
            Some(stop) => {
                stop.store(true, Ordering::Relaxed);
                Ok(())
            }
            None => Err(ApiError::UnknownJob(id)),
        }
    }

    /// Jobs running now.
    pub fn running(&self) -> usize {
        self.lock().running.len()
    }

    /// Most jobs at once.
    pub fn max(&self) -> usize {
        self.max
    }
}

impl Slot {
    /// The job's id (for `DELETE /api/jobs/{id}`).
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.jobs.lock().running.remove(&self.id);
    }
}

/// Run `work` on the rayon pool, holding `slot` until it ends. A panic in the
/// work becomes an internal error for this request; the server goes on.
pub fn spawn<T, F>(slot: Slot, work: F) -> oneshot::Receiver<Result<T, ApiError>>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    rayon::spawn(move || {
        let result = catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the work panicked".to_string());
            Err(ApiError::Internal(what))
        });
        // Free the slot before answering, so that a client that has its answer can start another job.
        drop(slot);
        let _ = tx.send(result);
    });
    rx
}

/// Wait for a job's answer.
pub async fn answer<T>(rx: oneshot::Receiver<Result<T, ApiError>>) -> Result<T, ApiError> {
    rx.await
        .unwrap_or_else(|_| Err(ApiError::Internal("the job ended without an answer".into())))
}
