#!/usr/bin/env node
// `sfn-local`: Node 20 cannot run TypeScript itself, so register tsx and load the CLI source.
import { register } from 'tsx/esm/api';

register();
await import('../src/stepfunctions/sfn-local-cli.ts');
