import type { ApiRoute } from './rest-api-from-template';

/**
 * API Gateway's route selection: a resource path's literal segments win over `{param}`
 * segments, which win over a greedy `{proxy+}`; a method of ANY serves every method.
 */

export interface RouteMatch {
  route: ApiRoute;
  pathParameters: Record<string, string> | null;
}

export type RouteLookup = { found: RouteMatch } | { found: undefined; pathExists: boolean };

interface Candidate {
  route: ApiRoute;
  params: Record<string, string>;
  score: number[];
}

function matchPath(resourcePath: string, segments: string[]): { params: Record<string, string>; score: number[] } | undefined {
  const parts = resourcePath.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as string;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (i !== parts.length - 1 || segments.length <= i) return undefined;
      params[greedy[1] as string] = segments.slice(i).join('/');
      score.push(0);
      return { params, score };
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    const param = /^\{(.+)\}$/.exec(part);
    if (param) {
      params[param[1] as string] = segment;
      score.push(1);
    } else if (part === segment) score.push(2);
    else return undefined;
  }
  return parts.length === segments.length ? { params, score } : undefined;
}

const better = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x > y;
  }
  return false;
};

export function findRoute(routes: ApiRoute[], method: string, path: string): RouteLookup {
  // Segments stay URL-encoded, as API Gateway passes path parameters.
  const segments = path.split('/').filter(Boolean);
  const candidates: Candidate[] = [];
  for (const route of routes) {
    const matched = matchPath(route.resourcePath, segments);
    if (matched) candidates.push({ route, ...matched });
  }
  const forMethod = candidates.filter((c) => c.route.method === method || c.route.method === 'ANY');
  let best: Candidate | undefined;
  for (const candidate of forMethod) {
    if (!best || better(candidate.score, best.score) || (!better(best.score, candidate.score) && candidate.route.method === method)) {
      best = candidate;
    }
  }
  if (!best) return { found: undefined, pathExists: candidates.length > 0 };
  return {
    found: { route: best.route, pathParameters: Object.keys(best.params).length > 0 ? best.params : null },
  };
}
