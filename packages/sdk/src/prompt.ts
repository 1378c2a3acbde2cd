import type { DatasetItem } from './data.js';
import { VhbError } from './errors.js';
import type { PromptTemplate } from './plugins.js';

/** Error codes of prompt templating and prompt rules (at run time; the registry has its own for validation). */
export const promptErrorCodes = {
  VHB_E_PROMPT_VARIABLE: 'A prompt template uses a variable that is not one of the allowed forms',
  VHB_E_PROMPT_MISSING: 'An item lacks a value its prompt template needs (a metadata key, the question)',
  VHB_E_PROMPT_NO_MATCH: 'No prompt rule matches an item and the rules have no fallback (a rule without `when`)',
  VHB_E_PROMPT_TIE: 'Two prompt rules of equal specificity match one item',
} as const;

/** Variables every template may use besides `metadata.<key>`. */
export const PROMPT_VARIABLES = ['question', 'id', 'task', 'model', 'dataset'] as const;
/** Variables filled from the run rather than from the item. */
const RUN_VARIABLES = ['task', 'model', 'dataset'] as const;

/** Names of the run a prompt is used in: filled into `{{task}}`, `{{model}}`, `{{dataset}}` and matched by rules. */
export interface PromptContext {
  task: string;
  model: string;
  dataset: string;
}

// Anything between double braces that is not itself a brace or whitespace; the name is checked after.
const variablePattern = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The variable names a template uses (`question`, `metadata.doc_type`, ...), each once, in order. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(variablePattern)].map((match) => match[1] as string))];
}

/**
 * Why a variable name is not allowed, or undefined when it is: `question`, `id`, `task`, `model`,
 * `dataset`, `metadata.<key>`, or one of `declared` (variables the task plugin fills itself, such as
 * classification's `labels`).
 */
export function variableProblem(name: string, declared: readonly string[] = []): string | undefined {
  if ((PROMPT_VARIABLES as readonly string[]).includes(name) || declared.includes(name)) return undefined;
  if (name.startsWith('metadata.')) return name.length > 'metadata.'.length ? undefined : '{{metadata.}} names no metadata key';
  return `{{${name}}} is not a template variable`;
}

/** The hint for a variable that is not allowed. */
export const VARIABLE_HINT =
  'use {{question}}, {{id}}, {{task}}, {{model}}, {{dataset}} or {{metadata.<key>}}, or list a variable the task fills itself under the prompt\'s "variables"';

function show(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function fill(template: string, item: DatasetItem, promptId: string | undefined): string {
  const which = promptId === undefined ? 'the prompt' : `prompt "${promptId}"`;
  return template.replace(variablePattern, (whole, name: string) => {
    if (name === 'question') {
      if (item.question === undefined) {
        throw new VhbError('VHB_E_PROMPT_MISSING', `item ${item.id} has no question, which ${which} needs ({{question}})`, {
          hint: 'give the item a question, or choose a prompt without {{question}} for it',
        });
      }
      return item.question;
    }
    if (name === 'id') return item.id;
    if (name.startsWith('metadata.') && name.length > 'metadata.'.length) {
      const key = name.slice('metadata.'.length);
      const value = Object.hasOwn(item.metadata, key) ? item.metadata[key] : undefined;
      if (value === undefined || value === null) {
        throw new VhbError('VHB_E_PROMPT_MISSING', `item ${item.id} has no metadata key "${key}", which ${which} needs ({{${name}}})`, {
          hint: `add "${key}" to the item's metadata, or add a prompt rule that picks another prompt for items without it`,
        });
      }
      return show(value);
    }
    if ((RUN_VARIABLES as readonly string[]).includes(name)) {
      throw new VhbError('VHB_E_PROMPT_VARIABLE', `${which} uses ${whole}, which only a run fills in`, {
        hint: 'render the prompt through the run (bindRunVariables), or drop the variable',
      });
    }
    throw new VhbError('VHB_E_PROMPT_VARIABLE', `${which} uses ${whole}, which is not a template variable (item ${item.id})`, {
      hint: VARIABLE_HINT,
    });
  });
}

/**
 * Fills `{{question}}`, `{{id}}` and `{{metadata.<key>}}` from the item. A variable the item cannot
 * supply (no such metadata key, no question) throws `VHB_E_PROMPT_MISSING`; any other variable
 * (`{{task}}` not bound by the run, a typo) throws `VHB_E_PROMPT_VARIABLE`: never an empty string.
 */
export function renderTemplate(template: string, item: DatasetItem): string {
  return fill(template, item, undefined);
}

/** Renders a template's system and user parts for one item (errors as `renderTemplate`, naming the prompt). */
export function renderPrompt(prompt: PromptTemplate, item: DatasetItem): { system?: string; prompt: string } {
  const user = fill(prompt.user, item, prompt.id);
  return prompt.system === undefined ? { prompt: user } : { system: fill(prompt.system, item, prompt.id), prompt: user };
}

const runVariablePattern = /\{\{\s*(task|model|dataset)\s*\}\}/g;

/** Fills `{{task}}`, `{{model}}` and `{{dataset}}` with the run's names; item variables stay for `renderPrompt`. */
export function bindRunVariables(prompt: PromptTemplate, context: PromptContext): PromptTemplate {
  const bind = (text: string) => text.replace(runVariablePattern, (_, name: keyof PromptContext) => context[name]);
  return prompt.system === undefined
    ? { ...prompt, user: bind(prompt.user) }
    : { ...prompt, user: bind(prompt.user), system: bind(prompt.system) };
}

// ---------- rules ----------

export type PromptScalar = string | number | boolean;
/** One condition of a rule: the value, or a list of allowed values. */
export type PromptCondition = PromptScalar | readonly PromptScalar[];
/** Conditions on `task`, `model`, `dataset` (the run's names) and item metadata (`doc_type`, or `metadata.doc_type`). */
export type PromptWhen = Readonly<Record<string, PromptCondition>>;

/** A prompt, used for the items its `when` matches (every item when absent: the fallback). */
export interface PromptRule<P = PromptTemplate> {
  prompt: P;
  when?: PromptWhen;
}

/**
 * The key a condition tests: `task`, `model` and `dataset` test the run; `metadata.<key>` and any
 * other key test the item's metadata (`doc_type` is `metadata.doc_type`; write `metadata.task` for a
 * metadata key named `task`).
 */
export function conditionKey(key: string): string {
  if ((RUN_VARIABLES as readonly string[]).includes(key) || key.startsWith('metadata.')) return key;
  return `metadata.${key}`;
}

const valuesOf = (condition: PromptCondition): string[] => (Array.isArray(condition) ? condition : [condition]).map(String);

/** A rule's conditions by normalised key, each a set of allowed values (two spellings of one key intersect). */
export function normaliseWhen(when: PromptWhen | undefined): Map<string, Set<string>> {
  const conditions = new Map<string, Set<string>>();
  for (const [key, condition] of Object.entries(when ?? {})) {
    const normal = conditionKey(key);
    const values = new Set(valuesOf(condition as PromptCondition));
    const earlier = conditions.get(normal);
    conditions.set(normal, earlier ? new Set([...earlier].filter((v) => values.has(v))) : values);
  }
  return conditions;
}

/** How many conditions a rule has: the more, the more specific. */
export function specificity(rule: Pick<PromptRule<unknown>, 'when'>): number {
  return normaliseWhen(rule.when).size;
}

function valueFor(key: string, item: DatasetItem, context: Partial<PromptContext>): string | undefined {
  if (!key.startsWith('metadata.')) return context[key as keyof PromptContext];
  const name = key.slice('metadata.'.length);
  const value = Object.hasOwn(item.metadata, name) ? item.metadata[name] : undefined;
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}

/** Whether every condition holds for the item in the run: values compare as text (`2024` matches "2024"). */
export function ruleMatches(when: PromptWhen | undefined, item: DatasetItem, context: Partial<PromptContext>): boolean {
  for (const [key, allowed] of normaliseWhen(when)) {
    const value = valueFor(key, item, context);
    if (value === undefined || !allowed.has(value)) return false;
  }
  return true;
}

/**
 * The rule for one item: of the rules whose `when` holds, the one with the most conditions.
 * Throws `VHB_E_PROMPT_NO_MATCH` when none holds, `VHB_E_PROMPT_TIE` when two with the most hold
 * (validation rejects rule lists where that can happen).
 */
export function selectPrompt<P extends { id: string }>(rules: readonly PromptRule<P>[], item: DatasetItem, context: PromptContext): P {
  let best: PromptRule<P> | undefined;
  let bestScore = -1;
  let tied: PromptRule<P> | undefined;
  for (const rule of rules) {
    if (!ruleMatches(rule.when, item, context)) continue;
    const score = specificity(rule);
    if (score > bestScore) {
      best = rule;
      bestScore = score;
      tied = undefined;
    } else if (score === bestScore) tied = rule;
  }
  if (!best) {
    throw new VhbError('VHB_E_PROMPT_NO_MATCH', `no prompt rule matches item ${item.id} (${describeItem(item, rules)})`, {
      hint: 'add a rule without "when" as the fallback, or a rule whose conditions the item meets',
    });
  }
  if (tied) {
    throw new VhbError(
      'VHB_E_PROMPT_TIE',
      `prompt rules "${best.prompt.id}" and "${tied.prompt.id}" both match item ${item.id} with ${bestScore} condition${bestScore === 1 ? '' : 's'} each`,
      { hint: 'run `vhb validate`: it names the tied rules; add a condition to the one that should win' },
    );
  }
  return best.prompt;
}

/** `doc_type` for `metadata.doc_type`, but `metadata.task` stays, so it is not read as the run's task. */
function exampleKey(key: string): string {
  const name = key.startsWith('metadata.') ? key.slice('metadata.'.length) : key;
  return key !== name && conditionKey(name) !== key ? key : name;
}

function describeItem(item: DatasetItem, rules: readonly PromptRule<unknown>[]): string {
  const keys = [...new Set(rules.flatMap((rule) => [...normaliseWhen(rule.when).keys()]))].filter((k) => k.startsWith('metadata.'));
  if (keys.length === 0) return 'the rules all have conditions';
  return keys.map((key) => `${exampleKey(key)}=${valueFor(key, item, {}) ?? '(none)'}`).join(', ');
}

/** Two rules that can both be chosen for one item with equal specificity, and an item that shows it. */
export interface PromptTie {
  /** Indexes into the rule list, first < second. */
  first: number;
  second: number;
  /** Conditions an item (and run) meeting both rules has, `key=value`; empty for two fallbacks. */
  example: Record<string, string>;
}

/**
 * Pairs of rules that tie: equal specificity, and some item could meet both (for every key both
 * test, their allowed values overlap). With a context, rules whose `task`/`model`/`dataset`
 * conditions exclude it are left out, since they can never be chosen there.
 */
export function findPromptTies(rules: readonly Pick<PromptRule<unknown>, 'when'>[], context: Partial<PromptContext> = {}): PromptTie[] {
  const normal = rules.map((rule) => normaliseWhen(rule.when));
  const possible = normal.map((conditions) =>
    [...conditions].every(([key, allowed]) => {
      if (allowed.size === 0) return false;
      if (key.startsWith('metadata.')) return true;
      const given = context[key as keyof PromptContext];
      return given === undefined || allowed.has(given);
    }),
  );
  const ties: PromptTie[] = [];
  for (let i = 0; i < normal.length; i += 1) {
    for (let j = i + 1; j < normal.length; j += 1) {
      const a = normal[i] as Map<string, Set<string>>;
      const b = normal[j] as Map<string, Set<string>>;
      if (!possible[i] || !possible[j] || a.size !== b.size) continue;
      const example: Record<string, string> = {};
      let overlap = true;
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        const x = a.get(key);
        const y = b.get(key);
        const shared = x && y ? [...x].filter((v) => y.has(v)) : [...((x ?? y) as Set<string>)];
        if (shared.length === 0) {
          overlap = false;
          break;
        }
        const given = key.startsWith('metadata.') ? undefined : context[key as keyof PromptContext];
        example[exampleKey(key)] = given !== undefined && shared.includes(given) ? given : (shared[0] as string);
      }
      if (overlap) ties.push({ first: i, second: j, example });
    }
  }
  return ties;
}
