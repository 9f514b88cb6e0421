/**
 * Operation limits (graphql-armor): depth, cost, aliases, tokens, directives, and field suggestions hidden
 * outside development. Refusals are QUERY_LIMIT errors (errors.ts) naming the limit, and counted.
 *
 * armor's cost rule multiplies a list's cost by its `first`/`last` argument only when that is a literal: a
 * query passing `first: $n` would be costed as if n were 1. `useVariableAwareCost` closes that gap: when an
 * operation takes `first`/`last` from variables, it costs the operation again at execution with the
 * variables' values written in, using armor's own rule.
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, validate, visit, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface ApiLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Replace "Did you mean ...?" in validation errors (production). */
  blockFieldSuggestions: boolean;
}

/** armor's defaults for the two limits Vigil does not expose as options. */
export const FIXED_LIMITS = { maxTokens: 1000, maxDirectives: 50 } as const;

/** Cost model (armor's defaults, spelled out so the execution-time check uses the same). */
const COST = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, flattenFragments: true, ignoreIntrospection: true } as const;

type GraphQLArmorConfig = NonNullable<ConstructorParameters<typeof EnvelopArmor>[0]>;
type Reject = (ctx: unknown, err: GraphQLError) => void;

/** Turns armor's "Syntax Error: Query depth limit of 10 exceeded, found 12." into a QUERY_LIMIT error. */
function tag(limit: string, onReject: (limit: string) => void): Reject {
  return (_ctx, err) => {
    err.message = err.message.replace(/^Syntax Error: /, '');
    Object.assign(err.extensions as Record<string, unknown>, { code: 'QUERY_LIMIT', limit });
    onReject(limit);
  };
}

/** The armor plugins for `limits`; `onReject(limit)` is called for every refusal. */
export function armorPlugins(limits: ApiLimits, onReject: (limit: string) => void): Plugin[] {
  const config: GraphQLArmorConfig = {
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, onReject: [tag('maxDepth', onReject)] },
    costLimit: { maxCost: limits.maxCost, ...COST, onReject: [tag('maxCost', onReject)] },
    maxAliases: { n: limits.maxAliases, onReject: [tag('maxAliases', onReject)] },
    maxTokens: { n: limits.maxTokens, onReject: [tag('maxTokens', onReject)] },
    maxDirectives: { n: limits.maxDirectives, onReject: [tag('maxDirectives', onReject)] },
    blockFieldSuggestion: { enabled: limits.blockFieldSuggestions },
  };
  return new EnvelopArmor(config).protect().plugins as Plugin[];
}

/**
 * armor's cost rule with these settings. The package exports only its envelop plugin, which adds the rule
 * in its onValidate hook: the rule is taken from there.
 */
function armorCostRule(maxCost: number): ValidationRule {
  const off = { enabled: false };
  const plugins = new EnvelopArmor({
    costLimit: { maxCost, ...COST, propagateOnRejection: false, onReject: [(ctx, err) => ctx?.reportError(err)] },
    maxDepth: off,
    maxAliases: off,
    maxTokens: off,
    maxDirectives: off,
    blockFieldSuggestion: off,
  }).protect().plugins;
  const rules: ValidationRule[] = [];
  type OnValidate = (payload: { addValidationRule: (rule: ValidationRule) => void }) => void;
  for (const p of plugins) (p.onValidate as OnValidate | undefined)?.({ addValidationRule: (r) => rules.push(r) });
  if (rules.length !== 1) throw new Error(`graphql-armor's cost plugin added ${rules.length} validation rules (expected its cost rule)`);
  return rules[0]!;
}

const PAGE_ARGS = new Set(['first', 'last']);

/** `document` with every `first: $v` / `last: $v` replaced by the variable's integer value; null when none. */
export function inlinePageVariables(document: DocumentNode, variables: Record<string, unknown> | null | undefined): DocumentNode | null {
  let changed = false;
  const out = visit(document, {
    Argument(node) {
      if (!PAGE_ARGS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const v = variables?.[node.value.name.value];
      if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
      changed = true;
      return { ...node, value: { kind: Kind.INT, value: String(v) } };
    },
  });
  return changed ? out : null;
}

/** The execution-time cost check (see the file comment). */
export function useVariableAwareCost(maxCost: number, onReject: (limit: string) => void): Plugin {
  const rule = armorCostRule(maxCost);
  const check = (schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | null | undefined): GraphQLError | null => {
    const inlined = inlinePageVariables(document, variables);
    if (!inlined) return null;
    const err = validate(schema, inlined, [rule])[0];
    if (!err) return null;
    onReject('maxCost');
    return new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'QUERY_LIMIT', limit: 'maxCost' } });
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const err = check(args.schema, args.document, args.variableValues as Record<string, unknown> | null | undefined);
      if (err) setResultAndStopExecution({ errors: [err] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const err = check(args.schema, args.document, args.variableValues as Record<string, unknown> | null | undefined);
      if (err) setResultAndStopExecution({ errors: [err] });
    },
  };
}
