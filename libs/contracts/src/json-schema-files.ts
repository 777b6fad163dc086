import { PUBLISHED_SCHEMAS, toJsonSchema } from './json-schema';

/** The committed JSON Schema files, rendered: file name -> text. */
export function renderJsonSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
    files[`${name}.schema.json`] = `${JSON.stringify(toJsonSchema(schema), null, 2)}\n`;
  }
  return files;
}
