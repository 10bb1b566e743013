/**
 * Part of `npm run build`: compiles each rule kind's JSON Schema to ajv standalone code under
 * dist/validators/, so `tally rules validate` and every run start without compiling schemas.
 * Each file carries the hash of the schema it came from; a stale one is ignored at run time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { RULE_KINDS } from '../engine/core/rules/kinds.ts';
import {
  AJV_OPTIONS,
  COMPILED_VALIDATORS_DIR,
  newAjv,
  readSchemaText,
  schemaHash,
} from '../engine/core/rules/schema-validate.ts';

mkdirSync(COMPILED_VALIDATORS_DIR, { recursive: true });
for (const kind of RULE_KINDS) {
  const ajv = newAjv({ ...AJV_OPTIONS, code: { source: true } });
  const text = readSchemaText(kind);
  const code = standaloneCode.default(ajv, ajv.compile(JSON.parse(text) as object));
  const stamp = `\nmodule.exports.schemaSha256 = ${JSON.stringify(schemaHash(text))};\n`;
  writeFileSync(`${COMPILED_VALIDATORS_DIR}/${kind}.cjs`, code + stamp);
}
process.stdout.write(`compiled ${RULE_KINDS.length} rule schemas to ${COMPILED_VALIDATORS_DIR}\n`);
