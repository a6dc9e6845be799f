// rarewatch alert console: the live alert list (server-sent events), the 7-day timeline
// and the pipeline health strip. Plain DOM, no framework, no build step. Text from the
// news is only ever set with textContent, never parsed as HTML.
"use strict";

const LEVELS = ["none", "low", "medium", "high", "critical"];
const DIRECTION = {
  tightening: { arrow: "↑", text: "tightening", title: "supply risk up" },
  easing: { arrow: "↓", text: "easing", title: "supply risk down" },
  neutral: { arrow: "→", text: "neutral", title: "no clear direction" },
};
const WINDOW_MS = 24 * 3600 * 1000;
const STRIP_EVERY_MS = 10000;
const TIMELINE_EVERY_MS = 60000;

const state = {
  rows: new Map(), // story_id -> row
  nodes: new Map(), // story_id -> <li>
  minLevel: "low",
  source: null,
  retryMs: 1000,
};

// -- small helpers -------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const rank = (level) => LEVELS.indexOf(level);
const idKey = (id) => id.split("-").map(Number);
function newerFirst(a, b) {
  const [am, as] = idKey(a.entry_id);
  const [bm, bs] = idKey(b.entry_id);
  return bm - am || bs - as;
}
const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

function relTime(iso) {
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const hrs = Math.round(m / 60);
  if (hrs < 48) return `${hrs} h ago`;
  return `${Math.round(hrs / 24)} days ago`;
}
const absTime = (iso) => new Date(iso).toLocaleString();
const pretty = (token) => token.replace(/_/g, " ");
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// -- alert rows ----------------------------------------------------------------------
function renderRow(row, fresh) {
  const dir = DIRECTION[row.direction] || DIRECTION.neutral;
  const url = safeUrl(row.url);
  const title = url
    ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, row.title)
    : row.title;
  const facts = [
    h("span", { class: "source" }, row.source),
    h("span", {}, plural(row.sources_count, "source")),
    row.items > 1 ? h("span", {}, plural(row.items, "item")) : null,
    row.official ? h("span", { class: "official", title: "an official source confirms it" }, "✓ official") : null,
    row.replay ? h("span", { class: "replay" }, "replay") : null,
    row.countries.length ? h("span", { class: "countries" }, row.countries.map(pretty).join(", ")) : null,
  ];
  const evidence = h(
    "details",
    { class: "evidence" },
    h("summary", {}, row.evidence.length ? `Why: ${plural(row.evidence.length, "piece")} of evidence` : "Details"),
    row.evidence.length
      ? h(
          "ul",
          {},
          row.evidence.map((e) => h("li", {}, h("q", {}, e.text), " ", h("span", { class: "reason" }, e.reason))),
        )
      : null,
    h("p", { class: "trace" }, `score ${row.score} · trace ${row.trace_id} · story ${row.story_id}`),
  );
  return h(
    "li",
    { class: `alert lv-${row.level}${fresh ? " fresh" : ""}`, dataset: { story: row.story_id, level: row.level } },
    h(
      "div",
      { class: "line1" },
      h("span", { class: `badge lv-${row.level}` }, row.level),
      h("span", { class: `dir dir-${row.direction}`, title: dir.title }, h("b", { "aria-hidden": "true" }, dir.arrow), ` ${dir.text}`),
      h("time", { datetime: row.at, title: absTime(row.at), class: "when" }, relTime(row.at)),
    ),
    h("h3", { class: "title" }, title),
    row.minerals.length ? h("ul", { class: "chips" }, row.minerals.map((m) => h("li", { class: "chip" }, pretty(m)))) : null,
    h("div", { class: "facts" }, facts),
    evidence,
  );
}

function upsert(row, fresh) {
  state.rows.set(row.story_id, row);
  const old = state.nodes.get(row.story_id);
  const node = renderRow(row, fresh);
  const wasOpen = old && old.querySelector("details[open]");
  if (wasOpen) node.querySelector("details")?.setAttribute("open", "");
  if (old) old.replaceWith(node);
  state.nodes.set(row.story_id, node);
}

function layout() {
  const list = document.getElementById("alert-list");
  const cutoff = Date.now() - WINDOW_MS;
  for (const [id, row] of state.rows) {
    if (Date.parse(row.at) < cutoff) {
      state.rows.delete(id);
      state.nodes.get(id)?.remove();
      state.nodes.delete(id);
    }
  }
  const sorted = [...state.rows.values()].sort(newerFirst);
  let shown = 0;
  for (const row of sorted) {
    const node = state.nodes.get(row.story_id);
    node.hidden = rank(row.level) < rank(state.minLevel);
    if (!node.hidden) shown += 1;
    list.append(node); // moves it into order
  }
  document.getElementById("alert-count").textContent = shown ? `· ${shown}` : "";
  document.getElementById("empty").hidden = shown > 0;
}

function refreshTimes() {
  for (const el of document.querySelectorAll("time[datetime]")) el.textContent = relTime(el.getAttribute("datetime"));
}

// -- live stream ---------------------------------------------------------------------
function setLive(mode, text) {
  const live = document.getElementById("live");
  live.dataset.state = mode;
  document.getElementById("live-text").textContent = text;
}

function connect() {
  const source = new EventSource("/api/alerts/stream");
  state.source = source;
  source.addEventListener("snapshot", (ev) => {
    const data = JSON.parse(ev.data);
    for (const node of state.nodes.values()) node.remove();
    state.rows.clear();
    state.nodes.clear();
    for (const row of data.alerts) upsert(row, false);
    layout();
    state.retryMs = 1000;
    setLive("live", data.truncated ? "live (older alerts cut)" : "live");
  });
  source.addEventListener("story", (ev) => {
    upsert(JSON.parse(ev.data), true);
    layout();
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      // the server refused (busy or down): retry ourselves, backing off
      setLive("down", "reconnecting…");
      setTimeout(connect, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 30000);
    } else {
      setLive("down", "reconnecting…");
    }
  };
}

// -- health strip --------------------------------------------------------------------
function pill(status, label, value, title) {
  return h("span", { class: `pill st-${status}`, title: title || null }, h("span", { class: "k" }, label), " ", h("span", { class: "v" }, value));
}

async function loadStrip() {
  const strip = document.getElementById("strip");
  let data;
  try {
    const r = await fetch("/api/health-strip", { cache: "no-store" });
    data = await r.json();
    if (!r.ok) throw new Error(data.detail || r.statusText);
  } catch (err) {
    strip.dataset.status = "fail";
    strip.replaceChildren(pill("fail", "Pipeline", "no answer", String(err)));
    return;
  }
  const overall = { pass: "healthy", warn: "needs attention", fail: "failing" }[data.status];
  const lagStatus = data.groups.reduce((s, g) => (rank2(g.status) > rank2(s) ? g.status : s), "pass");
  const lagTitle = data.groups.map((g) => `${g.stream} (${g.group}): lag ${g.lag ?? "?"}, pending ${g.pending}`).join("\n");
  const dlqTitle = data.dead_letter_streams.map((d) => `${d.stream}: ${d.count}`).join("\n") || "no dead letters";
  const down = data.sources_down.map((s) => s.source);
  const off = data.disabled.map((d) => d.destination);
  strip.dataset.status = data.status;
  strip.replaceChildren(
    pill(data.status, "Pipeline", overall),
    pill(lagStatus, "Lag", String(data.lag), lagTitle),
    pill(lagStatus, "Pending", String(data.pending), lagTitle),
    pill(data.dead_letters ? "warn" : "pass", "Dead letters", String(data.dead_letters), dlqTitle),
    pill(down.length ? "warn" : "pass", "Sources down", down.length ? down.join(", ") : "none",
      data.sources_down.map((s) => `${s.source}: ${s.message}`).join("\n") || null),
    pill(off.length ? "warn" : "pass", "Destinations off", off.length ? off.join(", ") : "none",
      data.disabled.map((d) => `${d.destination}: ${d.reason}`).join("\n") || null),
  );
}
const rank2 = (s) => ["pass", "warn", "fail"].indexOf(s);

// -- timeline ------------------------------------------------------------------------
const dayLabel = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { weekday: "short", timeZone: "UTC" });

async function loadTimeline() {
  const body = document.getElementById("timeline-body");
  let data;
  try {
    const r = await fetch("/api/timeline", { cache: "no-store" });
    if (!r.ok) throw new Error(r.statusText);
    data = await r.json();
  } catch {
    body.replaceChildren(h("p", { class: "muted" }, "timeline unavailable"));
    return;
  }
  if (!data.minerals.length) {
    body.replaceChildren(h("p", { class: "muted" }, "No alerts in the last 7 days."));
    return;
  }
  const scale = Math.max(1, data.max_day_total);
  const levels = [...data.levels].reverse(); // critical on top of the stack
  const rows = data.minerals.map((m) =>
    h(
      "div",
      { class: "tl-row", dataset: { mineral: m.mineral } },
      h("span", { class: "tl-name", title: m.mineral }, pretty(m.mineral)),
      h(
        "span",
        { class: "tl-bars" },
        m.days.map((d) => {
          const parts = levels.filter((lv) => d.counts[lv]).map((lv) => `${d.counts[lv]} ${lv}`);
          const bar = h("span", {
            class: "tl-bar",
            title: `${dayLabel(d.day)} ${d.day}: ${parts.join(", ") || "none"}`,
          });
          bar.style.height = `${Math.max(d.total ? 12 : 0, (100 * d.total) / scale)}%`;
          for (const lv of levels) {
            if (!d.counts[lv]) continue;
            const seg = h("span", { class: `seg lv-${lv}` });
            seg.style.flexGrow = String(d.counts[lv]);
            bar.append(seg);
          }
          return h("span", { class: "tl-day" }, bar);
        }),
      ),
      h("span", { class: "tl-total" }, String(m.total)),
    ),
  );
  const axis = h(
    "div",
    { class: "tl-row tl-axis", "aria-hidden": "true" },
    h("span", { class: "tl-name" }),
    h("span", { class: "tl-bars" }, data.days.map((d) => h("span", { class: "tl-day" }, dayLabel(d).slice(0, 2)))),
    h("span", { class: "tl-total" }),
  );
  const notes = [];
  if (data.more_minerals) notes.push(`${data.more_minerals} more minerals not shown`);
  if (data.truncated) notes.push("only the newest events were counted");
  body.replaceChildren(...rows, axis, notes.length ? h("p", { class: "muted small" }, notes.join(" · ")) : "");
}

// -- start ---------------------------------------------------------------------------
function setFilter(level) {
  state.minLevel = level;
  for (const b of document.querySelectorAll(".filter button")) b.setAttribute("aria-pressed", String(b.dataset.level === level));
  layout();
}

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll(".filter button")) b.addEventListener("click", () => setFilter(b.dataset.level));
  connect();
  loadStrip();
  loadTimeline();
  setInterval(loadStrip, STRIP_EVERY_MS);
  setInterval(loadTimeline, TIMELINE_EVERY_MS);
  setInterval(() => {
    refreshTimes();
    layout();
  }, 30000);
});
