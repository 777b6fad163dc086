// A stand-in for the parts of k6's runtime the scripts use (k6 cannot be installed here):
// what they sent and recorded, and the answers they get, set by the test.
export interface FakeResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
  timings: { duration: number };
}

export const k6 = {
  requests: [] as { method: string; url: string; body: string | null; params: Record<string, unknown> | undefined }[],
  metrics: new Map<string, { type: string; values: number[] }>(),
  /** The answer to each request. */
  respond: (_method: string, _url: string, _body: string | null): FakeResponse => ({ status: 200, body: '{}', headers: {}, timings: { duration: 1 } }),
  iterationInTest: 0,
  aborted: undefined as string | undefined,
  reset(): void {
    this.requests.length = 0;
    // the scripts create their metrics once, at import: keep them, empty
    for (const metric of this.metrics.values()) metric.values.length = 0;
    this.iterationInTest = 0;
    this.aborted = undefined;
  },
};
