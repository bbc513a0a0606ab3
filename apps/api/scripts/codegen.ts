/**
 * Writes schema.graphql (the SDL of the running schema) and
 * src/generated/graphql.ts (resolver types) from the API's modules. A test
 * (test/codegen.test.ts) fails when either is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  GENERATED_FILE,
  generatedTypes,
  SCHEMA_FILE,
  schemaSdl,
} from '../src/codegen/schemaCodegen.ts';

const sdl = schemaSdl();
writeFileSync(SCHEMA_FILE, sdl);
mkdirSync(dirname(GENERATED_FILE), { recursive: true });
writeFileSync(GENERATED_FILE, await generatedTypes(sdl));
process.stdout.write(`wrote ${SCHEMA_FILE}\nwrote ${GENERATED_FILE}\n`);
