/// The Quality Monitor page. Plain HTML, CSS and JavaScript served by the api
/// itself: no framework, nothing fetched from the internet. The API key comes
/// from the URL fragment (`/monitor#key=...`, which browsers never send to a
/// server) or a prompt, and is kept in sessionStorage only.
enum MonitorPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>synth · Quality Monitor</title>
<style>
  :root { --bg: #0f1419; --panel: #182028; --text: #e6e9ec; --muted: #8a96a3; --ok: #3fb950; --warn: #d29922; --bad: #f85149; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--text); }
  header { display: flex; align-items: baseline; gap: 16px; padding: 14px 24px; border-bottom: 1px solid #26313c; }
  header h1 { font-size: 18px; margin: 0; }
  #connection { color: var(--muted); font-size: 12px; }
  #connection.live { color: var(--ok); }
  #connection.down { color: var(--bad); }
  main { padding: 16px 24px; display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
  section { background: var(--panel); border-radius: 8px; padding: 12px 16px; }
  section h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 8px; }
  .tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; grid-column: 1 / -1; }
  .tile { background: var(--panel); border-radius: 8px; padding: 10px 14px; }
  .tile .label { color: var(--muted); font-size: 12px; }
  .tile .value { font-size: 24px; font-variant-numeric: tabular-nums; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #26313c; }
  th { color: var(--muted); font-weight: 500; font-size: 12px; }
  td.num, th.num { text-align: right; }
  .firing { color: var(--bad); font-weight: 600; }
  .quiet { color: var(--ok); }
  .lost { color: var(--warn); }
  canvas { width: 100%; height: 120px; }
  .empty { color: var(--muted); font-style: italic; }
</style>
</head>
<body>
<header><h1>synth · Quality Monitor</h1><span id="connection">connecting…</span><span id="generated" class="empty"></span></header>
<main>
  <div class="tiles">
    <div class="tile"><div class="label">tasks</div><div class="value" data-metric="tasks-total">–</div></div>
    <div class="tile"><div class="label">queue ready / leased</div><div class="value"><span data-metric="queue-ready">–</span> / <span data-metric="queue-inflight">–</span></div></div>
    <div class="tile"><div class="label">oldest waiting</div><div class="value" data-metric="queue-oldest">–</div></div>
    <div class="tile"><div class="label">delayed / dead</div><div class="value"><span data-metric="queue-delayed">–</span> / <span data-metric="queue-dead">–</span></div></div>
    <div class="tile"><div class="label">pass rate</div><div class="value" data-metric="pass-rate">–</div></div>
    <div class="tile"><div class="label">mean reward</div><div class="value" data-metric="mean-reward">–</div></div>
    <div class="tile"><div class="label">completed, last hour</div><div class="value" data-metric="throughput-last-hour">–</div></div>
    <div class="tile"><div class="label">LLM cost</div><div class="value" data-metric="cost-total">–</div></div>
  </div>
  <section><h2>Throughput (completed per hour, 24 h)</h2><canvas id="throughput" width="800" height="160"></canvas></section>
  <section><h2>Alerts</h2><table><thead><tr><th>rule</th><th>state</th><th>detail</th></tr></thead><tbody id="alerts"></tbody></table></section>
  <section><h2>By category</h2><table><thead><tr><th>category</th><th class="num">trajectories</th><th class="num">pass rate</th><th class="num">mean reward</th></tr></thead><tbody id="by-category"></tbody></table></section>
  <section><h2>By model</h2><table><thead><tr><th>model</th><th class="num">trajectories</th><th class="num">pass rate</th><th class="num">mean reward</th><th class="num">tokens</th><th class="num">cost</th></tr></thead><tbody id="by-model"></tbody></table></section>
  <section><h2>By scaffold</h2><table><thead><tr><th>scaffold</th><th class="num">trajectories</th><th class="num">pass rate</th><th class="num">mean reward</th></tr></thead><tbody id="by-scaffold"></tbody></table></section>
  <section><h2>Workers</h2><table><thead><tr><th>worker</th><th>status</th><th class="num">active / capacity</th><th class="num">last seen</th></tr></thead><tbody id="workers"></tbody></table></section>
  <section style="grid-column: 1 / -1"><h2>Recent failures</h2><table><thead><tr><th>task</th><th>status</th><th>category</th><th>reason</th><th>when</th></tr></thead><tbody id="failures"></tbody></table></section>
</main>
<script>
"use strict";
const fmt = {
  int: v => v == null ? "–" : Math.round(v).toLocaleString("en-US"),
  pct: v => v == null ? "–" : (v * 100).toFixed(1) + "%",
  num: v => v == null ? "–" : Number(v).toFixed(3),
  usd: v => v == null ? "–" : "$" + Number(v).toFixed(4),
  secs: v => v == null ? "–" : v < 120 ? Math.round(v) + "s" : v < 7200 ? Math.round(v / 60) + "m" : (v / 3600).toFixed(1) + "h",
};
function key() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("key");
  if (fromHash) { sessionStorage.setItem("synth-key", fromHash); history.replaceState(null, "", location.pathname); }
  let k = sessionStorage.getItem("synth-key");
  if (!k) { k = prompt("synth API key"); if (k) sessionStorage.setItem("synth-key", k); }
  return k;
}
function metric(name, raw, text) {
  for (const el of document.querySelectorAll('[data-metric="' + name + '"]')) { el.textContent = text; el.dataset.value = raw == null ? "" : String(raw); }
}
function cell(row, text, cls, field, raw) {
  const td = row.insertCell(); td.textContent = text;
  if (cls) td.className = cls;
  if (field) { td.dataset.field = field; td.dataset.value = raw == null ? "" : String(raw); }
  return td;
}
function fill(id, items, render, emptyText) {
  const body = document.getElementById(id); body.replaceChildren();
  if (!items.length) { const r = body.insertRow(); const c = cell(r, emptyText, "empty"); c.colSpan = 6; return; }
  for (const item of items) render(body.insertRow(), item);
}
function breakdown(id, rows, models) {
  fill(id, rows, (r, b) => {
    r.dataset.key = b.key;
    cell(r, b.key);
    cell(r, fmt.int(b.trajectories), "num", "trajectories", b.trajectories);
    cell(r, fmt.pct(b.pass_rate), "num", "pass_rate", b.pass_rate);
    cell(r, fmt.num(b.mean_reward), "num", "mean_reward", b.mean_reward);
    if (models) {
      const m = models[b.key] || {};
      cell(r, fmt.int(m.tokens), "num", "tokens", m.tokens);
      cell(r, fmt.usd(m.cost_dollars), "num", "cost", m.cost_dollars);
    }
  }, "no finished trajectories yet");
}
function chart(buckets) {
  const canvas = document.getElementById("throughput"), g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const max = Math.max(1, ...buckets.map(b => b.completed)), w = canvas.width / Math.max(1, buckets.length);
  g.fillStyle = "#3fb950";
  buckets.forEach((b, i) => { const h = (canvas.height - 10) * b.completed / max; g.fillRect(i * w + 1, canvas.height - h, w - 2, h); });
}
function render(s) {
  const st = s.stats, q = st.queue || {};
  metric("tasks-total", st.tasks_total, fmt.int(st.tasks_total));
  metric("queue-ready", q.ready, fmt.int(q.ready));
  metric("queue-inflight", q.inflight, fmt.int(q.inflight));
  metric("queue-delayed", q.delayed, fmt.int(q.delayed));
  metric("queue-dead", q.dead, fmt.int(q.dead));
  metric("queue-oldest", q.oldest_waiting_seconds, fmt.secs(q.oldest_waiting_seconds));
  metric("pass-rate", st.pass_rate, fmt.pct(st.pass_rate));
  metric("mean-reward", st.mean_reward, fmt.num(st.mean_reward));
  const buckets = st.throughput || [], last = buckets.length ? buckets[buckets.length - 1].completed : null;
  metric("throughput-last-hour", last, fmt.int(last));
  const cost = Object.values(st.by_model || {}).reduce((a, m) => a + (m.cost_dollars || 0), 0);
  metric("cost-total", cost, fmt.usd(cost));
  chart(buckets);
  breakdown("by-category", s.by_category);
  breakdown("by-model", s.by_model, st.by_model || {});
  breakdown("by-scaffold", s.by_scaffold);
  fill("alerts", s.alerts, (r, a) => {
    r.dataset.rule = a.rule;
    cell(r, a.rule); cell(r, a.firing ? "FIRING" : "ok", a.firing ? "firing" : "quiet"); cell(r, a.message || a.kind + " > " + a.threshold);
  }, "no alert rules");
  const now = Date.parse(s.generated_at);
  fill("workers", s.workers, (r, w) => {
    r.dataset.worker = w.worker_id;
    cell(r, w.worker_id); cell(r, w.status, w.status === "lost" ? "lost" : "");
    cell(r, w.active_tasks + " / " + w.capacity, "num", "active_tasks", w.active_tasks);
    cell(r, fmt.secs((now - Date.parse(w.last_seen)) / 1000) + " ago", "num");
  }, "no workers have reported");
  fill("failures", s.recent_failures, (r, f) => {
    cell(r, f.task_id); cell(r, f.status, "firing"); cell(r, f.category); cell(r, f.reason || ""); cell(r, f.updated_at);
  }, "no failures");
  const gen = document.getElementById("generated"); gen.textContent = "updated " + s.generated_at; gen.dataset.value = s.generated_at;
}
async function stream() {
  const status = document.getElementById("connection");
  const k = key();
  if (!k) { status.textContent = "no API key"; status.className = "down"; return; }
  try {
    const response = await fetch("/api/v1/monitor/stream", { headers: { Authorization: "Bearer " + k } });
    if (response.status === 401) { sessionStorage.removeItem("synth-key"); status.textContent = "the API key was refused"; status.className = "down"; return; }
    if (!response.ok) throw new Error("HTTP " + response.status);
    status.textContent = "live"; status.className = "live";
    const reader = response.body.getReader(), decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        const data = block.split("\n").filter(l => l.startsWith("data: ")).map(l => l.slice(6)).join("\n");
        if (data) render(JSON.parse(data));
      }
    }
  } catch (e) { status.textContent = "reconnecting (" + e.message + ")"; status.className = "down"; }
  setTimeout(stream, 2000);
}
stream();
</script>
</body>
</html>
"""#
}
