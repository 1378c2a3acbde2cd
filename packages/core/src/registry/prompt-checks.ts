import { conditionKey, findPromptTies, type PromptContext, templateVariables, VARIABLE_HINT, variableProblem } from '@vhb/sdk';
import type { Diagnostic, SourcePosition } from './diagnostics.js';
import { locateField } from './locate.js';
import type { MLTask, Prompt, PromptRuleEntry, RegistryEntries, RegistryKind, RunTask } from './schemas.js';
import { closestWithin } from './suggest.js';
import type { FieldPath, YamlFile } from './yaml-file.js';

const at = (position: SourcePosition) => `${position.file}:${position.line}:${position.column}`;

function diagnostic(
  files: readonly YamlFile[],
  path: FieldPath,
  code: Diagnostic['code'],
  message: string,
  hint: string,
  atKey = false,
): Diagnostic {
  const { position } = locateField(files, path, atKey);
  return { severity: 'error', code, ...position, field: path.join('.'), message, hint };
}

/** Every `{{...}}` of a prompt's templates is an allowed form or a declared variable. */
function checkPrompt(prompt: Prompt, files: readonly YamlFile[]): Diagnostic[] {
  const declared = prompt.variables ?? [];
  const known = ['question', 'id', 'task', 'model', 'dataset', ...declared];
  return (['system', 'user'] as const).flatMap((field) => {
    const template = prompt[field];
    if (template === undefined) return [];
    return templateVariables(template).flatMap((name) => {
      const problem = variableProblem(name, declared);
      if (!problem) return [];
      const near = closestWithin(name, known);
      const hint = near ? `did you mean {{${near}}}? Otherwise ${VARIABLE_HINT}` : VARIABLE_HINT;
      return [diagnostic(files, [field], 'VHB_E_REGISTRY_PROMPT_VARIABLE', `prompt "${prompt.name}": ${problem}`, hint)];
    });
  });
}

/** A `when` spelling one key twice (`doc_type` and `metadata.doc_type`). */
function doubleKeys(rules: readonly PromptRuleEntry[], files: readonly YamlFile[]): Diagnostic[] {
  return rules.flatMap((rule, i) => {
    const seen = new Map<string, string>();
    const found: Diagnostic[] = [];
    for (const key of Object.keys(rule.when ?? {})) {
      const normal = conditionKey(key);
      const earlier = seen.get(normal);
      if (earlier !== undefined) {
        found.push(
          diagnostic(
            files,
            ['prompts', i, 'when', key],
            'VHB_E_REGISTRY_SCHEMA',
            `prompts.${i}.when tests one metadata key twice: "${earlier}" and "${key}"`,
            'keep one of the two; a list of values ([a, b]) allows several',
            true,
          ),
        );
      }
      seen.set(normal, key);
    }
    return found;
  });
}

/** Rules of equal specificity that one item could meet: the run could not tell which prompt to use. */
function ties(rules: readonly PromptRuleEntry[], files: readonly YamlFile[], context: Partial<PromptContext>): Diagnostic[] {
  return findPromptTies(rules, context).map((tie) => {
    const first = rules[tie.first] as PromptRuleEntry;
    const second = rules[tie.second] as PromptRuleEntry;
    const firstAt = locateField(files, ['prompts', tie.first]).position;
    const secondAt = locateField(files, ['prompts', tie.second]).position;
    const conditions = Object.keys(first.when ?? {}).length;
    const example = Object.entries(tie.example)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    const why =
      conditions === 0
        ? 'both have no "when", so both are the fallback'
        : `both have ${conditions} condition${conditions === 1 ? '' : 's'}, and an item with ${example} meets both`;
    return diagnostic(
      files,
      ['prompts', tie.second],
      'VHB_E_REGISTRY_PROMPT_TIE',
      `prompt rules tie: prompts.${tie.first} ("${first.prompt}", ${at(firstAt)}) and prompts.${tie.second} ("${second.prompt}", ${at(secondAt)}): ${why}`,
      "add a condition to the rule that should win, or make the two rules' values disjoint",
    );
  });
}

function checkRuleOwner(
  entry: { name: string; prompts?: PromptRuleEntry[] },
  single: 'prompt' | 'default_prompt',
  files: readonly YamlFile[],
  context: Partial<PromptContext>,
): Diagnostic[] {
  const rules = entry.prompts;
  if (!rules) return [];
  const both =
    (entry as Record<string, unknown>)[single] === undefined
      ? []
      : [
          diagnostic(
            files,
            ['prompts'],
            'VHB_E_REGISTRY_SCHEMA',
            `"${single}" and "prompts" are both given`,
            `keep "prompts" and add the "${single}" as its last rule without "when" (the fallback), or drop "prompts"`,
            true,
          ),
        ];
  return [...both, ...doubleKeys(rules, files), ...ties(rules, files, context)];
}

/**
 * Checks of one entry beyond its schema: template variables of prompts, and the prompt rules of
 * tasks and runs (no tie, one key tested once, not both `prompt` and `prompts`).
 */
export function checkEntry<K extends RegistryKind>(kind: K, entry: RegistryEntries[K], files: readonly YamlFile[]): Diagnostic[] {
  switch (kind) {
    case 'prompts':
      return checkPrompt(entry as Prompt, files);
    case 'tasks': {
      const task = entry as MLTask;
      return checkRuleOwner(task, 'default_prompt', files, { task: task.name });
    }
    case 'runs': {
      const run = entry as RunTask;
      return checkRuleOwner(run, 'prompt', files, { task: run.task, model: run.model, dataset: run.dataset });
    }
    default:
      return [];
  }
}
