import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsError, readCredentialsFile } from './credentials';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'credentials-')), 'tokens.json');
  writeFileSync(path, content);
  return path;
}

describe('readCredentialsFile', () => {
  it('reads the customers and tokens npm run load-users wrote', () => {
    const credentials = [{ customerId: 'sub-1', token: 'eyJhbGciOiJSUzI1NiJ9.payload.signature' }];
    expect(readCredentialsFile(file(JSON.stringify(credentials)))).toEqual(credentials);
  });

  it('says what is wrong with a file that is missing, not JSON, empty or of the wrong shape', () => {
    expect(() => readCredentialsFile('/nonexistent/tokens.json')).toThrow(CredentialsError);
    expect(() => readCredentialsFile(file('not json'))).toThrow(/cannot read credentials/);
    expect(() => readCredentialsFile(file('[]'))).toThrow(/not a JSON array of \{customerId, token\}/);
    expect(() => readCredentialsFile(file('[{"customerId":"a"}]'))).toThrow(CredentialsError);
  });
});
