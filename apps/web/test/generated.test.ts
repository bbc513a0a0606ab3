import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_FILE,
  generatedOperations,
} from '../codegen/operationsCodegen.ts';

const HINT =
  'stale: run `pnpm --filter @rollcall/web codegen` and commit the result';

describe('generated operation types', () => {
  it('keeps src/api/generated.ts equal to what codegen produces from the schema and documents', async () => {
    const expected = await generatedOperations();
    expect(
      readFileSync(GENERATED_FILE, 'utf8'),
      `generated.ts is ${HINT}`,
    ).toBe(expected);
  });
});
