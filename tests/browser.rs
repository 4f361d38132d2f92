//! The page in a real browser: Debian's Chromium, headless, driven through
//! chromedriver's W3C WebDriver API. Load the page, pull a lever, wait for the
//! result, check the numbers shown against `wedge compare` for the same seed,
//! open a story, and save a screenshot.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's `chromium`
//! and `chromium-driver`; override with `WEDGE_CHROMIUM` and
//! `WEDGE_CHROMEDRIVER`). Without them the test says so and passes. The
//! screenshot goes to the test's temporary folder, or to `WEDGE_SCREENSHOT`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::http::{Server, get, post, request};
use crate::util::{arg, root, scenario, wedge_json};

const RUNS: &str = "512";
const SEED: &str = "7";

fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    path.exists().then_some(path)
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    addr: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(binary: &PathBuf) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            addr: format!("127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if std::net::TcpStream::connect(&driver.addr).is_ok()
                && get(&driver.addr, "/status").json()["value"]["ready"] == true
            {
                return driver;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not become ready");
    }
}

/// A WebDriver session.
struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("/session/{}{path}", self.id);
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let reply = request(&self.driver.addr, method, &url, body.as_bytes());
        let value = reply.json();
        assert_eq!(reply.status, 200, "{method} {path}: {value}");
        value["value"].clone()
    }

    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        let found = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/clear"), Some(json!({})));
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        );
    }

    fn wait_for(&self, what: &str, script: &str) -> Value {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            let value = self.script(script);
            if !value.is_null() && value != false {
                return value;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let status = self.script("return document.getElementById('status').textContent");
        panic!("timed out waiting for {what}; the page says: {status}");
    }
}

/// A number shown as `12.3%` or `+1.2` (with a typographic minus).
fn shown_number(text: &str) -> f64 {
    let cleaned: String = text
        .replace('−', "-")
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
        .collect();
    cleaned
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {text}"))
}

fn assert_shown(what: &str, text: &str, value: f64) {
    let shown = shown_number(text);
    assert!(
        (shown - value * 100.0).abs() <= 0.05 + 1e-9,
        "{what}: the page shows {text}, the library gives {value}"
    );
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for group in digits.chunks(4) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..group.len().saturating_sub(1)]);
    }
    out
}

#[test]
fn the_page_pulls_a_lever_and_shows_the_librarys_numbers() {
    let (Some(chromium), Some(chromedriver)) = (
        tool("WEDGE_CHROMIUM", "/usr/bin/chromium"),
        tool("WEDGE_CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) else {
        eprintln!(
            "SKIPPED the browser test: Chromium or chromedriver is not installed \
             (apt-get install -y chromium chromium-driver)"
        );
        return;
    };
    let server = Server::start(&root().join("scenarios"), &[]);
    let driver = Driver::start(&chromedriver);
    let profile = tempfile::tempdir().expect("a temporary profile folder");
    let created = post(
        &driver.addr,
        "/session",
        &json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--window-size=1280,1000",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}}),
    );
    let session_id = created.json()["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {}", created.text()))
        .to_string();
    let session = Session {
        driver: &driver,
        id: session_id,
    };
    session.call(
        "POST",
        "/url",
        Some(json!({"url": format!("http://{}/", server.addr)})),
    );
    session.wait_for(
        "the page to load the levers",
        "return document.body.dataset.ready === 'true'",
    );

    // Every control has a real label, and nothing is out of reach of the keyboard.
    let unlabelled = session.script(
        "return [...document.querySelectorAll('input, select')] \
           .filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id);",
    );
    assert_eq!(unlabelled, json!([]), "controls without a <label>");
    let unreachable = session.script(
        "return [...document.querySelectorAll('input, select, button')] \
           .filter((e) => e.tabIndex < 0).map((e) => e.id);",
    );
    assert_eq!(unreachable, json!([]), "controls out of the tab order");

    // Pull a lever, with a small batch and a fixed seed.
    session.type_into("#runs", RUNS);
    session.type_into("#seed", SEED);
    session.click("#on-arms-control");
    session.click("#run");
    let shown = session.wait_for(
        "the result",
        "const d = document.getElementById('delta-estimate'); \
         if (!d || document.getElementById('run').disabled) return null; \
         const t = (id) => document.getElementById(id).textContent; \
         return {base: t('base-split'), pkg: t('pkg-split'), delta: t('delta-estimate'), \
                 ci: t('delta-ci'), status: t('status'), \
                 curves: document.querySelectorAll('#survival-svg polyline').length, \
                 defectors: document.querySelectorAll('#defector-table tbody tr').length};",
    );
    let library = wedge_json([
        "compare",
        &arg(&scenario("baseline-2021.ron")),
        "--levers",
        "arms-control",
        "--runs",
        RUNS,
        "--seed",
        SEED,
        "--format",
        "json",
    ]);
    let (base, pkg) = (&library["arms"][0], &library["arms"][1]);
    let number = |v: &Value| v.as_f64().expect("a number");
    let text = |k: &str| shown[k].as_str().unwrap_or_default().to_string();
    assert_shown(
        "baseline split",
        &text("base"),
        number(&base["split"]["probability"]),
    );
    assert_shown(
        "package split",
        &text("pkg"),
        number(&pkg["split"]["probability"]),
    );
    assert_shown(
        "paired difference",
        &text("delta"),
        number(&pkg["delta"]["estimate"]),
    );
    let ci = text("ci");
    let (low, high) = ci
        .trim_matches(|c| c == '[' || c == ']')
        .split_once(',')
        .unwrap_or_else(|| panic!("an interval: {ci}"));
    assert_shown("interval low", low, number(&pkg["delta"]["ci95"][0]));
    assert_shown("interval high", high, number(&pkg["delta"]["ci95"][1]));
    assert!(text("status").contains("Done"), "{shown}");
    assert_eq!(shown["curves"], 2, "two survival curves are drawn");
    assert_eq!(shown["defectors"], 2, "who defected, per arm");

    // Tell one story: run 0 of the package, as `wedge trace` replays it.
    session.click("#story");
    let ending = session.wait_for(
        "the story",
        "const e = document.getElementById('story-ending'); return e && e.textContent;",
    );
    let trace = wedge_json([
        "trace",
        &arg(&scenario("lever-arms-control.ron")),
        "--seed",
        SEED,
        "--run",
        "0",
        "--format",
        "json",
    ]);
    let ending = ending.as_str().unwrap_or_default();
    match trace["summary"]["split_turn"].as_u64() {
        Some(turn) => {
            let year = number(&trace["turns"][turn as usize]["year"]);
            assert!(ending.contains(&format!("{year:.2}")), "{ending}");
        }
        None => assert!(ending.contains("held to the horizon"), "{ending}"),
    }

    // A screenshot of the page with its result and story.
    session.script("window.scrollTo(0, 0); document.activeElement.blur(); return true;");
    let height = session
        .script("return document.documentElement.scrollHeight")
        .as_u64()
        .unwrap_or(1000)
        .clamp(900, 1750);
    session.call(
        "POST",
        "/window/rect",
        Some(json!({"width": 1280, "height": height})),
    );
    let png = decode_base64(
        session
            .call("GET", "/screenshot", None)
            .as_str()
            .unwrap_or(""),
    );
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let path = std::env::var_os("WEDGE_SCREENSHOT").map_or_else(
        || PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve.png"),
        PathBuf::from,
    );
    std::fs::write(&path, &png).expect("the screenshot is written");
    eprintln!("screenshot: {}", path.display());
    request(
        &driver.addr,
        "DELETE",
        &format!("/session/{}", session.id),
        b"",
    );
}
