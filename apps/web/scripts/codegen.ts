/**
 * Writes src/api/generated.ts (the result and variable types of the
 * dashboard's operations) from the API's schema.graphql and
 * src/api/documents. test/generated.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import {
  GENERATED_FILE,
  generatedOperations,
} from '../codegen/operationsCodegen.ts';

writeFileSync(GENERATED_FILE, await generatedOperations());
process.stdout.write(`wrote ${GENERATED_FILE}\n`);
