import type { z } from '@vhb/sdk';
import type { Diagnostic } from './diagnostics.js';
import { locateField, valueAt } from './locate.js';
import { allowedKeysAt } from './schema-keys.js';
import { closestWithin } from './suggest.js';
import type { FieldPath, YamlFile } from './yaml-file.js';

type Issue = z.core.$ZodIssue;

/** One schema problem, ready to be placed in a file. */
interface Problem {
  path: FieldPath;
  message: string;
  hint?: string;
  /** For unknown keys: point at the key itself, not its value. */
  atKey?: boolean;
  unknownKey?: boolean;
}

export interface EntryContext {
  schema: z.ZodType;
  /** The merged entry as given to the schema. */
  value: unknown;
  /** Files the entry came from, overlay first. */
  files: readonly YamlFile[];
  /** Where kind docs live, for hints (`docs/registries.md#runs`). */
  docsHint: string;
}

const fieldName = (path: FieldPath) => (path.length ? path.join('.') : '(entry)');

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

// A union reports one error list per option; the option the value was meant for is the one that
// got past the type check, and its errors are the useful ones.
function flattenUnion(issue: Extract<Issue, { code: 'invalid_union' }>): Issue[] {
  const branches = issue.errors.map((branch) => branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }) as Issue));
  const plausible = branches.find((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === issue.path.length));
  if (plausible) return plausible.flatMap((inner) => (inner.code === 'invalid_union' ? flattenUnion(inner) : [inner]));
  const expected = [...new Set(branches.flatMap((branch) => branch.flatMap((i) => (i.code === 'invalid_type' ? [i.expected] : []))))];
  return [{ ...issue, code: 'invalid_type', expected: expected.join(' or '), message: '' } as unknown as Issue];
}

// A discriminated union whose `type` matches no option (`source.type: gitx`).
function discriminatorProblem(path: FieldPath, value: unknown, options: unknown[]): Problem {
  const field = fieldName(path);
  const allowed = options.map((option) => JSON.stringify(option)).join(', ');
  if (value === undefined)
    return { path, message: `missing required field "${field}"`, hint: `add "${String(path[path.length - 1])}:" with one of: ${allowed}` };
  return { path, message: `${field}: ${show(value)} is not allowed`, hint: `use one of: ${allowed}` };
}

function problemsOf(issue: Issue, ctx: EntryContext): Problem[] {
  const path = issue.path as FieldPath;
  const value = valueAt(ctx.value, path);
  const field = fieldName(path);
  switch (issue.code) {
    case 'invalid_union':
      if (issue.errors.length) return flattenUnion(issue).flatMap((inner) => problemsOf(inner, ctx));
      return [discriminatorProblem(path, value, (issue as { options?: unknown[] }).options ?? [])];
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = allowedKeysAt(ctx.schema, path, ctx.value);
        const near = closestWithin(key, allowed);
        const where = path.length ? ` in ${field}` : '';
        return {
          path: [...path, key],
          atKey: true,
          unknownKey: true,
          message: `unknown key "${key}"${where}`,
          hint: near ? `did you mean "${near}"?` : `allowed keys here: ${allowed.join(', ')}`,
        };
      });
    case 'invalid_type':
      if (value === undefined) {
        const key = String(path[path.length - 1]);
        return [{ path, message: `missing required field "${field}"`, hint: `add "${key}: <${issue.expected}>" to the entry` }];
      }
      return [{ path, message: `${field}: expected ${issue.expected}, got ${show(value)}` }];
    case 'invalid_value':
      return [
        {
          path,
          message: `${field}: ${show(value)} is not allowed`,
          hint: `use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        },
      ];
    default:
      return [{ path, message: `${field}: ${issue.message} (got ${show(value)})` }];
  }
}

/** Turns zod issues on a merged entry into diagnostics at the line and column of each offending node. */
export function issuesToDiagnostics(issues: readonly Issue[], ctx: EntryContext): Diagnostic[] {
  return issues
    .flatMap((issue) => problemsOf(issue, ctx))
    .map((problem) => {
      const { position } = locateField(ctx.files, problem.path, problem.atKey);
      return {
        severity: 'error' as const,
        code: problem.unknownKey ? ('VHB_E_REGISTRY_UNKNOWN_KEY' as const) : ('VHB_E_REGISTRY_SCHEMA' as const),
        ...position,
        field: problem.path.join('.'),
        message: problem.message,
        hint: problem.hint ?? ctx.docsHint,
      };
    });
}
