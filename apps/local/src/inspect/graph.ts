import type { HistoryEvent } from '@orderflow/state-machine-runtime';

/**
 * A picture of a state machine: its states laid out top to bottom by a small layered
 * layout (longest-path ranks, barycentre ordering), Map and Parallel states drawn around
 * their inner states, and an execution's path on top: states visited, transitions taken,
 * states that failed (with the error), Map iterations counted.
 */

interface AslState {
  Type?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string; ErrorEquals?: string[] }[];
  ItemProcessor?: AslScope;
  Iterator?: AslScope;
  Branches?: AslScope[];
  Comment?: string;
}

interface AslScope {
  StartAt?: string;
  States?: Record<string, AslState>;
}

type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  back: boolean;
  /** Points a forward edge passes through between its states (one per rank it crosses). */
  via: { x: number; top: number; bottom: number }[];
}

interface PlacedNode {
  name: string;
  state: AslState;
  x: number;
  y: number;
  width: number;
  height: number;
  inner: Layout[];
}

interface Layout {
  nodes: Map<string, PlacedNode>;
  edges: Edge[];
  width: number;
  height: number;
}

export interface ExecutionPath {
  status: string | undefined;
  visited: Set<string>;
  /** State -> the error it failed with (caught or not). */
  failed: Map<string, string>;
  /** `from->to` transitions taken. */
  transitions: Set<string>;
  /** Map state -> iterations started / failed. */
  mapIterations: Map<string, { iterations: number; failed: number }>;
  /** The state the execution ended in failure at, if it failed. */
  failedAt: string | undefined;
}

const NODE_HEIGHT = 34;
const RANK_GAP = 46;
const NODE_GAP = 26;
const PAD = 16;
const HEADER = 30;
/** Room in a Map or Parallel header for the iterations badge. */
const BADGE_ROOM = 120;

function textWidth(text: string, size = 12): number {
  return Math.ceil(text.length * size * 0.6);
}

function edgesOf(states: Record<string, AslState>): Omit<Edge, 'back' | 'via'>[] {
  const edges: Omit<Edge, 'back' | 'via'>[] = [];
  for (const [name, state] of Object.entries(states)) {
    if (state.Next) edges.push({ from: name, to: state.Next, kind: 'next' });
    for (const choice of state.Choices ?? []) if (choice.Next) edges.push({ from: name, to: choice.Next, kind: 'choice' });
    if (state.Default) edges.push({ from: name, to: state.Default, kind: 'default' });
    for (const c of state.Catch ?? []) if (c.Next) edges.push({ from: name, to: c.Next, kind: 'catch' });
  }
  // One edge per pair: a Choice with several rules to the same state draws once.
  const seen = new Set<string>();
  return edges.filter((e) => (seen.has(`${e.from}>${e.to}`) ? false : (seen.add(`${e.from}>${e.to}`), true)));
}

function innerScopes(state: AslState): AslScope[] {
  if (state.Type === 'Map') return [state.ItemProcessor ?? state.Iterator ?? {}];
  if (state.Type === 'Parallel') return state.Branches ?? [];
  return [];
}

/** A box in the layered layout: a state, or a point a long edge passes through. */
interface Slot {
  id: string;
  width: number;
  height: number;
  rank: number;
  /** Centre x. */
  cx: number;
  preds: string[];
  succs: string[];
}

const VIRTUAL_WIDTH = 14;

/**
 * A layered layout (after Sugiyama): longest-path ranks on the graph without its loops, one
 * virtual slot per rank a long edge crosses (so edges run between states, not through
 * them), barycentre ordering sweeps, then x positions pulled towards connected slots.
 */
function layoutScope(scope: AslScope): Layout {
  const states = scope.States ?? {};
  const names = Object.keys(states);
  const raw = edgesOf(states).filter((e) => e.to in states);
  const outgoing = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of raw) outgoing.get(e.from)?.push(e.to);

  // Depth-first from StartAt: edges to a state on the stack are back edges (loops).
  const order: string[] = [];
  const seen = new Set<string>();
  const onStack = new Set<string>();
  const back = new Set<string>();
  const visit = (name: string) => {
    seen.add(name);
    onStack.add(name);
    order.push(name);
    for (const to of outgoing.get(name) ?? []) {
      if (onStack.has(to)) back.add(`${name}>${to}`);
      else if (!seen.has(to)) visit(to);
    }
    onStack.delete(name);
  };
  if (scope.StartAt && scope.StartAt in states) visit(scope.StartAt);
  for (const name of names) if (!seen.has(name)) visit(name);
  const forward = raw.filter((e) => !back.has(`${e.from}>${e.to}`));

  // Longest-path ranks over the forward edges, in a topological order.
  const rank = new Map<string, number>(names.map((n) => [n, 0]));
  const indegree = new Map<string, number>(names.map((n) => [n, 0]));
  for (const e of forward) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const queue = order.filter((n) => indegree.get(n) === 0);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    for (const e of forward) {
      if (e.from !== name) continue;
      rank.set(e.to, Math.max(rank.get(e.to) ?? 0, (rank.get(name) ?? 0) + 1));
      indegree.set(e.to, (indegree.get(e.to) ?? 1) - 1);
      if (indegree.get(e.to) === 0) queue.push(e.to);
    }
  }

  // Sizes (inner layouts first).
  const nodes = new Map<string, PlacedNode>();
  const slots = new Map<string, Slot>();
  for (const name of names) {
    const state = states[name] as AslState;
    const inner = innerScopes(state).map(layoutScope);
    const container = inner.length > 0;
    const label = textWidth(name, 12) + 28 + (container ? BADGE_ROOM : 0);
    const innerWidth = inner.reduce((sum, l) => sum + l.width, 0) + Math.max(0, inner.length - 1) * NODE_GAP;
    const width = Math.max(110, label, container ? innerWidth + 2 * PAD : 0);
    const height = container ? HEADER + Math.max(...inner.map((l) => l.height)) + PAD : NODE_HEIGHT;
    nodes.set(name, { name, state, x: 0, y: 0, width, height, inner });
    slots.set(name, { id: name, width, height, rank: rank.get(name) ?? 0, cx: 0, preds: [], succs: [] });
  }
  const chains = new Map<Omit<Edge, 'back' | 'via'>, string[]>();
  for (const e of forward) {
    const from = slots.get(e.from) as Slot;
    const to = slots.get(e.to) as Slot;
    let previous = from;
    const chain: string[] = [];
    for (let r = from.rank + 1; r < to.rank; r += 1) {
      const id = `\u0000${e.from}>${e.to}#${r}`;
      const slot: Slot = { id, width: VIRTUAL_WIDTH, height: 0, rank: r, cx: 0, preds: [previous.id], succs: [] };
      previous.succs.push(id);
      slots.set(id, slot);
      chain.push(id);
      previous = slot;
    }
    previous.succs.push(to.id);
    to.preds.push(previous.id);
    chains.set(e, chain);
  }

  const rows: Slot[][] = [];
  for (const name of order) (rows[rank.get(name) ?? 0] ??= []).push(slots.get(name) as Slot);
  for (const slot of slots.values()) if (slot.id.startsWith('\u0000')) (rows[slot.rank] ??= []).push(slot);
  const filled = rows.map((r) => r ?? []);

  // Barycentre ordering, sweeping down (by predecessors) and up (by successors).
  const index = new Map<string, number>();
  const reindex = () => filled.forEach((row) => row.forEach((s, i) => index.set(s.id, i)));
  reindex();
  const mean = (ids: string[], fallback: number) =>
    ids.length === 0 ? fallback : ids.reduce((sum, id) => sum + (index.get(id) ?? 0), 0) / ids.length;
  for (let sweep = 0; sweep < 6; sweep += 1) {
    const down = sweep % 2 === 0;
    const range = down ? filled.map((_, i) => i).slice(1) : filled.map((_, i) => i).slice(0, -1).reverse();
    for (const r of range) {
      const row = filled[r] as Slot[];
      const weight = new Map(row.map((s) => [s.id, mean(down ? s.preds : s.succs, index.get(s.id) ?? 0)]));
      row.sort((a, b) => (weight.get(a.id) ?? 0) - (weight.get(b.id) ?? 0));
      row.forEach((s, i) => index.set(s.id, i));
    }
  }

  // x: start packed, then pull each slot towards the slots it connects to, keeping the order.
  const gapAfter = (a: Slot, b: Slot) => (a.id.startsWith('\u0000') || b.id.startsWith('\u0000') ? 10 : NODE_GAP);
  for (const row of filled) {
    let x = 0;
    row.forEach((s, i) => {
      if (i > 0) x += gapAfter(row[i - 1] as Slot, s);
      s.cx = x + s.width / 2;
      x += s.width;
    });
  }
  const resolve = (row: Slot[]) => {
    for (let i = 1; i < row.length; i += 1) {
      const a = row[i - 1] as Slot;
      const b = row[i] as Slot;
      const min = a.cx + a.width / 2 + gapAfter(a, b) + b.width / 2;
      if (b.cx < min) b.cx = min;
    }
    for (let i = row.length - 2; i >= 0; i -= 1) {
      const a = row[i] as Slot;
      const b = row[i + 1] as Slot;
      const max = b.cx - b.width / 2 - gapAfter(a, b) - a.width / 2;
      if (a.cx > max) a.cx = max;
    }
  };
  for (let pass = 0; pass < 8; pass += 1) {
    const down = pass % 2 === 0;
    const range = down ? filled.map((_, i) => i) : filled.map((_, i) => i).reverse();
    for (const r of range) {
      const row = filled[r] as Slot[];
      for (const s of row) {
        const linked = [...(down ? s.preds : s.succs), ...(pass > 3 ? (down ? s.succs : s.preds) : [])];
        if (linked.length > 0) s.cx = linked.reduce((sum, id) => sum + (slots.get(id)?.cx ?? 0), 0) / linked.length;
      }
      resolve(row);
    }
  }
  const left = Math.min(...[...slots.values()].map((s) => s.cx - s.width / 2));
  const right = Math.max(...[...slots.values()].map((s) => s.cx + s.width / 2));

  // y: rank by rank.
  const rowTop: number[] = [];
  const rowHeight: number[] = [];
  let y = PAD;
  filled.forEach((row, r) => {
    rowTop[r] = y;
    rowHeight[r] = Math.max(0, ...row.map((s) => s.height));
    y += (rowHeight[r] ?? 0) + RANK_GAP;
  });
  for (const node of nodes.values()) {
    const slot = slots.get(node.name) as Slot;
    node.x = slot.cx - slot.width / 2 - left + PAD;
    node.y = rowTop[slot.rank] ?? PAD;
  }
  const edges: Edge[] = raw.map((e) => {
    const chain = chains.get(e) ?? [];
    return {
      ...e,
      back: back.has(`${e.from}>${e.to}`),
      via: chain.map((id) => {
        const slot = slots.get(id) as Slot;
        const top = rowTop[slot.rank] ?? 0;
        return { x: slot.cx - left + PAD, top, bottom: top + (rowHeight[slot.rank] ?? 0) };
      }),
    };
  });
  const hasBack = edges.some((e) => e.back);
  // Room on the right for loops drawn around the states.
  return { nodes, edges, width: right - left + 2 * PAD + (hasBack ? 40 : 0), height: y - RANK_GAP + PAD };
}

/** What an execution did, from its history (events chained by previousEventId, as AWS records them). */
export function executionPath(history: readonly HistoryEvent[]): ExecutionPath {
  const byId = new Map(history.map((e) => [e.id, e]));
  const path: ExecutionPath = {
    status: undefined,
    visited: new Set(),
    failed: new Map(),
    transitions: new Set(),
    mapIterations: new Map(),
    failedAt: undefined,
  };
  /** The state an event belongs to: the nearest state event up its chain. */
  const stateOf = (event: HistoryEvent | undefined): string | undefined => {
    let current = event;
    for (let guard = 0; current && guard < 10_000; guard += 1) {
      const name = current.stateEnteredEventDetails?.name ?? current.stateExitedEventDetails?.name;
      if (name !== undefined) return name;
      current = byId.get(current.previousEventId);
    }
    return undefined;
  };
  // Map and Parallel states open now: MapStateFailed names no state, the innermost open one failed.
  const open: string[] = [];
  for (const event of history) {
    const type = event.type;
    if (event.stateEnteredEventDetails) {
      const name = event.stateEnteredEventDetails.name;
      path.visited.add(name);
      if (type === 'MapStateEntered' || type === 'ParallelStateEntered') open.push(name);
      const previous = byId.get(event.previousEventId);
      const from = previous?.stateExitedEventDetails?.name ?? (previous && !previous.type.endsWith('Started') ? stateOf(previous) : undefined);
      if (from !== undefined && from !== name) path.transitions.add(`${from}->${name}`);
    }
    if ((type === 'MapStateExited' || type === 'ParallelStateExited') && event.stateExitedEventDetails) {
      const at = open.lastIndexOf(event.stateExitedEventDetails.name);
      if (at >= 0) open.splice(at, 1);
    }
    const iteration = event.mapIterationStartedEventDetails ?? event.mapIterationFailedEventDetails;
    if (iteration) {
      const counts = path.mapIterations.get(iteration.name) ?? { iterations: 0, failed: 0 };
      if (type === 'MapIterationStarted') counts.iterations += 1;
      else counts.failed += 1;
      path.mapIterations.set(iteration.name, counts);
    }
    const failure =
      event.taskFailedEventDetails ??
      event.taskTimedOutEventDetails ??
      event.lambdaFunctionFailedEventDetails ??
      event.lambdaFunctionTimedOutEventDetails ??
      (event.evaluationFailedEventDetails ? { error: event.evaluationFailedEventDetails.error } : undefined);
    if (failure) {
      const state = event.evaluationFailedEventDetails?.state ?? stateOf(event);
      if (state !== undefined) path.failed.set(state, failure.error ?? type);
    } else if (type === 'MapStateFailed' || type === 'ParallelStateFailed') {
      const state = open.pop();
      if (state !== undefined) path.failed.set(state, type === 'MapStateFailed' ? 'Map failed' : 'Parallel failed');
    } else if (type === 'FailStateEntered' && event.stateEnteredEventDetails) {
      path.failed.set(event.stateEnteredEventDetails.name, 'Fail state');
    }
    if (type.startsWith('Execution') && type !== 'ExecutionStarted') {
      path.status = type.replace('Execution', '').toUpperCase();
      if (type !== 'ExecutionSucceeded') path.failedAt = stateOf(byId.get(event.previousEventId));
    }
  }
  return path;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS = {
  visited: { fill: '#e6f4ea', stroke: '#1e8e3e', text: '#0d3d1c' },
  failed: { fill: '#fce8e6', stroke: '#d93025', text: '#5f1410' },
  idle: { fill: '#ffffff', stroke: '#9aa0a6', text: '#3c4043' },
  dim: { fill: '#f8f9fa', stroke: '#dadce0', text: '#80868b' },
};

function renderLayout(layout: Layout, ox: number, oy: number, path: ExecutionPath | undefined, out: string[]): void {
  const abs = (n: PlacedNode) => ({ x: ox + n.x, y: oy + n.y });
  // Edges under the states.
  for (const edge of layout.edges) {
    const from = layout.nodes.get(edge.from);
    const to = layout.nodes.get(edge.to);
    if (!from || !to) continue;
    const a = abs(from);
    const b = abs(to);
    const taken = path?.transitions.has(`${edge.from}->${edge.to}`) ?? false;
    const stroke = taken ? (edge.kind === 'catch' ? '#d93025' : '#1e8e3e') : path ? '#dadce0' : edge.kind === 'catch' ? '#e37400' : '#80868b';
    const widthAttr = taken ? 2.6 : 1.3;
    const dash = edge.kind === 'catch' ? ' stroke-dasharray="5 4"' : '';
    let d: string;
    if (edge.back || b.y <= a.y) {
      const x1 = a.x + from.width;
      const y1 = a.y + from.height / 2;
      const x2 = b.x + to.width;
      const y2 = b.y + to.height / 2;
      const bulge = Math.max(x1, x2) + 34;
      d = `M${x1},${y1} C${bulge},${y1} ${bulge},${y2} ${x2 + 4},${y2}`;
    } else {
      // Down through the slots the layout kept for this edge in the ranks it crosses.
      const points: [number, number, number][] = edge.via.map((v) => [ox + v.x, oy + v.top, oy + v.bottom]);
      let x = a.x + from.width / 2;
      let y = a.y + from.height;
      d = `M${x},${y}`;
      const curveTo = (tx: number, ty: number) => {
        const mid = (ty - y) / 2;
        d += ` C${x},${y + mid} ${tx},${ty - mid} ${tx},${ty}`;
        x = tx;
        y = ty;
      };
      for (const [vx, top, bottom] of points) {
        curveTo(vx, top);
        d += ` L${vx},${bottom}`;
        y = bottom;
      }
      curveTo(b.x + to.width / 2, b.y - 2);
    }
    const marker = taken ? (edge.kind === 'catch' ? 'arrow-failed' : 'arrow-taken') : 'arrow';
    out.push(
      `<path class="edge${taken ? ' taken' : ''}" data-from="${escape(edge.from)}" data-to="${escape(edge.to)}" d="${d}" fill="none" stroke="${stroke}" stroke-width="${widthAttr}"${dash} marker-end="url(#${marker})"/>`,
    );
  }
  for (const node of layout.nodes.values()) {
    const { x, y } = abs(node);
    const visited = path?.visited.has(node.name) ?? false;
    const failure = path?.failed.get(node.name);
    const palette = failure ? COLORS.failed : visited ? COLORS.visited : path ? COLORS.dim : COLORS.idle;
    const type = node.state.Type ?? 'State';
    const terminal = type === 'Succeed' || type === 'Fail' || node.state.End === true;
    const rx = type === 'Choice' ? 16 : terminal ? 17 : 6;
    const classes = ['state', visited ? 'visited' : '', failure ? 'failed' : '', path?.failedAt === node.name ? 'failed-at' : ''].filter(Boolean).join(' ');
    const tooltip = `${node.name} (${type})${failure ? ` failed: ${failure}` : ''}`;
    out.push(`<g class="${classes}" data-state="${escape(node.name)}"><title>${escape(tooltip)}</title>`);
    out.push(
      `<rect x="${x}" y="${y}" width="${node.width}" height="${node.height}" rx="${rx}" fill="${palette.fill}" stroke="${palette.stroke}" stroke-width="${failure || path?.failedAt === node.name ? 2.4 : visited ? 1.8 : 1.2}"/>`,
    );
    const container = node.inner.length > 0;
    const labelY = container ? y + 20 : y + node.height / 2 + 4;
    out.push(
      `<text x="${container ? x + 12 : x + node.width / 2}" y="${labelY}" text-anchor="${container ? 'start' : 'middle'}" font-size="12" font-weight="${visited ? 600 : 400}" fill="${palette.text}">${escape(node.name)}</text>`,
    );
    if (!container) out.push(`<text x="${x + 7}" y="${y + 11}" font-size="8" fill="${palette.text}" opacity="0.7">${escape(type)}</text>`);
    const iterations = path?.mapIterations.get(node.name);
    if (iterations) {
      const badge = `×${iterations.iterations} iteration${iterations.iterations === 1 ? '' : 's'}${iterations.failed ? `, ${iterations.failed} failed` : ''}`;
      const bw = textWidth(badge, 10) + 14;
      out.push(
        `<rect class="badge" x="${x + node.width - bw - 6}" y="${y + 6}" width="${bw}" height="17" rx="8" fill="${iterations.failed ? '#d93025' : '#1e8e3e'}"/>`,
        `<text x="${x + node.width - bw / 2 - 6}" y="${y + 18}" text-anchor="middle" font-size="10" fill="#fff">${escape(badge)}</text>`,
      );
    }
    if (failure) {
      const text = failure.length > 40 ? `${failure.slice(0, 39)}…` : failure;
      out.push(`<text x="${x + node.width / 2}" y="${y + node.height + 12}" text-anchor="middle" font-size="10" fill="#d93025">${escape(text)}</text>`);
    }
    out.push('</g>');
    let ix = x + PAD;
    for (const inner of node.inner) {
      out.push(`<rect x="${ix - 4}" y="${y + HEADER - 4}" width="${inner.width + 8}" height="${inner.height + 8}" rx="6" fill="none" stroke="${palette.stroke}" stroke-dasharray="2 3" opacity="0.6"/>`);
      renderLayout(inner, ix, y + HEADER, path, out);
      ix += inner.width + NODE_GAP;
    }
  }
}

/**
 * The workflow cut down to the states an execution visited (inside Maps and Parallels too):
 * the paths it did not take are left out, so its own path is drawn large enough to read.
 */
function pruneToPath(scope: AslScope, path: ExecutionPath): AslScope {
  const taken = (from: string, to: string | undefined) => to !== undefined && path.transitions.has(`${from}->${to}`);
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(scope.States ?? {})) {
    if (!path.visited.has(name) && name !== scope.StartAt) continue;
    // Only the transitions taken: a Catch, a Choice rule or a Next the execution did not follow is left out.
    const pruned: AslState = { ...state };
    if (!taken(name, state.Next)) delete pruned.Next;
    if (!taken(name, state.Default)) delete pruned.Default;
    if (state.Choices) pruned.Choices = state.Choices.filter((c) => taken(name, c.Next));
    if (state.Catch) pruned.Catch = state.Catch.filter((c) => taken(name, c.Next));
    if (state.ItemProcessor) pruned.ItemProcessor = pruneToPath(state.ItemProcessor, path);
    if (state.Iterator) pruned.Iterator = pruneToPath(state.Iterator, path);
    if (state.Branches) pruned.Branches = state.Branches.map((branch) => pruneToPath(branch, path));
    states[name] = pruned;
  }
  return { ...scope, States: states };
}

export interface RenderOptions {
  /** With a path: draw only the states it visited (default: the whole workflow, the path on it). */
  pathOnly?: boolean;
}

/** The workflow as SVG; with a path, the execution drawn on it. */
export function renderWorkflowSvg(definition: unknown, path?: ExecutionPath, title?: string, options: RenderOptions = {}): string {
  const scope = (definition ?? {}) as AslScope;
  const layout = layoutScope(path && options.pathOnly ? pruneToPath(scope, path) : scope);
  const top = 34;
  const heading = title ?? (path ? `execution ${path.status ?? ''}` : 'checkout workflow');
  const legend = path
    ? `${path.visited.size} states visited${path.failed.size ? ` · ${path.failed.size} failed` : ''}${path.failedAt ? ` · ended at ${path.failedAt}` : ''}`
    : `${layoutCount(layout)} states`;
  // Wide enough for the heading and the legend side by side.
  const width = Math.max(layout.width, 420, textWidth(heading, 14) + textWidth(legend, 11) + 3 * PAD);
  const height = layout.height + top + 8;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    '<defs>',
    ...[
      ['arrow', '#80868b'],
      ['arrow-taken', '#1e8e3e'],
      ['arrow-failed', '#d93025'],
    ].map(
      ([id, color]) =>
        `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`,
    ),
    '</defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  out.push(
    `<text x="${PAD}" y="22" font-size="14" font-weight="600" fill="#202124">${escape(heading)}</text>`,
    `<text x="${width - PAD}" y="22" font-size="11" text-anchor="end" fill="#5f6368">${escape(legend)}</text>`,
  );
  renderLayout(layout, 0, top, path, out);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function layoutCount(layout: Layout): number {
  let count = 0;
  for (const node of layout.nodes.values()) count += 1 + node.inner.reduce((sum, l) => sum + layoutCount(l), 0);
  return count;
}
