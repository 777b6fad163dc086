/**
 * GET /_local/: one HTML page, no build step. It lists the recent executions (refreshed
 * every few seconds) and draws the selected one's path on the workflow graph, served as
 * SVG by /_local/executions/{name}/graph.svg.
 */
export function inspectionPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>orderflow · local</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  :root { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #202124; }
  body { margin: 0; background: #f8f9fa; }
  header { padding: 12px 20px; background: #202124; color: #fff; display: flex; gap: 18px; align-items: baseline; }
  header h1 { font-size: 17px; margin: 0; font-weight: 600; }
  header a { color: #8ab4f8; font-size: 13px; }
  /* The list gets the wider column (its rows are long); the graph scales to what is left. Below
     1200 px wide they stack. minmax(0, ...) lets a column be narrower than its content's width. */
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; padding: 16px; }
  @media (max-width: 1200px) { main { grid-template-columns: minmax(0, 1fr); } }
  section { background: #fff; border: 1px solid #dadce0; border-radius: 8px; padding: 12px; overflow: auto; min-width: 0; }
  h2 { font-size: 14px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; font-size: 12px; }
  th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid #f1f3f4; white-space: nowrap; }
  tbody tr { cursor: pointer; }
  tbody tr:hover { background: #f1f3f4; }
  tbody tr.selected { background: #e8f0fe; }
  .status { font-weight: 600; font-size: 11px; padding: 1px 6px; border-radius: 8px; }
  .SUCCEEDED { background: #e6f4ea; color: #137333; }
  .FAILED, .TIMED_OUT, .ABORTED { background: #fce8e6; color: #c5221f; }
  .RUNNING { background: #fef7e0; color: #b06000; }
  .QUEUED { background: #f1f3f4; color: #5f6368; }
  #concurrency { font-size: 12px; color: #5f6368; margin-bottom: 8px; }
  .http4, .http5 { color: #c5221f; font-weight: 600; }
  .http2 { color: #137333; font-weight: 600; }
  .name, .order { font-family: ui-monospace, Menlo, monospace; font-size: 11px; }
  /* Execution names (customer id + request id, up to 80 characters) wrap where they must;
     the order id (36 characters) never does, so it is always whole on one line. */
  td.name { white-space: normal; overflow-wrap: anywhere; min-width: 18ch; }
  td.order { white-space: nowrap; }
  #summary { font-size: 12px; color: #5f6368; margin-bottom: 8px; }
  #graph svg { max-width: 100%; height: auto; }
  .empty { color: #5f6368; font-size: 13px; padding: 12px 0; }
</style>
</head>
<body>
<header>
  <h1>orderflow · local stack</h1>
  <a href="/_local/executions">executions JSON</a>
  <a href="/_local/events">events JSON</a>
  <a href="/_local/logs">function logs</a>
  <a href="/_local/info">endpoints</a>
</header>
<main>
  <section>
    <h2>Recent executions</h2>
    <div id="concurrency"></div>
    <table>
      <thead><tr><th>execution</th><th>status</th><th>HTTP</th><th>duration</th><th>queued</th><th>transitions</th><th>order</th></tr></thead>
      <tbody id="executions"></tbody>
    </table>
    <div id="no-executions" class="empty" hidden>No executions yet: POST /orders to run the checkout.</div>
  </section>
  <section>
    <h2 id="graph-title">Checkout workflow</h2>
    <div id="summary"></div>
    <div id="graph"></div>
  </section>
</main>
<script>
  let selected = decodeURIComponent(location.hash.slice(1)) || undefined;
  let shown;
  const tbody = document.getElementById('executions');
  const cell = (text, cls) => { const td = document.createElement('td'); td.textContent = text ?? ''; if (cls) td.className = cls; return td; };
  async function refresh() {
    const { executions, concurrency } = await (await fetch('/_local/executions')).json();
    document.getElementById('concurrency').textContent = concurrency.running + ' running, ' + concurrency.queued + ' queued'
      + (concurrency.limit === null ? ' (no bound)' : ' (at most ' + concurrency.limit + ' at once; longest wait ' + concurrency.longestWaitMs + ' ms)');
    document.getElementById('no-executions').hidden = executions.length > 0;
    tbody.replaceChildren(...executions.map((e) => {
      const tr = document.createElement('tr');
      tr.dataset.name = e.name;
      if (e.name === selected) tr.className = 'selected';
      const status = document.createElement('td');
      const badge = document.createElement('span');
      badge.className = 'status ' + e.status;
      badge.textContent = e.status;
      status.append(badge);
      tr.append(cell(e.name, 'name'), status, cell(e.httpStatus, 'http' + String(e.httpStatus ?? '').charAt(0)),
        cell(e.durationMs === undefined ? '' : e.durationMs + ' ms'), cell(e.queuedMs ? e.queuedMs + ' ms' : ''), cell(e.stateTransitions), cell(e.orderId, 'order'));
      tr.addEventListener('click', () => { selected = e.name; location.hash = encodeURIComponent(e.name); refresh(); });
      return tr;
    }));
    if (!selected && executions.length > 0) selected = executions[0].name;
    const current = executions.find((e) => e.name === selected);
    const key = current ? current.name + ':' + current.status : 'workflow';
    if (key !== shown) {
      shown = key;
      await show(current);
    }
  }
  async function show(execution) {
    const url = execution ? '/_local/executions/' + encodeURIComponent(execution.name) + '/graph.svg' : '/_local/graph.svg';
    document.getElementById('graph-title').textContent = execution ? 'Execution ' + execution.name : 'Checkout workflow';
    document.getElementById('summary').textContent = execution
      ? execution.status + ' · HTTP ' + (execution.httpStatus ?? '-') + ' · ' + execution.durationMs + ' ms · ' + execution.stateTransitions + ' state transitions' + (execution.error ? ' · ' + execution.error : '')
      : 'No execution selected.';
    document.getElementById('graph').innerHTML = await (await fetch(url)).text();
    document.body.dataset.shown = execution ? execution.name : 'workflow';
  }
  window.addEventListener('hashchange', () => { selected = decodeURIComponent(location.hash.slice(1)) || undefined; refresh(); });
  refresh();
  setInterval(refresh, 3000);
</script>
</body>
</html>
`;
}
