//! `wedge serve`: the JSON API against the command line, and what a client
//! may not do (bad, oversized, unknown, escaping and concurrent requests).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http::{Server, get, post, read_until, request, send};
use crate::util::{arg, root, scenario, wedge_json, without_timing};

fn server() -> Server {
    Server::start(&root().join("scenarios"), &[])
}

#[test]
fn compare_answers_what_wedge_compare_prints() {
    let s = server();
    let reply = post(
        &s.addr,
        "/api/compare",
        &json!({"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "runs": 600, "seed": 7}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let cli = wedge_json([
        "compare",
        &arg(&scenario("baseline-2021.ron")),
        "--levers",
        "arms-control",
        "--runs",
        "600",
        "--seed",
        "7",
        "--format",
        "json",
    ]);
    assert_eq!(without_timing(reply.json()), without_timing(cli));
}

#[test]
fn a_package_with_settings_equals_a_scenario_file_with_them() {
    // The API's package arm is the baseline with the chosen levers; written as a
    // scenario file and compared on the command line, it gives the same numbers.
    let dir = tempfile::tempdir().expect("a temporary folder");
    for f in ["baseline-2021.ron", "levers.ron"] {
        std::fs::copy(scenario(f), dir.path().join(f)).expect("copy");
    }
    std::fs::write(
        dir.path().join("package.ron"),
        r#"(extend: "baseline-2021.ron", name: "package", levers: [
            (name: "arms-control", intensity: 1.5, onset_years: 2.0),
            (name: "sanctions-relief-path", condition: Always)])"#,
    )
    .expect("write");
    let s = Server::start(dir.path(), &[]);
    let reply = post(
        &s.addr,
        "/api/compare",
        &json!({"scenario": "baseline-2021", "runs": 512, "seed": 3, "levers": [
            {"name": "arms-control", "intensity": 1.5, "onset_years": 2.0},
            {"name": "sanctions-relief-path", "condition": "Always"}]}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let api = reply.json();
    let cli = wedge_json([
        "compare",
        &arg(&dir.path().join("baseline-2021.ron")),
        &arg(&dir.path().join("package.ron")),
        "--runs",
        "512",
        "--seed",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(
        api["arms"][1]["name"],
        "+arms-control+sanctions-relief-path"
    );
    for (a, c) in api["arms"]
        .as_array()
        .expect("arms")
        .iter()
        .zip(cli["arms"].as_array().expect("arms"))
    {
        for key in [
            "split",
            "delta",
            "pairs",
            "survival",
            "median_years_to_split",
        ] {
            assert_eq!(a[key], c[key], "{key}");
        }
    }
    assert_ne!(
        api["arms"][1]["delta"]["estimate"], 0.0,
        "the levers changed something"
    );
}

#[test]
fn trace_answers_what_wedge_trace_prints() {
    let s = server();
    let reply = post(
        &s.addr,
        "/api/trace",
        &json!({"scenario": "baseline-2021", "seed": 3, "run": 5}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let cli = wedge_json([
        "trace",
        &arg(&scenario("baseline-2021.ron")),
        "--seed",
        "3",
        "--run",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(reply.json(), cli);

    // With a lever: the same run as the shipped scenario that adds it (named differently).
    let mut api = post(
        &s.addr,
        "/api/trace",
        &json!({"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "seed": 3, "run": 5}),
    )
    .json();
    let mut cli = wedge_json([
        "trace",
        &arg(&scenario("lever-arms-control.ron")),
        "--seed",
        "3",
        "--run",
        "5",
        "--format",
        "json",
    ]);
    api["scenario"] = Value::Null;
    cli["scenario"] = Value::Null;
    assert_eq!(api, cli);
}

#[test]
fn lists_scenarios_and_levers_with_descriptions() {
    let s = server();
    let scenarios = get(&s.addr, "/api/scenarios").json();
    let names: Vec<&str> = scenarios
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|x| x["name"].as_str())
        .collect();
    assert!(names.contains(&"baseline-2021"), "{names:?}");
    assert!(
        !names.contains(&"levers"),
        "a lever library is not a scenario"
    );
    let levers = get(&s.addr, "/api/levers?scenario=baseline-2021").json();
    let relief = levers["levers"]
        .as_array()
        .expect("levers")
        .iter()
        .find(|l| l["name"] == "sanctions-relief-path")
        .expect("the sanctions-relief lever is listed");
    assert!(relief["description"].as_str().is_some_and(|d| d.len() > 20));
    assert_eq!(
        relief["condition"]["WhileAggressionBelow"]["partner"],
        "russia"
    );
    assert!(
        levers["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .any(|p| p["name"] == "kupchan-package")
    );
    assert_eq!(
        get(&s.addr, "/api/levers").json()["scenario"],
        "baseline-2021"
    );
    let page = get(&s.addr, "/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<label for=\"runs\">"));
    assert!(
        page.header("content-security-policy")
            .is_some_and(|p| p.contains("default-src 'none'"))
    );
    assert!(get(&s.addr, "/app.js").text().contains("/api/compare"));
}

/// (body, status, error kind, a fragment of the message).
const BAD: &[(&str, u16, &str, &str)] = &[
    ("", 400, "bad_request", "no body"),
    ("{bad", 400, "bad_request", "invalid JSON"),
    ("[]", 400, "bad_request", "invalid JSON"),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "rnus": 5}"#,
        400,
        "bad_request",
        "unknown field `rnus`",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control", "strength": 2}]}"#,
        400,
        "bad_request",
        "unknown field `strength`",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "runs": -1}"#,
        400,
        "bad_request",
        "invalid",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "runs": "many"}"#,
        400,
        "bad_request",
        "invalid type",
    ),
    (
        r#"{"scenario": "no-such", "levers": [{"name": "arms-control"}]}"#,
        404,
        "unknown_scenario",
        "no scenario named `no-such`",
    ),
    (
        r#"{"scenario": "../Cargo", "levers": [{"name": "arms-control"}]}"#,
        404,
        "unknown_scenario",
        "`../Cargo`",
    ),
    (
        r#"{"scenario": "/etc/passwd", "levers": [{"name": "arms-control"}]}"#,
        404,
        "unknown_scenario",
        "passwd",
    ),
    (
        r#"{"scenario": "baseline-2021.ron", "levers": [{"name": "arms-control"}]}"#,
        404,
        "unknown_scenario",
        "baseline-2021.ron",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-contrl"}]}"#,
        404,
        "unknown_lever",
        "arms-contrl",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": []}"#,
        422,
        "invalid",
        "at least one lever",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "runs": 0}"#,
        422,
        "invalid",
        "runs must be between 1 and 20000",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control"}], "runs": 20001}"#,
        422,
        "invalid",
        "runs must be between",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control", "intensity": 1e300}]}"#,
        422,
        "invalid",
        "intensity must be between 0 and 5",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "arms-control", "onset_years": 11}]}"#,
        422,
        "invalid",
        "onset_years must be between 0 and 10",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "sanctions-relief-path", "condition": {"WhileAggressionBelow": {"partner": "russia", "max": 7}}}]}"#,
        422,
        "invalid",
        "condition.max",
    ),
    (
        r#"{"scenario": "baseline-2021", "levers": [{"name": "kupchan-package"}, {"name": "arms-control"}]}"#,
        422,
        "invalid",
        "named twice",
    ),
];

#[test]
fn bad_requests_get_a_4xx_json_error_naming_the_problem() {
    let s = server();
    for (body, status, kind, fragment) in BAD {
        let reply = request(&s.addr, "POST", "/api/compare", body.as_bytes());
        assert_eq!(reply.status, *status, "{body}: {}", reply.text());
        let error = reply.json();
        assert_eq!(error["error"], *kind, "{body}: {error}");
        let message = error["message"].as_str().unwrap_or("");
        assert!(
            message.contains(fragment),
            "{body}: `{fragment}` not in `{message}`"
        );
    }
    let unknown = post(
        &s.addr,
        "/api/compare",
        &json!({"scenario": "baseline-2021", "levers": [{"name": "arms-contrl"}]}),
    )
    .json();
    assert!(
        unknown["valid"].as_array().is_some_and(
            |v| v.contains(&json!("arms-control")) && v.contains(&json!("kupchan-package"))
        ),
        "{unknown}"
    );
    let unknown = post(&s.addr, "/api/trace", &json!({"scenario": "nope"})).json();
    assert!(
        unknown["valid"]
            .as_array()
            .is_some_and(|v| v.contains(&json!("baseline-2021"))),
        "{unknown}"
    );
    for (method, path, status, kind) in [
        ("GET", "/api/nothing", 404, "not_found"),
        ("GET", "/../Cargo.toml", 404, "not_found"),
        ("GET", "/api/compare", 405, "method_not_allowed"),
        ("DELETE", "/api/jobs/999", 404, "unknown_job"),
        ("DELETE", "/api/jobs/x", 400, "bad_request"),
        (
            "GET",
            "/api/levers?scenario=../Cargo",
            404,
            "unknown_scenario",
        ),
        ("GET", "/api/levers?bogus=1", 400, "bad_request"),
    ] {
        let reply = request(&s.addr, method, path, b"");
        assert_eq!(reply.status, status, "{method} {path}: {}", reply.text());
        assert_eq!(reply.json()["error"], kind, "{method} {path}");
    }
    // After all that the server still serves.
    assert_eq!(get(&s.addr, "/api/status").json()["running_jobs"], 0);
}

#[test]
fn oversized_bodies_are_refused() {
    let s = server();
    let big = format!(
        r#"{{"scenario": "baseline-2021", "levers": [{{"name": "arms-control"}}], "pad": "{}"}}"#,
        "x".repeat(100_000)
    );
    let reply = request(&s.addr, "POST", "/api/compare", big.as_bytes());
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert_eq!(reply.json()["error"], "too_large");
    let many: Vec<Value> = (0..40).map(|i| json!({"name": format!("l{i}")})).collect();
    let reply = post(
        &s.addr,
        "/api/trace",
        &json!({"scenario": "baseline-2021", "levers": many}),
    );
    assert_eq!(reply.status, 422);
    assert!(
        reply.json()["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 32 levers"))
    );
}

#[test]
fn scenarios_outside_the_folder_cannot_be_named_even_through_a_symlink() {
    let outside = tempfile::tempdir().expect("a temporary folder");
    let served = outside.path().join("served");
    std::fs::create_dir(&served).expect("mkdir");
    for f in ["baseline-2021.ron", "levers.ron"] {
        std::fs::copy(scenario(f), served.join(f)).expect("copy");
    }
    std::fs::copy(
        scenario("baseline-2021.ron"),
        outside.path().join("secret.ron"),
    )
    .expect("copy");
    std::fs::copy(scenario("levers.ron"), outside.path().join("levers.ron")).expect("copy");
    std::os::unix::fs::symlink(outside.path().join("secret.ron"), served.join("escape.ron"))
        .expect("symlink");
    let s = Server::start(&served, &[]);
    let names: Vec<String> = get(&s.addr, "/api/scenarios")
        .json()
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|x| x["name"].as_str().map(str::to_string))
        .collect();
    assert_eq!(names, ["baseline-2021"]);
    for name in ["escape", "../secret", "served/../secret"] {
        let reply = post(&s.addr, "/api/trace", &json!({"scenario": name}));
        assert_eq!(reply.status, 404, "{name}: {}", reply.text());
        assert_eq!(reply.json()["error"], "unknown_scenario");
    }
}

fn compare_body(runs: u64) -> Value {
    json!({"scenario": "baseline-2021", "levers": [{"name": "kupchan-package"}], "runs": runs, "seed": 11})
}

#[test]
fn concurrent_requests_are_served_or_refused_and_agree() {
    let s = Server::start(&root().join("scenarios"), &["--max-jobs", "2"]);
    let addr = s.addr.clone();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || post(&addr, "/api/compare", &compare_body(1024)))
        })
        .collect();
    let replies: Vec<_> = handles
        .into_iter()
        .map(|h| h.join().expect("a client thread"))
        .collect();
    let done: Vec<Value> = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| without_timing(r.json()))
        .collect();
    assert!(!done.is_empty(), "some requests were served");
    for r in replies.iter().filter(|r| r.status != 200) {
        assert_eq!(r.status, 429, "{}", r.text());
        assert_eq!(r.json()["error"], "busy");
    }
    assert!(
        done.iter().all(|d| *d == done[0]),
        "every answer is the same"
    );
    // One at a time, none is refused.
    for _ in 0..3 {
        assert_eq!(post(&addr, "/api/compare", &compare_body(256)).status, 200);
    }
    assert_eq!(get(&addr, "/api/status").json()["running_jobs"], 0);
}

fn wait_for_idle(addr: &str, within: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if get(addr, "/api/status").json()["running_jobs"] == 0 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn start_long_stream(addr: &str) -> (std::net::TcpStream, u64) {
    let body = compare_body(100_000).to_string();
    let mut stream = send(
        addr,
        "POST",
        "/api/compare",
        &[
            ("Content-Type", "application/json"),
            ("Accept", "text/event-stream"),
        ],
        body.as_bytes(),
    );
    let seen = read_until(&mut stream, "event: progress");
    assert!(seen.contains("text/event-stream"), "{seen}");
    let job = seen
        .split("\"job\":")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no job id in {seen}"));
    assert_eq!(get(addr, "/api/status").json()["running_jobs"], 1);
    (stream, job)
}

#[test]
fn a_stream_reports_progress_and_can_be_cancelled_or_dropped() {
    let s = Server::start(&root().join("scenarios"), &["--max-runs", "100000"]);
    // A short one runs to the end: progress, who defected, then the result.
    let mut stream = send(
        &s.addr,
        "POST",
        "/api/compare",
        &[("Accept", "text/event-stream")],
        compare_body(1024).to_string().as_bytes(),
    );
    let seen = read_until(&mut stream, "event: result");
    for event in ["started", "progress", "defectors", "result"] {
        assert!(seen.contains(&format!("event: {event}")), "{event}: {seen}");
    }
    assert!(seen.contains(r#""done":2048,"total":2048"#), "{seen}");

    // 100,000 runs per arm would take most of a minute: cancelled, it stops at once.
    let (mut stream, job) = start_long_stream(&s.addr);
    let reply = request(&s.addr, "DELETE", &format!("/api/jobs/{job}"), b"");
    assert_eq!(reply.status, 204, "{}", reply.text());
    let rest = read_until(&mut stream, "cancelled");
    assert!(rest.contains(r#""error":"cancelled""#), "{rest}");
    assert!(wait_for_idle(&s.addr, Duration::from_secs(5)));

    // A client that goes away stops its job too.
    let (stream, _) = start_long_stream(&s.addr);
    drop(stream);
    assert!(
        wait_for_idle(&s.addr, Duration::from_secs(5)),
        "the job stopped when its client left"
    );

    // So does a plain request whose client gives up waiting.
    let stream = send(
        &s.addr,
        "POST",
        "/api/compare",
        &[("Content-Type", "application/json")],
        compare_body(100_000).to_string().as_bytes(),
    );
    let start = Instant::now();
    while get(&s.addr, "/api/status").json()["running_jobs"] != 1 {
        assert!(start.elapsed() < Duration::from_secs(10), "the job started");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stream);
    assert!(
        wait_for_idle(&s.addr, Duration::from_secs(5)),
        "the plain request's job stopped when its client left"
    );
}
