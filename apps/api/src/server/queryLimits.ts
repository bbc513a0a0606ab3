import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { RollcallError, type ErrorCode } from '../errors.ts';

/**
 * The page size assumed for a `first` whose value is not known when the
 * operation is validated (a variable without a default, or an omitted
 * argument without a schema default).
 */
export const ASSUMED_PAGE_SIZE = 50;

type Fragments = (name: string) => FragmentDefinitionNode | undefined;
type Variables = Readonly<Record<string, unknown>>;

interface Walk {
  schema: GraphQLSchema;
  fragments: Fragments;
  variables: Variables;
  defaults: Variables;
  /** The page size of a variable whose value is not known. */
  unknownSize: number;
  /** Fragments being expanded, so a (refused) cycle cannot loop. */
  active: Set<string>;
}

function fieldOf(
  type: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (!type || !(isObjectType(type) || isInterfaceType(type))) return undefined;
  return type.getFields()[name];
}

function pageSize(
  walk: Walk,
  field: GraphQLField<unknown, unknown> | undefined,
  value: ValueNode | undefined,
): number {
  const arg = field?.args.find((candidate) => candidate.name === 'first');
  if (!arg) return 1;

  let size: unknown = arg.defaultValue;
  if (value?.kind === Kind.INT) size = Number(value.value);
  if (value?.kind === Kind.VARIABLE) {
    const name = value.name.value;
    size = walk.variables[name] ?? walk.defaults[name] ?? walk.unknownSize;
  }
  return typeof size === 'number' && Number.isFinite(size) && size > 0
    ? size
    : ASSUMED_PAGE_SIZE;
}

/** Depth and cost of a selection set below a parent type. */
function measure(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
): { depth: number; cost: number } {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection is bounded by the schema itself, and tools such as
      // codegen need its deep TypeRef fragment.
      if (selection.name.value.startsWith('__')) continue;

      const field = fieldOf(parent, selection.name.value);
      const first = selection.arguments?.find((a) => a.name.value === 'first');
      const size = pageSize(walk, field, first?.value);
      const inner = selection.selectionSet
        ? measure(
            walk,
            selection.selectionSet,
            field ? getNamedType(field.type) : undefined,
          )
        : { depth: 0, cost: 0 };
      depth = Math.max(depth, 1 + inner.depth);
      cost += 1 + size * inner.cost;
      continue;
    }

    let inner: { depth: number; cost: number };
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      const type = condition ? walk.schema.getType(condition) : parent;
      inner = measure(walk, selection.selectionSet, type ?? undefined);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments(name);
      if (!fragment || walk.active.has(name)) continue;

      walk.active.add(name);
      const type = walk.schema.getType(fragment.typeCondition.name.value);
      inner = measure(walk, fragment.selectionSet, type ?? undefined);
      walk.active.delete(name);
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

function variableDefaults(operation: OperationDefinitionNode): Variables {
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const value = definition.defaultValue;
    if (value?.kind === Kind.INT) {
      defaults[definition.variable.name.value] = Number(value.value);
    }
  }
  return defaults;
}

/**
 * The depth (deepest field nesting) and cost of an operation: each field
 * counts 1, times the page sizes (`first`) of the connections around it.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  variables: Variables = {},
  unknownSize = ASSUMED_PAGE_SIZE,
): { depth: number; cost: number } {
  const root = schema.getRootType(operation.operation) ?? undefined;
  return measure(
    {
      schema,
      fragments,
      variables,
      defaults: variableDefaults(operation),
      unknownSize,
      active: new Set(),
    },
    operation.selectionSet,
    root,
  );
}

function limitError(
  code: ErrorCode,
  message: string,
  node: OperationDefinitionNode,
  details: Record<string, number>,
): GraphQLError {
  // The code travels twice: in extensions for graphql-ws, and as the
  // original RollcallError for Apollo, which renames validation codes.
  return new GraphQLError(message, {
    nodes: [node],
    extensions: { code, ...details },
    originalError: new RollcallError(code, message, details),
  });
}

/**
 * Validation rules refusing operations nested deeper than `maxDepth`
 * (QUERY_TOO_DEEP) or costing more than `maxCost` (QUERY_TOO_COSTLY).
 * Variables are priced at their default or 1 here; `checkOperationCost`
 * repeats the cost check with the values sent.
 */
export function queryLimitRules(limits: { maxDepth: number; maxCost: number }) {
  return [
    (context: ValidationContext): ASTVisitor => ({
      OperationDefinition(node) {
        const { depth, cost } = operationCost(
          context.getSchema(),
          node,
          (name) => context.getFragment(name) ?? undefined,
          {},
          // Variables are unknown here: price them at the minimum, and
          // let checkOperationCost price them at the values sent.
          1,
        );
        if (depth > limits.maxDepth) {
          context.reportError(
            limitError(
              'QUERY_TOO_DEEP',
              `The operation is nested ${depth} levels deep; the limit is ${limits.maxDepth}`,
              node,
              { depth, maxDepth: limits.maxDepth },
            ),
          );
        } else if (cost > limits.maxCost) {
          context.reportError(
            limitError(
              'QUERY_TOO_COSTLY',
              `The operation would select up to ${cost} fields; the limit is ${limits.maxCost}`,
              node,
              { cost, maxCost: limits.maxCost },
            ),
          );
        }
      },
    }),
  ];
}

/**
 * The cost check with the operation's actual variables, for page sizes
 * passed as variables. Throws QUERY_TOO_COSTLY.
 */
export function checkOperationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Fragments,
  variables: Variables,
  maxCost: number,
): void {
  const { cost } = operationCost(schema, operation, fragments, variables);
  if (cost <= maxCost) return;

  throw new RollcallError(
    'QUERY_TOO_COSTLY',
    `The operation would select up to ${cost} fields; the limit is ${maxCost}`,
    { cost, maxCost },
  );
}
