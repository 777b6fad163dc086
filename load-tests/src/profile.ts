import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuProfile } from './probe-client';

export interface ProfileShare {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Not idle: the process was running JavaScript, compiling or collecting garbage. */
  busyMs: number;
  /** Self time by where the code lives: a project (`libs/state-machine-runtime`), a package, Node, GC. */
  byPlace: ProfileShare[];
  /** The functions with the most self time. */
  topFunctions: ProfileShare[];
  /**
   * Time by the nearest project frame on the stack (`libs/state-machine-runtime`,
   * `apps/api`, ...): whose work it is, the packages and Node code it called included.
   */
  byOwner: ProfileShare[];
  /**
   * Time with a place anywhere on the (synchronous) stack: a package's own code and what it
   * called (`@aws-lambda-powertools/logger` 12% = 12% of the samples were inside the logger).
   */
  onStack: ProfileShare[];
}

/** Where a frame's code lives: `libs/<x>`, `apps/<x>`, a package name, `node:internal`, or a V8 bucket. */
export function placeOf(url: string, functionName: string, root: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collection)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program: V8, native, I/O)';
    return functionName || '(anonymous native)';
  }
  if (url.startsWith('node:')) return 'node (core)';
  let path = url;
  if (url.startsWith('file://')) {
    try {
      path = fileURLToPath(url);
    } catch {
      path = url;
    }
  }
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const inRepo = relative(root, path);
  if (!inRepo.startsWith('..')) {
    const parts = inRepo.split('/');
    return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : inRepo;
  }
  return path;
}

/** Self time of a CPU profile, by place and by function. */
export function summarizeProfile(profile: CpuProfile, root: string, top = 15): ProfileSummary {
  const selfMs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    // timeDeltas[i] is the time before sample i; the sample stands for the time up to the next one.
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, functionName, root);
    if (place === '(idle)') {
      idleMs += ms;
      continue;
    }
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
    const fn = url ? `${functionName || '(anonymous)'} ${place}${url.startsWith('node:') ? `:${url.slice(5)}` : ''}:${lineNumber + 1}` : place;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const busyMs = Math.max(0, totalMs - idleMs);
  // Owner: walk from each node towards the root to the first frame in a project of the repo.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const ownerCache = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached) return cached;
    let current: number | undefined = id;
    let owner = '(no project frame: event loop, I/O callbacks, GC)';
    while (current !== undefined) {
      const frame = nodesById.get(current)?.callFrame;
      if (frame?.url) {
        const place = placeOf(frame.url, frame.functionName, root);
        if (/^(apps|libs|tools|load-tests)\//.test(place)) {
          owner = place;
          break;
        }
      }
      current = parent.get(current);
    }
    ownerCache.set(id, owner);
    return owner;
  };
  const placesCache = new Map<number, Set<string>>();
  const placesOnStack = (id: number): Set<string> => {
    const cached = placesCache.get(id);
    if (cached) return cached;
    const frame = nodesById.get(id)?.callFrame;
    const up = parent.get(id);
    const places = new Set(up !== undefined ? placesOnStack(up) : []);
    if (frame?.url) places.add(placeOf(frame.url, frame.functionName, root));
    placesCache.set(id, places);
    return places;
  };
  const onStack = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0 || placeOf(node.callFrame.url, node.callFrame.functionName, root) === '(idle)') continue;
    const owner = ownerOf(node.id);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    for (const place of placesOnStack(node.id)) onStack.set(place, (onStack.get(place) ?? 0) + ms);
  }
  const shares = (entries: Map<string, number>, limit: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
  return { totalMs, busyMs, byPlace: shares(byPlace, 25), topFunctions: shares(byFunction, top), byOwner: shares(byOwner, 15), onStack: shares(onStack, 25) };
}
