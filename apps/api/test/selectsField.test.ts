import {
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  execute,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsField } from '../src/server/selectsField.ts';

// One field whose resolver answers whether `total` was selected under it.
const seen: boolean[] = [];
const Page = new GraphQLObjectType({
  name: 'Page',
  fields: { total: { type: GraphQLInt }, size: { type: GraphQLInt } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      page: {
        type: Page,
        resolve: (_source, _args, _context, info) => {
          seen.push(selectsField(info, 'total'));
          return { total: 1, size: 2 };
        },
      },
    },
  }),
});

async function selects(document: string): Promise<boolean> {
  seen.length = 0;
  const result = await execute({ schema, document: parse(document) });
  expect(result.errors).toBeUndefined();
  return seen[0]!;
}

describe('selectsField', () => {
  it('sees a field selected directly', async () => {
    expect(await selects('{ page { size total } }')).toBe(true);
  });

  it('sees a field selected through an inline fragment', async () => {
    expect(await selects('{ page { ... on Page { total } } }')).toBe(true);
  });

  it('sees a field selected through nested named fragments', async () => {
    expect(
      await selects(`{ page { ...A } }
        fragment A on Page { size ...B }
        fragment B on Page { total }`),
    ).toBe(true);
  });

  it('does not see a field the selection leaves out', async () => {
    expect(
      await selects(`{ page { size ...A } } fragment A on Page { size }`),
    ).toBe(false);
  });
});
