import { type FakeResponse, k6 } from './state';

function send(method: string, url: string, body: string | null, params?: Record<string, unknown>): FakeResponse {
  k6.requests.push({ method, url, body, params });
  return k6.respond(method, url, body);
}

export default {
  get: (url: string, params?: Record<string, unknown>) => send('GET', url, null, params),
  post: (url: string, body: string | null, params?: Record<string, unknown>) => send('POST', url, body, params),
  request: (method: string, url: string, body: string | null, params?: Record<string, unknown>) => send(method, url, body, params),
  expectedStatuses: (...statuses: number[]) => ({ expectedStatuses: statuses }),
};
