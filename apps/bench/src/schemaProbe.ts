import type { JsonClient } from './httpClient.ts';

/** The root fields a running Rollcall has, to tell what can be measured. */
export interface SchemaFields {
  query: Set<string>;
  mutation: Set<string>;
  subscription: Set<string>;
}

interface IntrospectionAnswer {
  data?: {
    __schema: {
      queryType: { fields: Array<{ name: string }> } | null;
      mutationType: { fields: Array<{ name: string }> } | null;
      subscriptionType: { fields: Array<{ name: string }> } | null;
    };
  };
}

/** Reads the root fields of Rollcall's schema by introspection. */
export async function probeSchema(
  client: JsonClient,
  adminKey: string,
): Promise<SchemaFields> {
  const answer = await client.post<IntrospectionAnswer>(
    '/graphql',
    {
      query: `{ __schema {
        queryType { fields { name } }
        mutationType { fields { name } }
        subscriptionType { fields { name } } } }`,
    },
    adminKey,
  );
  const schema = answer.data?.__schema;
  const names = (
    type: { fields: Array<{ name: string }> } | null | undefined,
  ) => new Set((type?.fields ?? []).map((field) => field.name));
  return {
    query: names(schema?.queryType),
    mutation: names(schema?.mutationType),
    subscription: names(schema?.subscriptionType),
  };
}
