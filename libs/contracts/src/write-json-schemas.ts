// Writes libs/contracts/json-schema/*.schema.json from the zod schemas (npm run generate-json-schema -w @orderflow/contracts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderJsonSchemaFiles } from './json-schema-files';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'json-schema');
mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(renderJsonSchemaFiles())) {
  writeFileSync(join(outDir, file), text);
  console.log(`wrote json-schema/${file}`);
}
