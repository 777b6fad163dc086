/**
 * The `SdkHttpMetadata` / `SdkResponseMetadata` blocks Step Functions adds to the results of
 * optimized integrations (the Java SDK's response metadata, as AWS serializes it).
 */
import type { JsonObject } from '../json';

/** An HTTP date as servers send it: `Mon, 01 Jan 2024 00:00:00 GMT`. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Builds the metadata from headers listed in AllHttpHeaders order (HttpHeaders is sorted, case-insensitively). */
export function sdkMetadata(headers: [string, string][], requestId: string, statusCode = 200): JsonObject {
  const all: JsonObject = {};
  for (const [name, value] of headers) all[name] = [value];
  const sorted = [...headers].sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const single: JsonObject = {};
  for (const [name, value] of sorted) single[name] = value;
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: single, HttpStatusCode: statusCode },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32 of a UTF-8 text, as DynamoDB sends in `x-amz-crc32`. */
export function crc32(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The `Service: ...; Status Code: ...` suffix of causes for AWS SDK errors (Java SDK format). */
export function sdkErrorCause(message: string, service: string, statusCode: number, errorCode: string, requestId: string): string {
  return `${message} (Service: ${service}; Status Code: ${statusCode}; Error Code: ${errorCode}; Request ID: ${requestId}; Proxy: null)`;
}
