//! Command-line flags as parsed (clap), and their validation. The flags of
//! a job are its library config's fields (`wedge-calibrate`'s `clap`
//! feature), flattened here beside the flags of the edge: threads, format,
//! output file, progress and charts.

use std::path::{Path, PathBuf};

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum, value_parser};
use wedge_calibrate::{
    CalibrateFiles, CalibrateOptions, CompareJob, RunJob, SensitivityJob, SuiteJob, SweepJob,
};
use wedge_runner::{DiscoverFlags, MAX_RUNS, SobolSettings};
use wedge_serve::ServeFlags;

/// The whole command line: the command and its flags (`about` is the package's description).
#[derive(Debug, Parser)]
#[command(name = "wedge", version, about, long_about = None, after_help = "Exit codes: 0 success; 1 runtime failure (I/O, interrupted without checkpoint); 2 usage or input error; 130 interrupted by Ctrl-C or SIGTERM with checkpoint saved.")]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Text,
    /// JSON with stable field names (docs/OUTPUT.md).
    Json,
    /// CSV rows.
    Csv,
}

/// Where a result goes and in what format.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the result to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Flags of every command that plays many runs: its threads, where its
/// result goes and its progress bar.
#[derive(Debug, Args)]
pub struct WorkArgs {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_THREADS))]
    pub threads: Option<usize>,
    /// Output format and file.
    #[command(flatten)]
    pub out: OutputArgs,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The edge's flags of batch commands (their runs, seed and target interval
/// are the job's).
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Threads, output and progress.
    #[command(flatten)]
    pub work: WorkArgs,
    /// Draw the result as an SVG chart to this file.
    #[arg(long, value_name = "FILE.svg", value_parser = svg_path)]
    pub plot: Option<PathBuf>,
    /// Write the data behind the charts to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub plot_data: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play a scenario many times: how often, and when, the partnership splits.
    Run(RunArgs),
    /// Compare a baseline with variants or levers, pair by pair (common random numbers).
    Compare(CompareArgs),
    /// Sweep numeric fields of a scenario over values (common random numbers across points).
    Sweep(SweepArgs),
    /// Which uncertainties drive the split probability: a tornado and Morris elementary effects.
    Sensitivity(SensitivityArgs),
    /// Which uncertainties (and lever intensities) drive the outcomes: Sobol indices on a Saltelli design.
    Sobol(SobolArgs),
    /// Scenario discovery: PRIM boxes of inputs where splits concentrate, from a per-run table (--runs-out).
    Discover(DiscoverArgs),
    /// Estimate the behavioural coefficients from the historical record (ABC): writes a posterior ensemble and a report.
    Calibrate(CalibrateArgs),
    /// Run every scenario in a folder and print a scoreboard; compare with a saved one.
    Suite(SuiteArgs),
    /// Print a shell script that submits a Slurm job array of shards and the merge step.
    Slurm(SlurmArgs),
    /// Check scenario files; exit 2 if any is invalid.
    Validate {
        /// Files to check (scenarios, lever libraries or calibration plans).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the fully resolved scenario (after `extend`, levers and overrides) as RON.
    Show {
        /// Scenario file.
        scenario: PathBuf,
        /// List every path `set`, `--param` and `--sweep` accept, with its range, instead.
        #[arg(long)]
        paths: bool,
    },
    /// Combine partial results from `wedge run --shard` into one result.
    Merge {
        /// Partial result files.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// Output format and file.
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Write one self-contained HTML page (tables and charts) from JSON results.
    Report {
        /// Results written with `--format json` by run, compare or sweep.
        #[arg(required = true)]
        results: Vec<PathBuf>,
        /// The HTML file to write.
        #[arg(short, long, default_value = "report.html")]
        output: PathBuf,
    },
    /// Serve a page and a JSON API to pull the levers in a browser (docs/SERVE.md).
    Serve(ServeArgs),
    /// Replay one run and tell its story turn by turn.
    Trace(TraceArgs),
}

/// Flags of `wedge serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port, address, folder and limits.
    #[command(flatten)]
    pub serve: ServeFlags,
}

impl BatchArgs {
    /// The destinations of `-o`, `--plot` and `--plot-data`, for the output
    /// guards (a job guards its own `--runs-out`).
    pub fn outputs(&self) -> [(&'static str, Option<&Path>); 3] {
        [
            ("-o", self.work.out.output.as_deref()),
            ("--plot", self.plot.as_deref()),
            ("--plot-data", self.plot_data.as_deref()),
        ]
    }
}

/// Most worker threads `--threads` accepts.
pub const MAX_THREADS: u64 = 1024;

/// The value parser of `--plot`: charts are SVG files.
fn svg_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match path.extension() {
        Some(e) if e == "svg" => Ok(path),
        _ => Err("charts are written as SVG (no fonts needed); give a path ending in .svg".into()),
    }
}

impl WorkArgs {
    /// Size the thread pool to `--threads`, if given.
    pub fn use_threads(&self) {
        if let Some(threads) = self.threads {
            // A second call in one process fails harmlessly (tests call commands through the binary).
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build_global();
        }
    }
}

/// Flags of `wedge run`: the session, its shard, and the edge's flags.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The session to play.
    #[command(flatten)]
    pub job: RunJob,
    /// Run only slice K of N of the run indices and write a partial result (for `wedge merge`).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Threads, output, progress and charts.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The comparison to play.
    #[command(flatten)]
    pub job: CompareJob,
    /// Threads, output, progress and charts.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep to play.
    #[command(flatten)]
    pub job: SweepJob,
    /// Threads, output, progress and charts.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge sensitivity` (--runs is per design point).
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The screening to play.
    #[command(flatten)]
    pub job: SensitivityJob,
    /// Threads, output, progress and charts.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge suite`.
#[derive(Debug, Args)]
pub struct SuiteArgs {
    /// The folder, plan and scoreboards.
    #[command(flatten)]
    pub job: SuiteJob,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Flags of `wedge sobol`.
#[derive(Debug, Args)]
pub struct SobolArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// The design, replicates, seed and resamples.
    #[command(flatten)]
    pub settings: SobolSettings,
    /// Threads, output and progress.
    #[command(flatten)]
    pub work: WorkArgs,
}

/// Flags of `wedge discover`.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// A per-run table (CSV with a header row), e.g. from `wedge run --runs-out`.
    pub table: PathBuf,
    /// The outcome, its cases, the inputs and PRIM's options.
    #[command(flatten)]
    pub discover: DiscoverFlags,
    /// Output format and file.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Flags of `wedge calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Calibration plan (.ron): priors, episodes of the record, seed, draws (e.g. scenarios/calibration.ron).
    pub plan: PathBuf,
    /// The files read and written.
    #[command(flatten)]
    pub files: CalibrateFiles,
    /// Draws and seed.
    #[command(flatten)]
    pub options: CalibrateOptions,
    /// Play only shard K of N of the draws; under Slurm, from SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Flags of `wedge slurm`.
#[derive(Debug, Args)]
pub struct SlurmArgs {
    /// Scenario file, or a calibration plan (its draws are sharded, then merged into the posterior).
    pub scenario: PathBuf,
    /// Total runs.
    #[arg(long, default_value_t = 1_000_000, value_parser = value_parser!(u64).range(1..=MAX_RUNS))]
    pub runs: u64,
    /// Number of shards (array tasks).
    #[arg(long, default_value_t = 16, value_parser = value_parser!(u64).range(1..=10_000))]
    pub shards: u64,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for the parts, logs and the merged result.
    #[arg(long, default_value = "wedge-slurm")]
    pub out: PathBuf,
}

/// Flags of `wedge trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Run index.
    #[arg(long, default_value_t = 0)]
    pub run: u64,
    /// Output format (json: the full trajectory).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
