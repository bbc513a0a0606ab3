import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_FILE,
  generatedTypes,
  SCHEMA_FILE,
  schemaSdl,
} from '../src/codegen/schemaCodegen.ts';

const HINT =
  'stale: run `pnpm --filter @rollcall/api codegen` and commit the result';

describe('generated schema artifacts', () => {
  it('keeps schema.graphql equal to the schema the server builds', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), `schema.graphql is ${HINT}`).toBe(
      schemaSdl(),
    );
  });

  it('keeps src/generated/graphql.ts equal to what codegen produces', async () => {
    const expected = await generatedTypes(schemaSdl());
    expect(readFileSync(GENERATED_FILE, 'utf8'), `graphql.ts is ${HINT}`).toBe(
      expected,
    );
  });
});
