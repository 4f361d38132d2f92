//! The runner through the command line: determinism, shards, resume, exit codes.

use crate::util::*;

#[test]
fn results_are_bit_identical_whatever_the_thread_count() {
    let base = scenario("baseline-2021.ron");
    let outputs: Vec<serde_json::Value> = ["1", "2", "8"]
        .iter()
        .map(|t| {
            let o = wedge([
                "run",
                &arg(&base),
                "--runs",
                "600",
                "--seed",
                "7",
                "--threads",
                t,
                "--format",
                "json",
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            without_timing(json(&o))
        })
        .collect();
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
    let v = &outputs[0];
    assert_eq!(v["runs"], 600);
    assert_eq!(v["seed"], 7);
    assert!(v["split"]["probability"].is_number());
    assert_eq!(v["split"]["ci95"].as_array().map(Vec::len), Some(2));
    assert!(v["survival"][0]["year"].is_number());
}

#[test]
fn four_shards_merged_equal_one_process() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = scenario("baseline-2021.ron");
    let whole = run_json("baseline-2021.ron", "1300", "3");
    let mut parts = Vec::new();
    for k in 1..=4 {
        let path = dir.path().join(format!("part{k}.json"));
        let o = wedge([
            "run",
            &arg(&base),
            "--runs",
            "1300",
            "--seed",
            "3",
            "--shard",
            &format!("{k}/4"),
            "-o",
            &arg(&path),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        parts.push(arg(&path));
    }
    // Order of the parts does not matter.
    parts.reverse();
    let mut merge_args = vec!["merge".to_string(), "--format".into(), "json".into()];
    merge_args.extend(parts.iter().cloned());
    let merged = wedge(&merge_args);
    assert!(merged.status.success(), "{}", stderr(&merged));
    assert_eq!(without_timing(whole.clone()), without_timing(json(&merged)));

    // Missing and duplicate shards are refused.
    let missing = wedge(["merge", &parts[0], &parts[1], &parts[2]]);
    assert_fails(&missing, 2, "missing");
    let duplicate = wedge([
        "merge", &parts[0], &parts[0], &parts[1], &parts[2], &parts[3],
    ]);
    assert_eq!(duplicate.status.code(), Some(2));

    // A part of another seed is refused.
    let other = dir.path().join("other.json");
    let o = wedge([
        "run",
        &arg(&base),
        "--runs",
        "1300",
        "--seed",
        "4",
        "--shard",
        "1/4",
        "-o",
        &arg(&other),
    ]);
    assert!(o.status.success());
    let mismatched = wedge(["merge", &arg(&other), &parts[0], &parts[1], &parts[2]]);
    assert_fails(&mismatched, 2, "seed");
}

#[test]
fn a_shard_partial_resumes_as_its_shard_and_forged_or_disagreeing_checkpoints_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = scenario("baseline-2021.ron");
    let whole = run_json("baseline-2021.ron", "1000", "5");
    // A shard 1/2 partial is exactly what an interruption halfway leaves; rewrite it as a checkpoint of the whole plan.
    let part = dir.path().join("part.json");
    let o = wedge([
        "run",
        &arg(&base),
        "--runs",
        "1000",
        "--seed",
        "5",
        "--shard",
        "1/2",
        "-o",
        &arg(&part),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Rewritten by hand as a checkpoint of the whole plan: refused, not silently resumed.
    let mut checkpoint: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&part).expect("part")).expect("json");
    checkpoint["end_chunk"] = checkpoint["plan"]["runs"]
        .as_u64()
        .map(|r| r.div_ceil(256))
        .into();
    checkpoint["shard"] = serde_json::Value::Null;
    let path = dir.path().join("checkpoint.json");
    std::fs::write(&path, serde_json::to_vec(&checkpoint).expect("encode")).expect("write");
    let forged = wedge(["run", &arg(&base), "--resume", &arg(&path)]);
    assert_fails(&forged, 2, "edited or damaged");
    // A finished shard resumed without --shard stays that shard: its partial, not a 500-run "result".
    let again = wedge([
        "run",
        &arg(&base),
        "--runs",
        "1000",
        "--resume",
        &arg(&part),
    ]);
    assert!(again.status.success(), "{}", stderr(&again));
    let part_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&part).expect("part")).expect("json");
    assert_eq!(json(&again), part_json);
    // Flags that disagree with the checkpoint are refused, naming both values.
    let other_shard = wedge([
        "run",
        &arg(&base),
        "--shard",
        "2/2",
        "--resume",
        &arg(&part),
    ]);
    assert_fails(
        &other_shard,
        2,
        "--shard 2/2 disagrees with the checkpoint, which is of shard 1/2",
    );
    let other_runs = wedge([
        "run",
        &arg(&base),
        "--runs",
        "4000",
        "--resume",
        &arg(&part),
    ]);
    assert_fails(
        &other_runs,
        2,
        "--runs 4000 disagrees with the checkpoint, which is of 1000 runs",
    );
    let _ = whole;
}

#[test]
fn corrupt_checkpoints_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.json");
    std::fs::write(&path, "{\"format\": \"wedge-partial-1\", \"plan\": ").expect("write");
    let o = wedge([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--resume",
        &arg(&path),
    ]);
    assert_fails(&o, 2, "truncated or corrupt");
}

#[test]
fn absurd_arguments_get_usage_errors() {
    let base = arg(&scenario("baseline-2021.ron"));
    for args in [
        vec!["run", &base, "--runs", "0"],
        vec!["run", &base, "--threads", "0"],
        vec!["run", &base, "--shard", "5/4"],
        vec!["run", &base, "--shard", "0/0"],
        vec!["run", &base, "--seed", "-1"],
        vec!["run", &base, "--seed", "abc"],
        vec!["run", &base, "--target-ci", "0"],
        vec!["run", &base, "--runs", "99999999999999999999"],
        vec!["frobnicate"],
    ] {
        let o = wedge(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
}

#[test]
fn output_to_a_bad_place_fails_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = arg(&scenario("baseline-2021.ron"));
    for target in [
        dir.path().to_path_buf(),
        dir.path().join("missing/dir/out.json"),
        "/dev/full".into(),
    ] {
        let o = wedge(["run", &base, "--runs", "50", "-o", &arg(&target)]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}: {}",
            target.display(),
            stderr(&o)
        );
        assert!(stderr(&o).contains(&arg(&target)), "{}", stderr(&o));
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn compare_against_itself_gives_exactly_zero() {
    let base = arg(&scenario("baseline-2021.ron"));
    let v = wedge_json(["compare", &base, &base, "--runs", "300", "--format", "json"]);
    let arm = &v["arms"][1];
    assert_eq!(arm["delta"]["estimate"], 0.0);
    let (lo, hi) = (
        arm["delta"]["ci95"][0].as_f64().unwrap_or(f64::NAN),
        arm["delta"]["ci95"][1].as_f64().unwrap_or(f64::NAN),
    );
    // Newcombe's interval around an exact zero: narrow, and holding it.
    assert!(lo <= 0.0 && hi >= 0.0 && hi - lo < 0.03, "[{lo}, {hi}]");
    assert_eq!(arm["name"], "baseline-2021");
}

#[test]
fn paired_intervals_are_narrower_than_independent_ones() {
    let base = arg(&scenario("baseline-2021.ron"));
    let v = wedge_json([
        "compare",
        &base,
        "--levers",
        "interest-dialogue",
        "--runs",
        "2000",
        "--format",
        "json",
    ]);
    let d = &v["arms"][1]["delta"];
    let width =
        |ci: &serde_json::Value| ci[1].as_f64().unwrap_or(0.0) - ci[0].as_f64().unwrap_or(0.0);
    assert!(width(&d["ci95"]) < width(&d["independent_ci95"]), "{d}");
}

#[test]
fn trace_names_the_pressures_behind_a_split() {
    let s = arg(&scenario("lever-sanctions-relief-path.ron"));
    // Find a run that splits, then trace it.
    let found = (0..40).find_map(|run| {
        let o = wedge(["trace", &s, "--seed", "1", "--run", &run.to_string()]);
        stdout(&o).contains("split in").then(|| stdout(&o))
    });
    let text = found.expect("some run with sanctions relief splits");
    assert!(text.contains("broke away"), "{text}");
    // The pressures are named willingness terms, the largest push against first.
    let pressures: Vec<(&str, f64)> = text
        .split("most negative first):\n")
        .nth(1)
        .unwrap_or("")
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| {
            let (name, value) = l.trim().rsplit_once(' ')?;
            Some((name.trim(), value.parse().ok()?))
        })
        .collect();
    assert!(!pressures.is_empty(), "{text}");
    assert!(pressures[0].1 < 0.0, "{pressures:?}");
    let terms = wedge_core::willingness_terms(
        &wedge_core::initial_2021(),
        wedge_core::Partner::Russia,
        &wedge_core::Params::default(),
    );
    for (name, _) in &pressures {
        assert!(
            terms.iter().any(|(term, _)| term == name),
            "unknown pressure {name}"
        );
    }
    assert!(text.contains("Key variables at each year's end"), "{text}");
}

#[test]
fn trace_agrees_with_the_runner() {
    let s = arg(&scenario("lever-sanctions-relief-path.ron"));
    let batch = wedge_json(["run", &s, "--runs", "40", "--seed", "5", "--format", "json"]);
    let traced_splits = (0..40)
        .filter(|run| {
            let t = wedge_json([
                "trace",
                &s,
                "--seed",
                "5",
                "--run",
                &run.to_string(),
                "--format",
                "json",
            ]);
            t["summary"]["split_turn"].is_u64()
        })
        .count() as u64;
    assert!(traced_splits > 0, "some of 40 runs split with relief");
    assert_eq!(
        Some(traced_splits),
        batch["split"]["count"].as_u64(),
        "{}",
        batch["split"]
    );
}

#[test]
fn trace_shows_the_utility_of_every_option() {
    let s = arg(&scenario("escalation-2021.ron"));
    let t = wedge_json(["trace", &s, "--seed", "5", "--format", "json"]);
    let first = &t["turns"][0];
    for d in first["decisions"].as_array().expect("decisions") {
        let options = d["options"].as_array().expect("options");
        if d["decision"] == "russia.posture" {
            // Pinned by the scenario: no utilities, not adaptive.
            assert_eq!(d["adaptive"], false, "{d}");
            assert!(options.is_empty(), "{d}");
        } else {
            assert_eq!(d["adaptive"], true, "{d}");
            assert!(options.len() >= 2, "{d}");
            assert!(options.iter().any(|o| o["option"] == d["chosen"]), "{d}");
            assert!(options.iter().all(|o| o["utility"].is_f64()), "{d}");
        }
    }
}

#[test]
fn sweep_gives_one_row_per_point() {
    let base = arg(&scenario("baseline-2021.ron"));
    let o = wedge([
        "sweep",
        &base,
        "--param",
        "params.threat_weight=0.6:1.0:3",
        "--runs",
        "300",
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 4, "{}", stdout(&o));
    let bad = wedge([
        "sweep",
        &base,
        "--param",
        "params.threat_wieght=1:2:3",
        "--runs",
        "10",
    ]);
    assert_fails(&bad, 2, "threat_weight");
}

#[test]
fn plots_and_the_report_are_written_and_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = arg(&scenario("baseline-2021.ron"));
    let plot = dir.path().join("levers.svg");
    let result = dir.path().join("levers.json");
    let o = wedge([
        "compare",
        &base,
        "--levers",
        "arms-control,cadre-engagement",
        "--runs",
        "300",
        "--format",
        "json",
        "--plot",
        &arg(&plot),
        "-o",
        &arg(&result),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    for svg in [plot.clone(), dir.path().join("levers-survival.svg")] {
        let text = std::fs::read_to_string(&svg).expect("svg written");
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", svg.display()));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }
    let run_json = dir.path().join("run.json");
    let o = wedge([
        "run",
        &base,
        "--runs",
        "200",
        "--format",
        "json",
        "-o",
        &arg(&run_json),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = dir.path().join("report.html");
    let o = wedge(["report", &arg(&result), &arg(&run_json), "-o", &arg(&html)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).expect("report written");
    assert!(
        page.contains("+arms-control") && page.contains("+cadre-engagement"),
        "levers ranked in a table"
    );
    assert!(page.matches("<svg").count() >= 2, "charts inline");
    assert!(page.contains("<table"), "tables");
    assert!(
        !page.contains("<script") && !page.contains("<link") && !page.contains("<img"),
        "self-contained: nothing fetched"
    );
    let png = wedge([
        "run",
        &base,
        "--runs",
        "10",
        "--plot",
        &arg(&dir.path().join("x.png")),
    ]);
    assert_eq!(png.status.code(), Some(2));
}

#[test]
fn the_suite_matches_the_saved_scoreboard_and_catches_a_model_change() {
    let dir = root().join("scenarios");
    let o = wedge([
        "suite",
        &arg(&dir),
        "--against",
        &arg(&dir.join("scoreboard.json")),
    ]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(!stdout(&o).contains("MOVED"), "{}", stdout(&o));

    // The same scenarios with one coefficient changed enough to matter.
    let changed = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(&dir).expect("scenarios") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            continue; // scenarios/calibration/: priors, plan and posterior, not scenarios
        }
        let name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
        let mut text = std::fs::read_to_string(&path).expect("read");
        if name == "baseline-2021.ron" {
            text = text.replacen(
                "  events: (",
                "  params: (threat_weight: 1.2),\n  events: (",
                1,
            );
        }
        std::fs::write(changed.path().join(name), text).expect("write");
    }
    let o = wedge([
        "suite",
        &arg(changed.path()),
        "--against",
        &arg(&dir.join("scoreboard.json")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("MOVED"), "{}", stdout(&o));
}

#[test]
fn sensitivity_ranks_the_declared_uncertainties() {
    let v = wedge_json([
        "sensitivity",
        &arg(&scenario("baseline-2021.ron")),
        "--runs",
        "300",
        "--trajectories",
        "4",
        "--format",
        "json",
    ]);
    assert_eq!(v["tornado"].as_array().map(Vec::len), Some(4));
    assert_eq!(v["morris"].as_array().map(Vec::len), Some(4));
    let mu: Vec<f64> = v["morris"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| m["mu_star"].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(mu.windows(2).all(|w| w[0] >= w[1]), "sorted by μ*: {mu:?}");
}

#[test]
fn a_latin_hypercube_covers_each_range_once_per_stratum_and_a_grid_draws_a_heat_map() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = arg(&scenario("baseline-2021.ron"));
    let v = wedge_json([
        "sweep",
        &base,
        "--design",
        "lhs",
        "--samples",
        "5",
        "--param",
        "params.threat_weight=0.5:1.0:2",
        "--param",
        "params.need_weight=1.0:2.0:2",
        "--runs",
        "100",
        "--format",
        "json",
    ]);
    let names: Vec<String> = v["arms"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["name"].as_str().map(String::from))
        .collect();
    assert_eq!(names.len(), 5);
    let mut strata: Vec<usize> = names
        .iter()
        .map(|n| {
            let w: f64 = n
                .split(' ')
                .next()
                .and_then(|p| p.split('=').nth(1))
                .and_then(|x| x.parse().ok())
                .unwrap_or(-1.0);
            assert!((0.5..=1.0).contains(&w), "{n}");
            ((w - 0.5) / 0.1).floor() as usize
        })
        .collect();
    strata.sort();
    assert_eq!(
        strata,
        vec![0, 1, 2, 3, 4],
        "one point per stratum: {names:?}"
    );

    let heat = dir.path().join("heat.svg");
    let o = wedge([
        "sweep",
        &base,
        "--param",
        "params.threat_weight=0.6,1.0",
        "--param",
        "params.need_weight=1.0,2.0",
        "--runs",
        "100",
        "--plot",
        &arg(&heat),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&heat).expect("heat map");
    let doc = roxmltree::Document::parse(&svg).expect("the heat map parses");
    let cells = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim().ends_with('%')))
        // The colour legend sits to the right of the map, beyond x = 700.
        .filter(|n| {
            n.attribute("x")
                .and_then(|x| x.parse::<f64>().ok())
                .is_some_and(|x| x < 700.0)
        })
        .count();
    assert_eq!(cells, 4, "one labelled cell per grid point");
}

#[test]
fn target_ci_adds_runs_until_the_interval_is_narrow_enough() {
    let v = {
        let o = wedge([
            "run",
            &arg(&scenario("baseline-2021.ron")),
            "--runs",
            "256",
            "--target-ci",
            "0.02",
            "--format",
            "json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        json(&o)
    };
    let ci = &v["split"]["ci95"];
    let half = (ci[1].as_f64().unwrap_or(1.0) - ci[0].as_f64().unwrap_or(0.0)) / 2.0;
    assert!(half <= 0.02, "half-width {half}");
    assert!(
        v["runs"].as_u64().unwrap_or(0) > 256,
        "more runs were added"
    );

    let c = wedge([
        "compare",
        &arg(&scenario("baseline-2021.ron")),
        "--levers",
        "arms-control",
        "--runs",
        "256",
        "--target-ci",
        "0.03",
        "--format",
        "json",
    ]);
    assert!(c.status.success(), "{}", stderr(&c));
    let d = &json(&c)["arms"][1]["delta"]["ci95"];
    assert!(
        (d[1].as_f64().unwrap_or(1.0) - d[0].as_f64().unwrap_or(0.0)) / 2.0 <= 0.03,
        "{d}"
    );
}

#[test]
fn parts_from_another_version_or_scenario_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = arg(&scenario("baseline-2021.ron"));
    let mut parts = Vec::new();
    for k in 1..=2 {
        let path = dir.path().join(format!("p{k}.json"));
        let o = wedge([
            "run",
            &base,
            "--runs",
            "600",
            "--shard",
            &format!("{k}/2"),
            "-o",
            &arg(&path),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        parts.push(path);
    }
    for (field, value, expected) in [
        ("version", "0.0.0-other", "wedge version"),
        ("scenario_hash", "0000", "scenario"),
    ] {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&parts[1]).expect("part")).expect("json");
        v["plan"][field] = value.into();
        let edited = dir.path().join(format!("edited-{field}.json"));
        std::fs::write(&edited, serde_json::to_vec(&v).expect("encode")).expect("write");
        let o = wedge(["merge", &arg(&parts[0]), &arg(&edited)]);
        // Edited by hand: the checksum no longer matches (the field itself is
        // named when a genuine part of another run comes in; see the runner's tests).
        assert_fails(&o, 2, "edited or damaged");
        let _ = expected;
    }
    let from_another_version = {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&parts[0]).expect("part")).expect("json");
        v["plan"]["version"] = "0.0.0-other".into();
        let path = dir.path().join("old-checkpoint.json");
        std::fs::write(&path, serde_json::to_vec(&v).expect("encode")).expect("write");
        path
    };
    let o = wedge(["run", &base, "--resume", &arg(&from_another_version)]);
    assert_fails(&o, 2, "edited or damaged");
}

#[test]
fn trace_and_suite_honour_csv_and_carry_the_manifest_as_typed() {
    let base = arg(&scenario("baseline-2021.ron"));
    let csv = wedge(["trace", &base, "--format", "csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert!(
        stdout(&csv).starts_with("turn,year,alignment,"),
        "{}",
        stdout(&csv)
    );
    let trace = wedge_json(["trace", &base, "--format", "json"]);
    assert_eq!(
        trace["manifest"]["command"],
        format!("wedge trace {base} --format json")
    );
    assert_eq!(
        trace["manifest"]["scenario_hash"].as_str().map(str::len),
        Some(64)
    );

    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        scenario("baseline-2021.ron"),
        dir.path().join("baseline-2021.ron"),
    )
    .expect("copy");
    std::fs::copy(scenario("levers.ron"), dir.path().join("levers.ron")).expect("copy");
    let folder = arg(dir.path());
    let csv = wedge(["suite", &folder, "--runs", "100", "--format", "csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert!(
        stdout(&csv).starts_with("file,scenario,split_probability"),
        "{}",
        stdout(&csv)
    );
    let board = wedge_json(["suite", &folder, "--runs", "100", "--format", "json"]);
    assert_eq!(board["manifest"]["runs"], 100);
    assert!(
        board["manifest"]["command"]
            .as_str()
            .is_some_and(|c| c.starts_with("wedge suite "))
    );
}

#[test]
fn sensitivity_results_carry_a_manifest_and_go_into_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("sens.json");
    let plot = dir.path().join("tornado.svg");
    let o = wedge([
        "sensitivity",
        &arg(&scenario("baseline-2021.ron")),
        "--runs",
        "100",
        "--trajectories",
        "2",
        "--format",
        "json",
        "-o",
        &arg(&out),
        "--plot",
        &arg(&plot),
        "-q",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("result")).expect("json");
    assert!(
        v["manifest"]["command"]
            .as_str()
            .is_some_and(|c| c.starts_with("wedge sensitivity "))
    );
    assert!(
        dir.path().join("tornado-morris.svg").exists(),
        "the Morris chart beside the tornado"
    );
    let html = dir.path().join("r.html");
    let o = wedge(["report", &arg(&out), "-o", &arg(&html)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).expect("page");
    assert!(
        page.contains("Sensitivity:") && page.contains("Morris screening"),
        "{page:.300}"
    );
}

#[test]
fn oversized_jobs_are_refused_before_they_run_and_repeated_levers_are_one_arm() {
    let base = arg(&scenario("baseline-2021.ron"));
    let repeated = vec!["arms-control"; 3000].join(",");
    let v = wedge_json([
        "compare", &base, "--levers", &repeated, "--runs", "50", "--format", "json", "-q",
    ]);
    assert_eq!(
        v["arms"].as_array().map(Vec::len),
        Some(2),
        "one arm for a lever named 3,000 times"
    );
    let mut args = vec!["compare".to_string()];
    args.extend(std::iter::repeat_n(base.clone(), 11));
    args.extend(["--runs".into(), "1000000000".into(), "-q".into()]);
    let o = wedge(&args);
    assert_fails(&o, 2, "this job is too large");
}

#[test]
fn plot_data_writes_the_numbers_behind_each_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = arg(&scenario("baseline-2021.ron"));
    let data = dir.path().join("run.csv");
    let o = wedge([
        "run",
        &base,
        "--runs",
        "200",
        "-q",
        "--plot-data",
        &arg(&data),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&data).expect("plot data");
    assert!(
        text.starts_with("chart,series,x,value,ci95_low,ci95_high,unit\n"),
        "{text}"
    );
    assert!(
        text.contains("\nsurvival,baseline-2021,2021.5,1,1,1,proportion\n"),
        "{text}"
    );
    let data = dir.path().join("cmp.csv");
    let o = wedge([
        "compare",
        &base,
        "--levers",
        "arms-control",
        "--runs",
        "200",
        "-q",
        "--plot-data",
        &arg(&data),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&data).expect("plot data");
    assert!(text.contains("\ndelta,+arms-control,"), "{text}");
    // An output that is an input is refused before any run.
    let o = wedge([
        "compare",
        &base,
        "--levers",
        "arms-control",
        "--plot-data",
        &base,
    ]);
    assert_fails(&o, 2, "an input of this command");
}
