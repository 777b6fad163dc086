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
  /* The outcome is the HTTP answer the client got: an execution that SUCCEEDED may have answered
     402 or 409, and that is what a person looks for. The execution's own status is beside it. */
  .outcome { font-weight: 600; font-size: 11px; padding: 1px 6px; border-radius: 8px; white-space: nowrap; }
  .outcome.ok { background: #e6f4ea; color: #137333; }
  .outcome.client { background: #fef7e0; color: #8a4b00; }
  .outcome.server, .outcome.FAILED, .outcome.TIMED_OUT, .outcome.ABORTED { background: #fce8e6; color: #c5221f; }
  .outcome.RUNNING { background: #fef7e0; color: #b06000; }
  .outcome.QUEUED { background: #f1f3f4; color: #5f6368; }
  .run-status { display: block; font-size: 10px; color: #5f6368; margin-top: 2px; }
  #concurrency { font-size: 12px; color: #5f6368; margin-bottom: 8px; }
  .http4, .http5 { color: #c5221f; font-weight: 600; }
  .http2 { color: #137333; font-weight: 600; }
  .name, .order { font-family: ui-monospace, Menlo, monospace; font-size: 11px; }
  /* Execution names (customer id + request id, up to 80 characters) wrap where they must;
     the order id (36 characters) never does, so it is always whole on one line. */
  td.name { white-space: normal; overflow-wrap: anywhere; min-width: 18ch; }
  td.order { white-space: nowrap; }
  #summary { font-size: 12px; color: #5f6368; margin-bottom: 8px; }
  /* The path alone is drawn (states not visited left out), scaled to the column; a click opens
     it full size, and "whole workflow" shows every state with the path on it. */
  #graph { cursor: zoom-in; }
  #graph svg { max-width: 100%; height: auto; display: block; }
  #graph-links { font-size: 12px; margin: 0 0 8px; display: flex; gap: 14px; }
  #graph-links a { color: #1a73e8; }
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
      <thead><tr><th>execution</th><th>outcome</th><th>time</th><th>states</th><th>order</th></tr></thead>
      <tbody id="executions"></tbody>
    </table>
    <div id="no-executions" class="empty" hidden>No executions yet: POST /orders to run the checkout.</div>
  </section>
  <section>
    <h2 id="graph-title">Checkout workflow</h2>
    <div id="summary"></div>
    <p id="graph-links"><a id="graph-full" href="/_local/graph.svg" target="_blank" rel="noopener">open full size</a><a id="graph-toggle" href="#" role="button">whole workflow</a></p>
    <div id="graph" title="Open full size"></div>
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
      const outcome = document.createElement('td');
      outcome.className = 'outcome-cell';
      const badge = document.createElement('span');
      const [text, kind] = outcomeOf(e);
      badge.className = 'outcome ' + kind;
      badge.textContent = text;
      const run = document.createElement('span');
      run.className = 'run-status';
      run.textContent = e.httpStatus === undefined ? '' : e.status.toLowerCase();
      outcome.append(badge, run);
      // Time: the duration, and below it how long the execution waited for a slot, if it did.
      const time = cell(e.durationMs === undefined ? '' : e.durationMs + ' ms');
      if (e.queuedMs) {
        const queued = document.createElement('span');
        queued.className = 'run-status';
        queued.textContent = 'queued ' + e.queuedMs + ' ms';
        time.append(queued);
      }
      tr.append(cell(e.name, 'name'), outcome, time, cell(e.stateTransitions), cell(e.orderId, 'order'));
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
  /** What the client got: "201 order placed", "402 PAYMENT_DECLINED", or the execution's status while it has no answer. */
  function outcomeOf(e) {
    if (e.httpStatus === undefined || e.httpStatus === null) return [e.status, e.status];
    const kind = e.httpStatus < 400 ? 'ok' : e.httpStatus < 500 ? 'client' : 'server';
    const words = e.errorCode ?? (e.httpStatus === 201 ? 'order placed' : 'ok');
    return [e.httpStatus + ' ' + words, kind];
  }
  let wholeWorkflow = false;
  let current;
  async function show(execution) {
    current = execution;
    const base = execution ? '/_local/executions/' + encodeURIComponent(execution.name) + '/graph.svg' : '/_local/graph.svg';
    const url = execution && !wholeWorkflow ? base + '?view=path' : base;
    document.getElementById('graph-title').textContent = execution ? 'Execution ' + execution.name : 'Checkout workflow';
    document.getElementById('summary').textContent = execution
      ? outcomeOf(execution)[0] + ' · execution ' + execution.status + ' · ' + execution.durationMs + ' ms · ' + execution.stateTransitions + ' state transitions' + (execution.error ? ' · ' + execution.error : '')
        + (execution.release ? ' · ' + (execution.release.alias ? 'alias ' + execution.release.alias + ' → ' : '') + execution.release.version : '')
      : 'No execution selected.';
    document.getElementById('graph-full').href = url;
    document.getElementById('graph-toggle').hidden = !execution;
    document.getElementById('graph-toggle').textContent = wholeWorkflow ? 'only the path taken' : 'whole workflow';
    document.getElementById('graph').innerHTML = await (await fetch(url)).text();
    document.body.dataset.shown = execution ? execution.name : 'workflow';
  }
  document.getElementById('graph').addEventListener('click', () => window.open(document.getElementById('graph-full').href, '_blank', 'noopener'));
  document.getElementById('graph-toggle').addEventListener('click', (event) => { event.preventDefault(); wholeWorkflow = !wholeWorkflow; show(current); });
  window.addEventListener('hashchange', () => { selected = decodeURIComponent(location.hash.slice(1)) || undefined; refresh(); });
  refresh();
  setInterval(refresh, 3000);
</script>
</body>
</html>
`;
}
