// `npm run token -- <customerId> [--operator] [--url <stack url>]`: prints an ID token of the running
// stack's development issuer, for curl:  curl -H "Authorization: Bearer $(npm run -s token -- cust-42)" ...
import { parseArgs } from 'node:util';
import { findRunningStack } from '@orderflow/workspace';

const USAGE = 'usage: npm run token -- <customerId> [--operator] [--url http://localhost:3000]';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { operator: { type: 'boolean', default: false }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\nPrints an ID token for the customer (the token's sub), with the group operators when --operator; valid 1 hour.\n`);
    return 0;
  }
  const [customerId, ...extra] = positionals;
  if (!customerId || extra.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const url = values.url ?? findRunningStack()?.url;
  if (!url) {
    process.stderr.write('no running stack found: start it with `npm start` (or give --url)\n');
    return 1;
  }
  let answer: Response;
  try {
    answer = await fetch(`${url}/_local/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ customerId, ...(values.operator ? { groups: ['operators'] } : {}) }),
    });
  } catch {
    process.stderr.write(`the stack at ${url} does not answer: is npm start running?\n`);
    return 1;
  }
  const body = (await answer.json()) as { token?: string; error?: { message: string; details?: { path: string; message: string }[] } };
  if (!answer.ok || !body.token) {
    process.stderr.write(`${body.error?.message ?? `HTTP ${answer.status}`}${body.error?.details ? ` ${body.error.details.map((d) => `${d.path}: ${d.message}`).join('; ')}` : ''}\n`);
    return 1;
  }
  process.stdout.write(`${body.token}\n`);
  return 0;
}

process.exitCode = await main();
