//! Command-line flags as parsed (clap), and their validation.

use std::path::{Path, PathBuf};

use clap::builder::RangedU64ValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum, value_parser};
use wedge_runner::{MAX_RUNS, Requested};

use crate::failure::Failure;

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

/// Designs for `wedge sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepDesign {
    /// Every combination of the listed values.
    Grid,
    /// A Latin hypercube of --samples points.
    Lhs,
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

/// Flags shared by batch commands.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Number of runs (per arm) [default: 10000; with --resume: the checkpoint's].
    #[arg(long, value_parser = value_parser!(u64).range(1..=MAX_RUNS))]
    pub runs: Option<u64>,
    /// Master seed: run i uses the ChaCha8 stream i of this seed [default: 1; with --resume: the checkpoint's].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Keep adding runs until the 95% interval half-width is at most this (overrides --runs).
    #[arg(long, value_name = "HALF_WIDTH", value_parser = half_width)]
    pub target_ci: Option<f64>,
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
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Folder of scenarios the page and API may name.
    #[arg(long, default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// Most runs per arm a request may ask for.
    #[arg(long, default_value_t = 20_000)]
    pub max_runs: u64,
    /// Most comparisons and traces running at once.
    #[arg(long, default_value_t = 2)]
    pub max_jobs: usize,
}

/// Flags of `wedge run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (.ron).
    pub scenario: PathBuf,
    /// Batch flags.
    #[command(flatten)]
    pub batch: BatchArgs,
    /// Write the partial aggregate here every few seconds (atomically).
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    /// Seconds between checkpoints (0: after every wave of chunks).
    #[arg(long, default_value_t = 2, value_name = "SECONDS")]
    pub checkpoint_every: u64,
    /// Play every arm over the draws of this posterior ensemble (default: the one the scenario names).
    #[arg(long, value_name = "FILE.ron")]
    pub ensemble: Option<PathBuf>,
    /// Continue from a checkpoint written by --checkpoint.
    #[arg(long)]
    pub resume: Option<PathBuf>,
    /// Run only slice K of N of the run indices and write a partial result (for `wedge merge`).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Also write one row per run (drawn uncertainties, lever intensities, outcomes) to this CSV file, with its metadata in FILE.meta.json.
    #[arg(long, value_name = "FILE.csv")]
    pub runs_out: Option<PathBuf>,
}

impl BatchArgs {
    /// What `--runs`, `--seed` and `--target-ci` ask for, with `shard`.
    pub fn requested(&self, shard: Option<(u64, u64)>) -> Requested {
        Requested {
            runs: self.runs,
            seed: self.seed,
            shard,
            target_ci: self.target_ci,
        }
    }

    /// Size the thread pool, and refuse a `--runs-out` that cannot be written,
    /// before reading any scenario.
    pub fn prepare(&self, runs_out: Option<&Path>) -> Result<(), Failure> {
        self.work.use_threads();
        Ok(runs_out.map_or(Ok(()), wedge_report::check_runs_path)?)
    }

    /// The destinations of `-o`, `--plot`, `--plot-data` and `--runs-out`, for the output guards.
    pub fn outputs<'a>(
        &'a self,
        runs_out: Option<&'a Path>,
    ) -> [(&'static str, Option<&'a Path>); 4] {
        [
            ("-o", self.work.out.output.as_deref()),
            ("--plot", self.plot.as_deref()),
            ("--plot-data", self.plot_data.as_deref()),
            ("--runs-out", runs_out),
        ]
    }
}

/// Most worker threads `--threads` accepts.
pub const MAX_THREADS: u64 = 1024;

/// The value parser of `--target-ci`: a half-width in [0.0001, 0.5).
fn half_width(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(w) if !(w.is_finite() && (1e-4..0.5).contains(&w)) => {
            Err(format!("must be a half-width in [0.0001, 0.5), got {w}"))
        }
        parsed => parsed.map_err(|e| e.to_string()),
    }
}

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

/// Flags of `wedge compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Baseline scenario, then variant scenarios.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Levers or packages from the library, each added alone to the baseline.
    #[arg(long, value_delimiter = ',')]
    pub levers: Vec<String>,
    /// Every essay lever in the library, one at a time, plus the essay's package.
    #[arg(long)]
    pub all_levers: bool,
    /// Play every arm over the draws of this posterior ensemble (default: the one the scenario names).
    #[arg(long, value_name = "FILE.ron")]
    pub ensemble: Option<PathBuf>,
    /// Also write one row per run and arm (drawn uncertainties, lever intensities, outcomes) to this CSV file, with its metadata in FILE.meta.json.
    #[arg(long, value_name = "FILE.csv")]
    pub runs_out: Option<PathBuf>,
    /// Batch flags.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// PATH=SPEC, SPEC a list `a,b,c` or a range `from:to:points`; two give a grid.
    #[arg(long = "param", required = true)]
    pub params: Vec<String>,
    /// `grid` (every combination) or `lhs` (a Latin hypercube over the ranges).
    #[arg(long, value_enum, default_value_t = SweepDesign::Grid)]
    pub design: SweepDesign,
    /// Points of a Latin hypercube.
    #[arg(long, default_value_t = 20)]
    pub samples: usize,
    /// Also write one row per run and point (drawn uncertainties, lever intensities, the point's swept values as p.PATH, outcomes) to this CSV file, with its metadata in FILE.meta.json.
    #[arg(long, value_name = "FILE.csv")]
    pub runs_out: Option<PathBuf>,
    /// Batch flags.
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Trajectories of the Morris design.
    #[arg(long, default_value_t = 10, value_parser = RangedU64ValueParser::<usize>::new().range(2..=200))]
    pub trajectories: usize,
    /// Batch flags (--runs is per design point).
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Flags of `wedge suite`.
#[derive(Debug, Args)]
pub struct SuiteArgs {
    /// Folder of scenario files.
    pub dir: PathBuf,
    /// Runs per scenario (ignored with --against: the saved plan is used).
    #[arg(long, default_value_t = 2000, value_parser = value_parser!(u64).range(1..=MAX_RUNS))]
    pub runs: u64,
    /// Master seed (ignored with --against).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Save the scoreboard as JSON.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Compare with a saved scoreboard; exit 1 if any scenario moved beyond its interval.
    #[arg(long)]
    pub against: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Flags of `wedge sobol`.
#[derive(Debug, Args)]
pub struct SobolArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Base points N of the Saltelli design (a power of two); the design has N × (factors + 2) rows.
    #[arg(long, default_value_t = 256)]
    pub base: usize,
    /// Runs per design row (common seeds across rows); raise it when the noise share σ²/V exceeds 0.05.
    #[arg(long, default_value_t = 64)]
    pub replicates: u64,
    /// Also vary the intensity of every lever in force, from 0 to twice its declared value.
    #[arg(long)]
    pub levers: bool,
    /// Master seed of the runs, the design's scramble and the bootstrap.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Bootstrap resamples for the 95% intervals.
    #[arg(long, default_value_t = 100)]
    pub resamples: usize,
    /// Threads, output and progress.
    #[command(flatten)]
    pub work: WorkArgs,
}

/// Flags of `wedge discover`.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// A per-run table (CSV with a header row), e.g. from `wedge run --runs-out`.
    pub table: PathBuf,
    /// The outcome column; its cases of interest are the rows where it is 1 (or see --below, --above).
    #[arg(long, default_value = "split")]
    pub outcome: String,
    /// Cases of interest are the rows where the outcome is below this value.
    #[arg(long, allow_negative_numbers = true)]
    pub below: Option<f64>,
    /// Cases of interest are the rows where the outcome is above this value.
    #[arg(long, allow_negative_numbers = true)]
    pub above: Option<f64>,
    /// Smallest density of the chosen box (the step of best coverage that reaches it).
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f64,
    /// Input columns (default: every p.*, u.* and l.* column that varies).
    #[arg(long, value_delimiter = ',')]
    pub inputs: Vec<String>,
    /// Most boxes to find, one after another (each among the rows outside the earlier ones).
    #[arg(long, default_value_t = 1)]
    pub boxes: usize,
    /// Output format and file.
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Flags of `wedge calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Calibration plan (.ron): priors, episodes of the record, seed, draws (e.g. scenarios/calibration.ron).
    pub plan: PathBuf,
    /// Write the posterior ensemble here (.ron); with --shard, the shard's partial (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Write the calibration report (Markdown) here instead of stdout.
    #[arg(long, value_name = "FILE.md")]
    pub report: Option<PathBuf>,
    /// Draws from the prior [default: the plan's].
    #[arg(long)]
    pub draws: Option<u64>,
    /// Master seed [default: the plan's].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Play only shard K of N of the draws; under Slurm, from SLURM_ARRAY_TASK_ID.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Merge partial results written by --shard (every draw once), then estimate.
    #[arg(long, num_args = 1.., value_name = "PART.json")]
    pub merge: Vec<PathBuf>,
    /// Save the draws played so far here (JSON), every 64 draws.
    #[arg(long, value_name = "FILE.json")]
    pub checkpoint: Option<PathBuf>,
    /// Continue from a checkpoint: its draws are not played again.
    #[arg(long, value_name = "FILE.json")]
    pub resume: Option<PathBuf>,
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
