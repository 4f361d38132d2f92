//! Server-sent events fed from a job: progress, then the result or an error.
//!
//! The stream owns the job's [`StopOnDrop`]: when the client goes away, axum
//! drops the stream and the job is told to stop.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::response::sse::Event;
use serde::Serialize;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::jobs::StopOnDrop;

/// The sending side, given to the job.
#[derive(Debug, Clone)]
pub struct Events(UnboundedSender<Event>);

/// The receiving side, returned as the response body.
#[derive(Debug)]
pub struct EventStream {
    rx: UnboundedReceiver<Event>,
    _stop: StopOnDrop,
}

/// A connected pair; the stream stops the job when dropped.
pub fn channel(stop: StopOnDrop) -> (Events, EventStream) {
    let (tx, rx) = unbounded_channel();
    (Events(tx), EventStream { rx, _stop: stop })
}

impl Events {
    /// Send an event whose data is JSON text already encoded on one line.
    pub fn send_json_text(&self, name: &str, json: String) {
        let _ = self.0.send(Event::default().event(name).data(json));
    }

    /// Send an event named `name` with JSON data (dropped if the client has gone).
    pub fn send<T: Serialize>(&self, name: &str, data: &T) {
        if let Ok(event) = Event::default().event(name).json_data(data) {
            let _ = self.0.send(event);
        }
    }
}

impl futures_core::Stream for EventStream {
    type Item = Result<Event, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|event| event.map(Ok))
    }
}
