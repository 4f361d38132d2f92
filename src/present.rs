//! Presentation at the edge: progress bars, Ctrl-C, formats, figure files,
//! and results on stdout (a closed pipe ends quietly) or, through wedge-io,
//! atomically in files.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use wedge_report::{Figures, Tabular};

use crate::args::{BatchArgs, Format, OutputArgs};
use crate::failure::Failure;

/// A Ctrl-C flag (the handler is set once per process).
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

/// Do `work` with a progress bar on stderr that it moves with (done,
/// planned); hidden unless stderr is a terminal and not --quiet, cleared
/// when the work ends.
pub fn with_progress<T>(
    quiet: bool,
    work: impl FnOnce(&mut (dyn FnMut(u64, u64) + Send)) -> T,
) -> T {
    use std::io::IsTerminal;
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    let out = work(&mut |done, planned| {
        bar.set_length(planned);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    out
}

/// A result in the chosen format.
pub fn render<T: serde::Serialize + Tabular>(format: Format, value: &T) -> Result<String, Failure> {
    match format {
        Format::Json => Ok(wedge_calibrate::pretty_json(value)?),
        Format::Text => Ok(value.text()),
        Format::Csv => Ok(value.csv()),
    }
}

impl OutputArgs {
    /// Write `value` in `--format` to `-o` or stdout.
    pub fn write<T: serde::Serialize + Tabular>(&self, value: &T) -> Result<(), Failure> {
        emit(self.output.as_deref(), &render(self.format, value)?)
    }
}

/// Write the result in `--format` to `-o` or stdout, then (a chart that
/// fails must not lose the result) the charts to `--plot` (and beside it)
/// and their data to `--plot-data`.
pub fn deliver<T: serde::Serialize + Tabular>(
    args: &BatchArgs,
    value: &T,
    figures: impl FnOnce() -> Figures,
) -> Result<(), Failure> {
    args.work.out.write(value)?;
    if args.plot.is_none() && args.plot_data.is_none() {
        return Ok(());
    }
    Ok(figures().write(args.plot.as_deref(), args.plot_data.as_deref())?)
}

/// Emit a result to a file or stdout.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        Some(path) => Ok(wedge_io::write_atomic(path, text.as_bytes())?),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::BrokenPipe),
                Err(e) => Err(Failure::runtime(format!("cannot write to stdout: {e}"))),
            }
        }
    }
}
