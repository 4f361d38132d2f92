//! Exploration through the command line: the per-run table (`--runs-out`),
//! tidy sweeps, `wedge sobol` and `wedge discover`.

use std::path::Path;

use crate::util::*;

/// Read a CSV file into its header and rows of cells.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("the table was written");
    let mut lines = text.lines();
    let header = lines
        .next()
        .expect("a header row")
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn run_table(dir: &Path, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = dir.join(name);
    let mut args = vec![
        "run".to_string(),
        arg(&scenario("baseline-2021.ron")),
        "--runs".into(),
        "700".into(),
        "--seed".into(),
        "5".into(),
        "-q".into(),
        "--runs-out".into(),
        arg(&out),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let o = wedge(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn run_table_has_a_row_per_run_with_draws_and_outcomes_that_agree_with_the_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_table(dir.path(), "runs.csv", &["--format", "json"]);
    let (header, rows) = read_csv(&out);
    assert_eq!(rows.len(), 700);
    assert_eq!(&header[..4], ["run", "seed", "scenario", "arm"]);
    for name in [
        "u.china_growth",
        "u.successor_orientation",
        "split",
        "split_year",
        "defector",
        "final_alignment",
    ] {
        column(&header, name);
    }
    let run = column(&header, "run");
    let split = column(&header, "split");
    let year = column(&header, "split_year");
    let defector = column(&header, "defector");
    let growth = column(&header, "u.china_growth");
    let mut splits = 0;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[run], i.to_string());
        match row[split].as_str() {
            "1" => {
                splits += 1;
                let y: f64 = row[year].parse().expect("a split year");
                assert!((2021.0..=2032.0).contains(&y), "{y}");
                assert!(row[defector] == "russia" || row[defector] == "china");
            }
            "0" => {
                assert_eq!(row[year], "", "censored runs have no split year");
                assert_eq!(row[defector], "");
            }
            other => panic!("split is {other}"),
        }
        let g: f64 = row[growth].parse().expect("a number");
        assert!(
            (0.03..=0.065).contains(&g),
            "china_growth {g} outside its triangular support"
        );
    }
    // The table and the aggregate come from the same runs.
    let o = wedge([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--runs",
        "700",
        "--seed",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(json(&o)["split"]["count"], splits);
    let meta: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("runs.meta.json")).expect("a sidecar"),
    )
    .expect("JSON");
    assert_eq!(meta["seed"], 5);
    assert_eq!(meta["runs"], 700);
    assert_eq!(meta["columns"].as_array().map(Vec::len), Some(header.len()));
}

#[test]
fn run_table_bytes_do_not_depend_on_threads_or_shards() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = run_table(dir.path(), "one.csv", &["--threads", "1"]);
    let two = run_table(dir.path(), "two.csv", &["--threads", "2"]);
    let whole = std::fs::read(&one).expect("read");
    assert_eq!(whole, std::fs::read(&two).expect("read"));
    // Shards cover contiguous run ranges: their tables, concatenated without their headers, are the whole table.
    let mut joined = String::new();
    for k in 1..=3 {
        let part = run_table(
            dir.path(),
            &format!("part{k}.csv"),
            &[
                "--shard",
                &format!("{k}/3"),
                "-o",
                &arg(&dir.path().join(format!("part{k}.json"))),
            ],
        );
        let text = std::fs::read_to_string(&part).expect("read");
        let mut lines = text.lines();
        let header = lines.next().expect("header");
        if k == 1 {
            joined.push_str(header);
            joined.push('\n');
        }
        for line in lines {
            joined.push_str(line);
            joined.push('\n');
        }
    }
    assert_eq!(joined.as_bytes(), whole.as_slice());
}

#[test]
fn compare_table_pairs_arms_run_by_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("pairs.csv");
    let o = wedge([
        "compare",
        &arg(&scenario("baseline-2021.ron")),
        "--levers",
        "sanctions-relief-path",
        "--runs",
        "300",
        "-q",
        "--runs-out",
        &arg(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (header, rows) = read_csv(&out);
    assert_eq!(rows.len(), 600);
    let arm = column(&header, "arm");
    let run = column(&header, "run");
    let lever = column(&header, "l.sanctions-relief-path");
    let growth = column(&header, "u.china_growth");
    for pair in rows.chunks(2) {
        assert_eq!(pair[0][run], pair[1][run]);
        assert_eq!(pair[0][lever], "0");
        assert_eq!(pair[1][lever], "1");
        assert!(pair[1][arm].contains("sanctions-relief-path"));
        // Common random numbers: both arms of a run draw the same uncertainties.
        assert_eq!(pair[0][growth], pair[1][growth]);
    }
}

#[test]
fn sweeps_are_tidy_and_their_tables_carry_the_swept_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("sweep.csv");
    let o = wedge([
        "sweep",
        &arg(&scenario("lever-sanctions-relief-path.ron")),
        "--param",
        "levers.sanctions-relief-path.intensity=0,1,2",
        "--runs",
        "200",
        "-q",
        "--format",
        "csv",
        "--runs-out",
        &arg(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = stdout(&o);
    let header = summary.lines().next().expect("a header");
    assert!(
        header
            .split(',')
            .any(|h| h == "levers.sanctions-relief-path.intensity"),
        "{header}"
    );
    assert!(
        !summary.contains("intensity="),
        "no packed name=value strings: {summary}"
    );
    let (header, rows) = read_csv(&out);
    assert_eq!(rows.len(), 600);
    let p = column(&header, "p.levers.sanctions-relief-path.intensity");
    let values: Vec<&str> = rows[..3].iter().map(|r| r[p].as_str()).collect();
    assert_eq!(values, ["0", "1", "2"]);

    let j = wedge_json([
        "sweep",
        &arg(&scenario("lever-sanctions-relief-path.ron")),
        "--param",
        "levers.sanctions-relief-path.intensity=0,2",
        "--runs",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(
        j["arms"][1]["params"]["levers.sanctions-relief-path.intensity"],
        2.0
    );
}

#[test]
fn sweeping_or_setting_a_drawn_path_is_an_error_that_says_what_to_sweep_instead() {
    let o = wedge([
        "sweep",
        &arg(&scenario("baseline-2021.ron")),
        "--param",
        "params.successor_orientation_base=0,0.6",
        "--runs",
        "100",
    ]);
    assert_fails(&o, 2, "successor_orientation");
    let err = stderr(&o);
    assert!(
        err.contains("uncertainties.successor_orientation.mean")
            || err.contains("uncertainties.successor_orientation.low"),
        "{err}"
    );
}

#[cfg(not(feature = "parquet"))]
#[test]
fn runs_out_refuses_parquet_without_the_feature_with_advice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("runs.parquet");
    let o = wedge([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--runs",
        "10",
        "--runs-out",
        &arg(&path),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The message is wrapped to the terminal's width: compare its words.
    let err = stderr(&o);
    let words = err
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains("rebuild it with `cargo build --release --features parquet`")
            && words.contains("write CSV"),
        "{err}"
    );
    assert!(!path.exists());
}

#[cfg(feature = "parquet")]
#[test]
fn runs_out_writes_parquet_with_its_metadata_inside() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("runs.parquet");
    let o = wedge([
        "run",
        &arg(&scenario("baseline-2021.ron")),
        "--runs",
        "50",
        "--seed",
        "4",
        "--runs-out",
        &arg(&path),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&path).expect("the table was written");
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("wedge.meta"), "no metadata in the file");
    assert!(!dir.path().join("runs.meta.json").exists());
}

#[test]
fn sobol_indices_are_deterministic_and_coherent() {
    // 32 replicates: with 16, every row of seed 2 gave the same split share
    // (the same few runs split whatever the four uncertainties), leaving no
    // variance to apportion.
    let args = [
        "sobol",
        &arg(&scenario("baseline-2021.ron")),
        "--base",
        "32",
        "--replicates",
        "32",
        "--seed",
        "2",
        "--format",
        "json",
    ];
    let a = wedge_json(args);
    let b = wedge_json(args);
    assert_eq!(a["outcomes"], b["outcomes"]);
    let factors = a["factors"].as_array().expect("factors");
    assert_eq!(factors.len(), 4);
    assert_eq!(a["rows"], 32 * 6);
    assert_eq!(a["runs"], 32 * 6 * 32);
    // The provenance every result carries, at the top level.
    assert_eq!(a["seed"], 2);
    assert_eq!(a["wedge_version"], env!("CARGO_PKG_VERSION"));
    assert!(
        a["command"]
            .as_str()
            .is_some_and(|c| c.starts_with("wedge sobol "))
    );
    assert!(a["scenario_hash"].as_str().is_some_and(|h| h.len() == 64));
    for outcome in a["outcomes"].as_array().expect("outcomes") {
        let s1 = outcome["indices"]["first_order"].as_array().expect("S1");
        let st = outcome["indices"]["total_order"].as_array().expect("ST");
        assert_eq!(s1.len(), 4);
        for (f, t) in s1.iter().zip(st) {
            let f = f["value"].as_f64().expect("S1 value");
            let t = t["value"].as_f64().expect("ST value");
            assert!((-0.05..=1.5).contains(&t), "ST {t}");
            assert!(f <= t + 0.3, "S1 {f} far above ST {t}");
        }
        assert!(outcome["noise"]["share"].as_f64().is_some_and(|s| s >= 0.0));
    }
    let text = stdout(&wedge([
        "sobol",
        &arg(&scenario("baseline-2021.ron")),
        "--base",
        "32",
        "--replicates",
        "32",
        "--seed",
        "2",
    ]));
    assert!(text.contains("σ²/V"), "{text}");
    assert!(text.contains("successor_orientation"), "{text}");
}

/// A synthetic table with a known box: y = [x1 > 0.7 and x2 < 0.3], 5% of labels flipped.
fn synthetic_table(path: &Path) {
    // SplitMix64 (Steele, Lea & Flood 2014): a small, fixed generator for test data.
    let mut state: u64 = 11;
    let mut uniform = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text = String::from("run,u.x1,u.x2,u.x3,l.lever,split\n");
    for i in 0..5000 {
        let x: [f64; 4] = [uniform(), uniform(), uniform(), uniform()];
        let inside = x[0] > 0.7 && x[1] < 0.3;
        let flip = uniform() < 0.05;
        text.push_str(&format!(
            "{i},{},{},{},{},{}\n",
            x[0],
            x[1],
            x[2],
            x[3],
            u8::from(inside != flip)
        ));
    }
    std::fs::write(path, text).expect("write the table");
}

#[test]
fn discover_finds_the_known_box_of_a_synthetic_table() {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = dir.path().join("runs.csv");
    synthetic_table(&table);
    let j = wedge_json([
        "discover",
        &arg(&table),
        "--threshold",
        "0.9",
        "--format",
        "json",
    ]);
    assert_eq!(j["rows"], 5000);
    assert_eq!(j["inputs"].as_array().map(Vec::len), Some(4));
    let chosen = &j["boxes"][0]["inspection"];
    let significant: Vec<&str> = chosen["restrictions"]
        .as_array()
        .expect("restrictions")
        .iter()
        .filter(|r| r["significant"] == true)
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(significant, ["u.x1", "u.x2"]);
    assert!(chosen["coverage"].as_f64().is_some_and(|c| c >= 0.55));
    assert!(chosen["density"].as_f64().is_some_and(|d| d >= 0.88));
    let text = stdout(&wedge(["discover", &arg(&table), "--threshold", "0.9"]));
    assert!(
        text.contains("coverage") && text.contains("density"),
        "{text}"
    );
    assert!(text.contains("u.x1"), "{text}");
}

#[test]
fn discover_reads_a_table_written_by_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_table(dir.path(), "runs.csv", &[]);
    let j = wedge_json([
        "discover",
        &arg(&out),
        "--threshold",
        "0.5",
        "--format",
        "json",
    ]);
    assert_eq!(j["rows"], 700);
    let inputs: Vec<&str> = j["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(inputs.iter().all(|i| i.starts_with("u.")), "{inputs:?}");
    assert!(
        j["boxes"][0]["trajectory"]
            .as_array()
            .is_some_and(|t| t.len() > 1)
    );
    let o = wedge(["discover", &arg(&out), "--outcome", "nope"]);
    assert_fails(&o, 2, "no column `nope`");
}
