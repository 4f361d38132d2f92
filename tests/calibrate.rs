//! `wedge calibrate` and `--ensemble`: reproducible calibration, ensemble
//! fields in run and compare output, thread-independence, and clear errors
//! for bad priors files.

use std::path::PathBuf;
use std::process::Command;

use crate::util::{arg, assert_fails, json, scenario, stderr, wedge, wedge_json, without_timing};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wedge-calib-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

const POSTERIOR: &str = r#"(
  format: "wedge-posterior-1", name: "test", wedge_version: "test", method: "hand-written",
  seed: 1, prior_draws: 3, ess: 3.0, priors: [], targets: [],
  paths: ["params.threat_weight", "agents.russia.rationality"],
  draws: [
    (weight: 0.25, values: [0.5, 20.0]),
    (weight: 0.5, values: [0.8, 50.0]),
    (weight: 0.25, values: [1.1, 90.0]),
  ],
)"#;

fn with_threads(threads: &str, args: &[String]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", stderr(&o));
    json(&o)
}

#[test]
fn compare_over_an_ensemble_reports_effects_across_draws_the_same_at_any_thread_count() {
    let dir = scratch("compare");
    let post = dir.join("post.ron");
    std::fs::write(&post, POSTERIOR).unwrap_or_else(|e| panic!("{e}"));
    let args: Vec<String> = [
        "compare",
        &arg(&scenario("baseline-2021.ron")),
        "--levers",
        "sanctions-relief-path,interest-dialogue",
        "--ensemble",
        &arg(&post),
        "--runs",
        "300",
        "--seed",
        "5",
        "--format",
        "json",
        "-q",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let one = without_timing(with_threads("1", &args));
    let two = without_timing(with_threads("2", &args));
    assert_eq!(one, two, "ensemble results depend on the thread count");
    let arms = one["arms"].as_array().cloned().unwrap_or_default();
    assert_eq!(arms.len(), 3);
    assert_eq!(
        one["runs"], 900,
        "the Monte Carlo fields pool every draw's runs"
    );
    for a in &arms {
        let e = &a["ensemble"];
        assert_eq!(e["draws"], 3);
        let (lo, mid, hi) = (
            e["effect"]["p05"].as_f64().unwrap_or(f64::NAN),
            e["effect"]["median"].as_f64().unwrap_or(f64::NAN),
            e["effect"]["p95"].as_f64().unwrap_or(f64::NAN),
        );
        assert!(lo <= mid && mid <= hi, "{e}");
        let share = e["helps_share"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&share), "{e}");
        assert!(a["split"].is_object() && a["delta"].is_object());
    }
    // The relief path raises the split probability in every draw.
    let relief = arms.iter().find(|a| a["name"] == "+sanctions-relief-path");
    assert_eq!(
        relief.map(|a| a["ensemble"]["helps_share"].clone()),
        Some(1.0.into())
    );
    assert_eq!(one["regret"].as_array().map(Vec::len), Some(3));
}

#[test]
fn run_over_an_ensemble_and_a_scenario_that_names_its_posterior() {
    let dir = scratch("run");
    std::fs::write(dir.join("post.ron"), POSTERIOR).unwrap_or_else(|e| panic!("{e}"));
    let named = dir.join("named.ron");
    let text = format!(
        "(extend: {:?}, name: \"named\", posterior: \"post.ron\")",
        arg(&scenario("baseline-2021.ron"))
    );
    std::fs::write(&named, text).unwrap_or_else(|e| panic!("{e}"));
    let v = wedge_json([
        "run",
        &arg(&named),
        "--runs",
        "200",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(v["ensemble"]["draws"], 3);
    let split = &v["ensemble"]["split"];
    assert!(split["p05"].as_f64() <= split["p95"].as_f64(), "{split}");
    assert_eq!(v["runs"], 600);
    // The same draws given explicitly give the same answer.
    let w = wedge_json([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--ensemble",
        &arg(&dir.join("post.ron")),
        "--runs",
        "200",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(v["ensemble"], w["ensemble"]);
}

#[test]
fn what_an_ensemble_cannot_honour_is_refused_by_name_before_any_run() {
    let dir = scratch("refused");
    std::fs::write(dir.join("post.ron"), POSTERIOR).unwrap_or_else(|e| panic!("{e}"));
    let (base, post) = (
        arg(&scenario("baseline-2021.ron")),
        arg(&dir.join("post.ron")),
    );
    let chart = arg(&dir.join("chart.svg"));
    let table = arg(&dir.join("runs.csv"));
    for (extra, flag) in [
        (["--plot", chart.as_str()], "--plot"),
        (["--runs-out", table.as_str()], "--runs-out"),
        (["--shard", "1/2"], "--shard"),
    ] {
        let args = ["run", &base, "--ensemble", &post, "--runs", "50", "-q"];
        let o = wedge(args.iter().copied().chain(extra));
        assert_fails(
            &o,
            2,
            &format!("{flag} is not available over a posterior ensemble"),
        );
    }
    let o = wedge([
        "compare",
        &base,
        "--levers",
        "arms-control",
        "--ensemble",
        &post,
        "--runs",
        "50",
        "--plot",
        &chart,
        "-q",
    ]);
    assert_fails(&o, 2, "--plot is not available over a posterior ensemble");
    assert!(!dir.join("chart.svg").exists() && !dir.join("runs.csv").exists());
}

#[test]
fn calibration_is_reproducible_from_its_seed() {
    let dir = scratch("seed");
    let run = |out: &str, threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_wedge"))
            .args([
                "calibrate",
                &arg(&scenario("calibration/plan.ron")),
                "--draws",
                "16",
                "--out",
                &arg(&dir.join(out)),
                "-q",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read_to_string(dir.join(out)).unwrap_or_default()
    };
    let a = run("a.ron", "1");
    let b = run("b.ron", "2");
    assert!(a.contains("wedge-posterior-1") && a.contains("sino-soviet-split"));
    assert_eq!(a, b, "the posterior depends on the thread count");
    // Two shards merged give the same posterior as the whole.
    let plan = arg(&scenario("calibration/plan.ron"));
    for k in ["1/2", "2/2"] {
        let out = dir.join(format!("part{}.json", &k[..1]));
        let o = wedge([
            "calibrate",
            &plan,
            "--draws",
            "16",
            "--shard",
            k,
            "--out",
            &arg(&out),
            "-q",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (p1, p2) = (arg(&dir.join("part1.json")), arg(&dir.join("part2.json")));
    let merged = dir.join("merged.ron");
    let o = wedge([
        "calibrate",
        &plan,
        "--draws",
        "16",
        "--merge",
        &p2,
        &p1,
        "--out",
        &arg(&merged),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&merged).unwrap_or_default(), a);
    // A shard is not a whole plan.
    let o = wedge([
        "calibrate",
        &plan,
        "--draws",
        "16",
        "--merge",
        &p1,
        "--out",
        &arg(&merged),
        "-q",
    ]);
    assert_fails(&o, 2, "missing");
    // The written posterior is a valid ensemble.
    let v = wedge_json([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--ensemble",
        &arg(&dir.join("a.ron")),
        "--runs",
        "50",
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(v["ensemble"]["draws"], 16);
}

#[test]
fn bad_priors_files_are_refused_with_file_line_and_column() {
    let dir = scratch("bad");
    let plan = std::fs::read_to_string(scenario("calibration/plan.ron")).unwrap_or_default();
    let root = arg(&scenario("history-1950.ron").with_file_name(""));
    // The plan's episodes point back at the shipped scenarios; its priors at the bad file here.
    let plan = plan
        .replace("\"../history-", &format!("\"{root}history-"))
        .replace(
            "\"history-1950-1971.ron\"",
            &format!("\"{root}calibration/history-1950-1971.ron\""),
        );
    std::fs::write(dir.join("plan.ron"), &plan).unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            "(priors: [\n  (path: \"params.threat_wieght\", distribution: Uniform(low: 0.1, high: 0.2), source: \"x\"),\n])",
            "priors.ron:2:",
            "not a settable path",
        ),
        (
            "(priors: [\n  (path: \"params.threat_weight\", distribution: Uniform(low: 0.9, high: 0.2), source: \"x\"),\n])",
            "priors.ron:2:",
            "low ≤ high",
        ),
        (
            "(priors: [\n  (path: \"params.threat_weight\", distribution: Uniform(low: 0.1, high: 0.2)),\n])",
            "priors.ron:2:",
            "source",
        ),
    ];
    for (text, place, message) in cases {
        std::fs::write(dir.join("priors.ron"), text).unwrap_or_else(|e| panic!("{e}"));
        let o = wedge([
            "calibrate",
            &arg(&dir.join("plan.ron")),
            "--out",
            &arg(&dir.join("out.ron")),
            "-q",
        ]);
        assert_fails(&o, 2, place);
        assert_fails(&o, 2, message);
    }
}

#[test]
fn an_interrupted_calibration_resumes_to_the_same_bytes() {
    let dir = scratch("resume");
    let plan = arg(&scenario("calibration/plan.ron"));
    let calibrate = |extra: &[&str], out: &str| {
        let mut args = vec!["calibrate", &plan, "--draws", "96", "--out"];
        let out = arg(&dir.join(out));
        args.push(&out);
        args.extend_from_slice(extra);
        args.push("-q");
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let o = wedge(calibrate(&[], "straight.ron"));
    assert!(o.status.success(), "{}", stderr(&o));
    let straight = std::fs::read(dir.join("straight.ron")).unwrap_or_default();
    // Resume from a partial: the first half of the draws, played as a shard.
    let half = arg(&dir.join("half.json"));
    let o = wedge(calibrate(&["--shard", "1/2"], "half.json"));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = wedge(calibrate(&["--resume", &half], "resumed.ron"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.join("resumed.ron")).unwrap_or_default(),
        straight,
        "resuming from a partial changed the posterior"
    );
    // Interrupt a run once it has saved a checkpoint, then resume from it.
    let ck = dir.join("checkpoint.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wedge"))
        .args(calibrate(&["--checkpoint", &arg(&ck)], "interrupted.ron"))
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let start = std::time::Instant::now();
    while !ck.exists() && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&ck).unwrap_or_default()).unwrap_or_default();
    let played = saved["rows"].as_array().map_or(0, Vec::len);
    assert!(played >= 64, "the checkpoint holds {played} draws");
    let o = wedge(calibrate(
        &["--resume", &arg(&ck), "--checkpoint", &arg(&ck)],
        "after.ron",
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.join("after.ron")).unwrap_or_default(),
        straight,
        "resuming from a checkpoint changed the posterior"
    );
    // A checkpoint of another seed is refused, and outputs never overwrite inputs.
    let o = wedge(calibrate(&["--resume", &arg(&ck), "--seed", "7"], "x.ron"));
    assert_fails(&o, 2, "checkpoint");
    let o = wedge(calibrate(&["--resume", &half], "half.json"));
    assert!(
        !o.status.success(),
        "--out overwrote the checkpoint it resumes from"
    );
    let priors = arg(&scenario("calibration/priors.ron"));
    let o = wedge(["calibrate", &plan, "--draws", "4", "--out", &priors, "-q"]);
    assert!(!o.status.success(), "--out overwrote the priors it reads");
}

#[test]
fn a_calibration_on_slurm_shards_checkpoints_and_merges_to_the_single_process_posterior() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("slurm");
    // The shipped plan with 32 draws, its paths made absolute.
    let root = scenario("calibration/plan.ron");
    let text = std::fs::read_to_string(&root).unwrap_or_default();
    let scenarios = arg(&scenario(""));
    let text = text
        .replace("draws: 3000", "draws: 32")
        .replace("keep: 200", "keep: 16")
        .replace(
            "\"priors.ron\"",
            &format!("\"{}\"", arg(&scenario("calibration/priors.ron"))),
        )
        .replace("\"../", &format!("\"{}/", scenarios.trim_end_matches('/')))
        .replace(
            "\"history-1950-1971.ron\"",
            &format!("{:?}", arg(&scenario("calibration/history-1950-1971.ron"))),
        );
    assert!(text.contains("draws: 32"), "the plan changed shape");
    let plan = dir.join("plan.ron");
    std::fs::write(&plan, text).unwrap_or_else(|e| panic!("{e}"));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap_or_else(|e| panic!("{e}"));
    let sbatch = bin.join("sbatch");
    std::fs::write(&sbatch, crate::slurm::FAKE_SBATCH).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&sbatch, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out dir");
    let script = wedge(["slurm", &arg(&plan), "--shards", "2", "--out", &arg(&out)]);
    assert!(script.status.success(), "{}", stderr(&script));
    let submit = dir.join("submit.sh");
    std::fs::write(&submit, &script.stdout).unwrap_or_else(|e| panic!("{e}"));
    let path = format!(
        "{}:{}",
        arg(&bin),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("sh")
        .arg(&submit)
        .env("PATH", path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.join("checkpoint-1.json").exists(),
        "no shard checkpoint"
    );
    let single = dir.join("single.ron");
    let o = wedge(["calibrate", &arg(&plan), "--out", &arg(&single), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("posterior.ron")).unwrap_or_default(),
        std::fs::read(&single).unwrap_or_default(),
        "the Slurm recipe's posterior differs from the single-process one"
    );
}

/// The first value of every draw in a posterior file (its first path's values).
fn first_values(posterior: &str) -> Vec<f64> {
    posterior
        .split("values: [")
        .skip(1)
        .filter_map(|s| s.split([',', ']']).next())
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

#[test]
fn priors_a_scenario_declares_are_checked_and_honoured_by_calibrate_and_the_ensemble() {
    let dir = scratch("scenario-priors");
    let base = arg(&scenario("baseline-2021.ron"));
    let with_priors = |name: &str, entries: &str| {
        let text =
            format!("(extend: {base:?},\n name: {name:?},\n priors: (priors: [\n  {entries}\n]))");
        let path = dir.join(format!("{name}.ron"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        arg(&path)
    };
    // A bad entry is refused at its file, line and column, whatever the command.
    let cases = [
        (
            "(path: \"params.threat_wieght\", distribution: Uniform(low: 0.1, high: 0.2), source: \"x\"),",
            "not a settable path",
        ),
        (
            "(path: \"params.threat_weight\", distribution: Uniform(low: 0.9, high: 0.2), source: \"x\"),",
            "low ≤ high",
        ),
        (
            "(path: \"params.threat_weight\", distribution: Uniform(low: 0.1, high: 9.0), source: \"x\"),",
            "[0, 5]",
        ),
    ];
    for (entry, message) in cases {
        let bad = with_priors("bad", entry);
        let o = wedge(["run", &bad, "--runs", "10", "-q"]);
        assert_fails(&o, 2, "bad.ron:4:");
        assert_fails(&o, 2, message);
        let o = wedge(["validate", &bad]);
        assert_fails(&o, 2, "bad.ron:4:");
        assert_fails(&o, 2, message);
    }
    // The ensemble is reweighted by the scenario's prior over the calibration's: a
    // narrow prior on Russia's rationality leaves only the middle draw (λ = 50), as
    // if the file had given it all the weight.
    std::fs::write(dir.join("post.ron"), POSTERIOR).unwrap_or_else(|e| panic!("{e}"));
    let middle = POSTERIOR
        .replace("weight: 0.25, values: [0.5", "weight: 0.0, values: [0.5")
        .replace("weight: 0.25, values: [1.1", "weight: 0.0, values: [1.1");
    std::fs::write(dir.join("middle.ron"), middle).unwrap_or_else(|e| panic!("{e}"));
    let narrow = with_priors(
        "narrow",
        "(path: \"agents.russia.rationality\", distribution: Uniform(low: 45.0, high: 55.0), source: \"test\"),",
    );
    let run = |scenario: &str, post: &str| {
        wedge_json([
            "run",
            scenario,
            "--ensemble",
            &arg(&dir.join(post)),
            "--runs",
            "100",
            "--format",
            "json",
            "-q",
        ])
    };
    let (a, b, c) = (
        run(&narrow, "post.ron"),
        run(&base, "middle.ron"),
        run(&base, "post.ron"),
    );
    assert_eq!(a["ensemble"], b["ensemble"]);
    assert_ne!(
        a["ensemble"], c["ensemble"],
        "the scenario's priors were ignored"
    );
    // Priors that rule out every draw are an error, not an empty answer.
    let none = with_priors(
        "none",
        "(path: \"agents.russia.rationality\", distribution: Uniform(low: 60.0, high: 80.0), source: \"test\"),",
    );
    let o = wedge([
        "run",
        &none,
        "--ensemble",
        &arg(&dir.join("post.ron")),
        "--runs",
        "10",
        "-q",
    ]);
    assert_fails(&o, 2, "zero weight");
    // An episode scenario's priors replace the plan's by path in `wedge calibrate`.
    let root = arg(&scenario("history-1950.ron").with_file_name(""));
    let episode = dir.join("episode-2001.ron");
    std::fs::write(
        &episode,
        format!(
            "(extend: \"{root}history-2001.ron\", priors: (priors: [\n  (path: \"params.threat_weight\", distribution: Uniform(low: 0.5, high: 0.6), source: \"test\"),\n]))"
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let plan = std::fs::read_to_string(scenario("calibration/plan.ron")).unwrap_or_default();
    let plan = plan
        .replace("\"../history-2001.ron\"", &format!("{:?}", arg(&episode)))
        .replace("\"../history-", &format!("\"{root}history-"))
        .replace(
            "\"history-1950-1971.ron\"",
            &format!("\"{root}calibration/history-1950-1971.ron\""),
        )
        .replace(
            "\"priors.ron\"",
            &format!("\"{root}calibration/priors.ron\""),
        );
    std::fs::write(dir.join("plan.ron"), plan).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out.ron");
    let o = wedge([
        "calibrate",
        &arg(&dir.join("plan.ron")),
        "--draws",
        "16",
        "--out",
        &arg(&out),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(text.contains("Uniform(low: 0.5, high: 0.6)"), "{text}");
    let values = first_values(&text);
    assert!(!values.is_empty());
    assert!(
        values.iter().all(|v| (0.5..=0.6).contains(v)),
        "threat_weight outside the episode's prior: {values:?}"
    );
}
