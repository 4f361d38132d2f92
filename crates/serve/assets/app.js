// wedge serve: the page's script. Builds the lever controls from /api/levers,
// runs comparisons through /api/compare (progress as server-sent events,
// cancellable), draws the survival curves as inline SVG, and tells one run's
// story from /api/trace. No libraries, nothing loaded from elsewhere.
"use strict";

const $ = (id) => document.getElementById(id);

const ACTORS = {
  united_states: "the United States",
  china: "China",
  russia: "Russia",
  india: "India",
  european_union: "the EU",
};

const state = {
  scenarios: [],
  levers: null,
  job: null,
  abort: null,
  lastRequest: null,
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const pct = (p) => (p * 100).toFixed(1) + "%";
const pp = (d) => (d >= 0 ? "+" : "−") + Math.abs(d * 100).toFixed(1);
const actorName = (key) => ACTORS[key] || key.replaceAll("_", " ");
const words = (key) => String(key).replaceAll("_", " ");

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

// ---- lever controls -------------------------------------------------------

function conditionText(condition) {
  if (condition === "Always") return null;
  const [kind, args] = Object.entries(condition)[0];
  switch (kind) {
    case "WhileAggressionBelow":
      return { kind, label: `Only while ${actorName(args.partner)}'s aggression is at most`, value: args.max, min: 0, max: 1, args };
    case "WhileAlignmentAbove":
      return { kind, label: "Only while alignment is at least", value: args.min, min: -1, max: 1, args };
    case "WhileAlignmentBelow":
      return { kind, label: "Only while alignment is at most", value: args.max, min: -1, max: 1, args };
    default:
      return null;
  }
}

function leverRow(lever, horizon, maxIntensity) {
  const id = lever.name;
  const on = el("input", { type: "checkbox", id: `on-${id}`, "data-lever": id, "aria-describedby": `desc-${id}` });
  const intensity = el("input", {
    type: "range", id: `int-${id}`, min: 0, max: Math.min(maxIntensity, 3), step: 0.1, value: 1,
  });
  const shown = el("output", { for: `int-${id}`, id: `int-out-${id}`, text: "1.0" });
  intensity.addEventListener("input", () => { shown.textContent = Number(intensity.value).toFixed(1); });
  const onset = el("input", { type: "number", id: `onset-${id}`, min: 0, max: horizon, step: 0.25, value: 0 });
  const settings = el("div", { class: "settings" },
    el("span", { class: "setting" }, el("label", { for: `int-${id}`, text: "Intensity" }), intensity, shown),
    el("span", { class: "setting" }, el("label", { for: `onset-${id}`, text: "Starts after (years)" }), onset),
  );
  const condition = conditionText(lever.condition);
  if (condition) {
    const keep = el("input", { type: "checkbox", id: `cond-on-${id}`, checked: true });
    const threshold = el("input", {
      type: "number", id: `cond-${id}`, min: condition.min, max: condition.max, step: 0.05, value: condition.value,
    });
    settings.append(el("span", { class: "setting" }, keep,
      el("label", { for: `cond-on-${id}`, text: condition.label }),
      el("label", { for: `cond-${id}`, class: "sr-only", text: `threshold of the condition of ${id}` }), threshold));
  }
  const pulled = lever.pulled_by.map(actorName).join(", ");
  const row = el("div", { class: "lever off", id: `lever-${id}` },
    el("div", { class: "head" }, on, el("label", { for: `on-${id}`, text: id })),
    el("p", { class: "hint", id: `desc-${id}`, text: `${lever.description} Pulled by ${pulled}.` }),
    settings);
  on.addEventListener("change", () => row.classList.toggle("off", !on.checked));
  return row;
}

function choice(lever) {
  const id = lever.name;
  const chosen = { name: id };
  const intensity = Number($(`int-${id}`).value);
  if (intensity !== 1) chosen.intensity = intensity;
  const onset = Number($(`onset-${id}`).value);
  if (onset > 0) chosen.onset_years = onset;
  const condition = conditionText(lever.condition);
  if (condition) {
    const keep = $(`cond-on-${id}`).checked;
    const value = Number($(`cond-${id}`).value);
    if (!keep) chosen.condition = "Always";
    else if (value !== condition.value) {
      const args = { ...condition.args };
      if ("max" in args && condition.kind !== "WhileAlignmentAbove") args.max = value;
      else args.min = value;
      chosen.condition = { [condition.kind]: args };
    }
  }
  return chosen;
}

function chosenLevers() {
  if (!state.levers) return [];
  return state.levers.levers.filter((l) => $(`on-${l.name}`).checked).map(choice);
}

async function loadLevers(scenario) {
  const list = $("lever-list");
  const packages = $("packages");
  list.replaceChildren();
  packages.replaceChildren();
  state.levers = null;
  let answer;
  try {
    answer = await getJson(`/api/levers?scenario=${encodeURIComponent(scenario)}`);
  } catch (e) {
    list.append(el("p", { class: "hint", text: `No levers can be added to this scenario: ${e.message}` }));
    return;
  }
  state.levers = answer;
  for (const lever of answer.levers) list.append(leverRow(lever, answer.horizon_years, answer.max_intensity));
  for (const pkg of answer.packages) {
    const button = el("button", { type: "button", class: "secondary", title: pkg.description, text: `Tick the package “${pkg.name}”` });
    button.addEventListener("click", () => {
      for (const lever of answer.levers) {
        const box = $(`on-${lever.name}`);
        box.checked = pkg.levers.includes(lever.name);
        box.dispatchEvent(new Event("change"));
      }
      setStatus(`Ticked the ${pkg.levers.length} levers of “${pkg.name}”: ${pkg.description}`);
    });
    packages.append(button);
  }
  const clear = el("button", { type: "button", class: "secondary", text: "Untick all" });
  clear.addEventListener("click", () => {
    for (const lever of answer.levers) {
      const box = $(`on-${lever.name}`);
      box.checked = false;
      box.dispatchEvent(new Event("change"));
    }
  });
  packages.append(clear);
}

// ---- comparisons ----------------------------------------------------------

function request() {
  return {
    scenario: $("scenario").value,
    levers: chosenLevers(),
    runs: Number($("runs").value),
    seed: Number($("seed").value),
  };
}

async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { name, data: JSON.parse(data.join("\n")) };
    }
  }
}

function busy(on) {
  $("run").disabled = on;
  $("cancel").disabled = !on;
  $("progress").hidden = !on;
  $("results").setAttribute("aria-busy", on ? "true" : "false");
}

async function compare(event) {
  event.preventDefault();
  const body = request();
  if (!body.levers.length) {
    setStatus("Tick at least one lever to compare with the baseline.", true);
    return;
  }
  state.lastRequest = body;
  const controller = new AbortController();
  state.abort = controller;
  busy(true);
  $("progress").value = 0;
  setStatus(`Running ${body.runs.toLocaleString("en")} runs per arm…`);
  let defectors = null;
  try {
    const response = await fetch("/api/compare", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) {
      const problem = await response.json();
      throw new Error(problem.message + (problem.valid ? ` Valid: ${problem.valid.join(", ")}.` : ""));
    }
    for await (const { name, data } of events(response)) {
      if (name === "started") state.job = data.job;
      else if (name === "progress") {
        $("progress").max = data.total;
        $("progress").value = data.done;
        $("progress").setAttribute("aria-valuetext", `${data.done} of ${data.total} runs`);
      } else if (name === "defectors") defectors = data;
      else if (name === "result") {
        showResult(data, defectors, body);
        setStatus(`Done: ${data.runs.toLocaleString("en")} runs per arm, seed ${data.seed}.`);
      } else if (name === "error") throw new Error(data.message);
    }
  } catch (e) {
    if (e.name === "AbortError") setStatus("Cancelled.");
    else setStatus(`The comparison failed: ${e.message}`, true);
  } finally {
    state.job = null;
    state.abort = null;
    busy(false);
  }
}

function cancel() {
  if (state.job !== null) fetch(`/api/jobs/${state.job}`, { method: "DELETE" }).catch(() => {});
  if (state.abort) state.abort.abort();
}

function years(y) {
  return y === null || y === undefined ? "—" : `${y.toFixed(1)} years`;
}

function showResult(result, defectors, body) {
  const [base, pkg] = result.arms;
  const horizon = state.scenarios.find((s) => s.name === body.scenario)?.horizon_years;
  const table = el("table", { id: "arms" },
    el("caption", { text: `Split within the horizon${horizon ? ` (${horizon} years)` : ""}: ${result.runs.toLocaleString("en")} runs per arm, seed ${result.seed}` }),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: "Arm" }),
      el("th", { scope: "col", text: "Split probability" }),
      el("th", { scope: "col", text: "95% interval" }),
      el("th", { scope: "col", text: "Median time to split" }))),
    el("tbody", {}, ...[["Baseline", base, "base"], ["Your package", pkg, "pkg"]].map(([label, arm, key]) =>
      el("tr", {},
        el("th", { scope: "row" }, `${label} `, el("code", { text: arm.name })),
        el("td", { class: "num", id: `${key}-split`, "data-value": arm.split.probability, text: pct(arm.split.probability) }),
        el("td", { class: "num", id: `${key}-ci`, text: `${pct(arm.split.ci95[0])} – ${pct(arm.split.ci95[1])}` }),
        el("td", { class: "num", text: years(arm.median_years_to_split) })))));
  const d = pkg.delta;
  const delta = el("p", { class: "delta", id: "delta" },
    "Paired difference: ",
    el("strong", { id: "delta-estimate", "data-value": d.estimate, text: `${pp(d.estimate)} percentage points` }),
    ", 95% interval ",
    el("span", { id: "delta-ci", "data-low": d.ci95[0], "data-high": d.ci95[1], text: `[${pp(d.ci95[0])}, ${pp(d.ci95[1])}]` }),
    ` — the package ${d.verdict === "no detectable change" ? "makes no detectable change" : d.verdict + " the odds of a split"}.` +
      (d.relative !== null ? ` Relative change ${d.relative >= 0 ? "+" : "−"}${Math.abs(d.relative * 100).toFixed(0)}%.` : "") +
      ` Two independent batches would give [${pp(d.independent_ci95[0])}, ${pp(d.independent_ci95[1])}].`);
  $("summary").replaceChildren(table, delta);
  drawSurvival(base, pkg, horizon);
  showDefectors(defectors);
}

function drawSurvival(base, pkg, horizon) {
  const W = 640, H = 300, L = 52, R = 16, T = 16, B = 40;
  const xmax = horizon || Math.max(...base.survival.map((p) => p.year), 1);
  const x = (year) => L + (year / xmax) * (W - L - R);
  const lowest = Math.min(...[base, pkg].flatMap((a) => a.survival.map((p) => p.ci95[0])), 1);
  const ymin = Math.max(0, Math.floor((lowest - 0.02) * 10) / 10);
  const y = (s) => T + ((1 - s) / (1 - ymin)) * (H - T - B);
  const chart = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", "aria-labelledby": "survival-title survival-desc", id: "survival-svg",
  });
  chart.append(svg("title", { id: "survival-title", text: "Survival of the partnership, baseline against your package" }));
  const last = (arm) => arm.survival[arm.survival.length - 1];
  chart.append(svg("desc", {
    id: "survival-desc",
    text: `After ${xmax} years the partnership holds in ${pct(last(base)?.survival ?? 1)} of baseline runs and ${pct(last(pkg)?.survival ?? 1)} of runs with your package.`,
  }));
  const tick = 1 - ymin > 0.5 ? 0.25 : 0.05;
  for (let s = ymin; s <= 1.0001; s += tick) {
    chart.append(svg("line", { x1: L, x2: W - R, y1: y(s), y2: y(s), stroke: "#d0d0d0" }));
    chart.append(svg("text", { x: L - 6, y: y(s) + 4, "text-anchor": "end", text: `${Math.round(s * 100)}%` }));
  }
  const step = xmax > 20 ? 5 : xmax > 8 ? 2 : 1;
  for (let t = 0; t <= xmax + 1e-9; t += step) {
    chart.append(svg("text", { x: x(t), y: H - B + 16, "text-anchor": "middle", text: String(t) }));
  }
  chart.append(svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", text: "years from the start" }));
  chart.append(svg("line", { x1: L, x2: L, y1: T, y2: H - B, stroke: "#5f5f5f" }));
  chart.append(svg("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#5f5f5f" }));
  const series = [[base, "var(--base)", "", "baseline"], [pkg, "var(--pkg)", "7 4", "package"]];
  for (const [arm, colour, dash, key] of series) {
    const points = [{ year: 0, survival: 1, ci95: [1, 1] }, ...arm.survival];
    const upper = points.map((p) => `${x(p.year)},${y(p.ci95[1])}`);
    const lower = points.map((p) => `${x(p.year)},${y(p.ci95[0])}`).reverse();
    chart.append(svg("polygon", { points: [...upper, ...lower].join(" "), fill: colour, "fill-opacity": 0.15, stroke: "none" }));
    chart.append(svg("polyline", {
      points: points.map((p) => `${x(p.year)},${y(p.survival)}`).join(" "),
      fill: "none", stroke: colour, "stroke-width": 2.5, "stroke-dasharray": dash, id: `curve-${key}`,
    }));
  }
  const legend = svg("g", { transform: `translate(${L + 12},${H - B - 44})` });
  series.forEach(([arm, colour, dash, key], i) => {
    legend.append(svg("line", { x1: 0, x2: 28, y1: i * 18, y2: i * 18, stroke: colour, "stroke-width": 2.5, "stroke-dasharray": dash }));
    legend.append(svg("text", { x: 34, y: i * 18 + 4, text: `${key === "baseline" ? "Baseline" : "Your package"} (${arm.name})` }));
  });
  chart.append(legend);
  $("survival-chart").replaceChildren(chart);
  $("survival").hidden = false;
}

function showDefectors(defectors) {
  const box = $("defectors");
  if (!defectors) {
    box.replaceChildren();
    return;
  }
  const share = (n, of) => (of ? ` (${((n / of) * 100).toFixed(0)}%)` : "");
  box.replaceChildren(el("table", { id: "defector-table" },
    el("caption", { text: "Who broke away, when the partnership split" }),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: "Arm" }),
      el("th", { scope: "col", text: "Splits" }),
      el("th", { scope: "col", text: "Russia broke away" }),
      el("th", { scope: "col", text: "China broke away" }))),
    el("tbody", {}, ...defectors.map((d, i) => el("tr", {},
      el("th", { scope: "row" }, `${i === 0 ? "Baseline" : "Your package"} `, el("code", { text: d.arm })),
      el("td", { class: "num", text: d.splits.toLocaleString("en") }),
      el("td", { class: "num", text: d.russia.toLocaleString("en") + share(d.russia, d.splits) }),
      el("td", { class: "num", text: d.china.toLocaleString("en") + share(d.china, d.splits) }))))));
}

// ---- one story ------------------------------------------------------------

function describeDecision(d, previous) {
  const [actor, decision] = d.decision.split(".");
  let why = "imposed by the scenario";
  if (d.adaptive && d.options.length > 1) {
    const chosen = d.options.find((o) => o.option === d.chosen);
    const best = Math.max(...d.options.map((o) => o.utility));
    why = chosen && chosen.utility >= best ? "its best option by look-ahead" : "by chance, though another option looked better";
  }
  const from = previous ? ` from ${words(previous)}` : "";
  return `${actorName(actor)} switched its ${words(decision)}${from} to ${words(d.chosen)} (${why})`;
}

function mostChosen(decisions) {
  const counts = new Map();
  for (const d of decisions) counts.set(d, (counts.get(d) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

function tellStory(trace, levers) {
  const box = $("story-text");
  const turns = trace.turns;
  const s = trace.summary;
  const signed = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;
  // Year by year: the partners' usual choices, what struck, where alignment went.
  const years = [];
  for (const t of turns) {
    const year = Math.floor(t.year - 1e-9);
    if (!years.length || years[years.length - 1].year !== year) years.push({ year, turns: [] });
    years[years.length - 1].turns.push(t);
  }
  const yearly = [];
  let alignment = turns.length ? turns[0].state.alignment : 0;
  let triangle = turns.length ? turns[0].triangle : null;
  for (const { year, turns: within } of years) {
    const last = within[within.length - 1];
    const parts = [`alignment ${signed(last.state.alignment)} (${signed(last.state.alignment - alignment)} over the year)`];
    alignment = last.state.alignment;
    for (const partner of ["russia", "china"]) {
      const choices = within[0].decisions
        .map((d, i) => [d.decision, i])
        .filter(([name]) => name.startsWith(`${partner}.`))
        .map(([name, i]) => `${words(name.split(".")[1])} mostly ${words(mostChosen(within.map((t) => t.decisions[i].chosen)))}`);
      if (choices.length) parts.push(`${actorName(partner)}: ${choices.join(", ")}`);
    }
    const struck = within.flatMap((t) => t.events);
    if (struck.length) parts.push(`events: ${[...new Set(struck)].map(words).join(", ")}`);
    if (last.triangle !== triangle) parts.push(`the triangle became a ${words(last.triangle)}`);
    triangle = last.triangle;
    const split = within.find((t) => t.split);
    if (split) parts.push(`the partnership split in ${split.year.toFixed(2)}`);
    yearly.push(el("li", {}, el("span", { class: "year", text: String(year) }), ": " + parts.join("; ") + "."));
  }
  // Every change of course, turn by turn, for those who want it all.
  const detail = [];
  let previous = [];
  for (const t of turns) {
    const changes = t.decisions
      .filter((d, i) => previous[i] && previous[i].chosen !== d.chosen)
      .map((d) => describeDecision(d, previous[t.decisions.indexOf(d)].chosen));
    if (changes.length) detail.push(el("li", {}, el("span", { class: "year", text: t.year.toFixed(2) }), ": " + changes.join("; ") + "."));
    previous = t.decisions;
  }
  let ending;
  if (s.split_turn !== null && s.split_turn !== undefined) {
    const year = turns[s.split_turn]?.year;
    ending = `The partnership split in ${year?.toFixed(2)}: ${actorName(s.defector)} broke away.`;
  } else {
    ending = `The partnership held to the horizon; final alignment ${signed(s.final_alignment)}.`;
  }
  const opening = turns.length
    ? "At the start: " + turns[0].decisions.map((d) => `${actorName(d.decision.split(".")[0])} — ${words(d.decision.split(".")[1])}: ${words(d.chosen)}`).join("; ") + "."
    : "";
  box.replaceChildren(
    el("h3", { id: "story-heading", text: `Run ${trace.run} of ${trace.scenario}${levers.length ? " " + levers.map((l) => "+" + l.name).join("") : ""}, seed ${trace.seed}` }),
    el("p", { id: "story-ending", text: ending }),
    el("ol", { class: "story", id: "story-list" }, ...yearly),
    el("details", {},
      el("summary", { text: "Every change of course, turn by turn" }),
      el("p", { class: "hint", text: opening }),
      detail.length ? el("ol", { class: "story" }, ...detail) : el("p", { text: "No one changed course." })));
}

async function story() {
  const body = {
    scenario: $("scenario").value,
    levers: chosenLevers(),
    seed: Number($("seed").value),
    run: Number($("story-run").value),
  };
  $("story-text").replaceChildren(el("p", { text: "Replaying the run…" }));
  try {
    const response = await fetch("/api/trace", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.message);
    tellStory(answer, body.levers);
  } catch (e) {
    $("story-text").replaceChildren(el("p", { class: "error", text: `No story: ${e.message}` }));
  }
}

// ---- start ----------------------------------------------------------------

async function start() {
  $("controls").addEventListener("submit", compare);
  $("cancel").addEventListener("click", cancel);
  $("story").addEventListener("click", story);
  $("story-next").addEventListener("click", () => {
    $("story-run").value = Number($("story-run").value) + 1;
    story();
  });
  try {
    const [scenarios, status] = await Promise.all([getJson("/api/scenarios"), getJson("/api/status")]);
    state.scenarios = scenarios.filter((s) => s.has_lever_library);
    $("runs").max = status.max_runs;
    $("runs").value = status.default_runs;
    $("runs-hint").textContent = `At most ${status.max_runs.toLocaleString("en")} on this server.`;
    const select = $("scenario");
    for (const s of state.scenarios) select.append(el("option", { value: s.name, text: s.name }));
    const preferred = state.scenarios.find((s) => s.name === "baseline-2021") || state.scenarios[0];
    if (!preferred) throw new Error("the served folder has no scenario with a lever library");
    select.value = preferred.name;
    const describe = () => {
      const s = state.scenarios.find((x) => x.name === select.value);
      $("scenario-description").textContent = s
        ? `${s.description} ${s.start_year}–${s.start_year + s.horizon_years}.` + (s.levers.length ? ` Levers already in force: ${s.levers.join(", ")}.` : "")
        : "";
    };
    select.addEventListener("change", () => { describe(); loadLevers(select.value); });
    describe();
    await loadLevers(select.value);
    document.body.dataset.ready = "true";
  } catch (e) {
    setStatus(`The page cannot start: ${e.message}`, true);
  }
}

start();
