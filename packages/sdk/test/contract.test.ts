import { describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';
import { CONTRACT_VERSION, checkPlugin, defineMetric, defineTask, pluginJsonSchemas, renderPrompt, z } from '../src/index.js';

const metric = defineMetric({
  name: 'same',
  version: '1.0.0',
  description: 'Equality',
  algorithmVersion: 1,
  direction: 'higher',
  options: z.object({ caseSensitive: z.boolean().default(true) }),
  score: (prediction, references) => ({ score: prediction === references[0] ? 1 : 0 }),
});

describe('@vhb/sdk', () => {
  it('exports exactly its public API', () => {
    expect(Object.keys(sdk).sort()).toEqual([
      'BOOTSTRAP_DEFAULTS',
      'CONTRACT_VERSION',
      'INFERENCE_DEFAULTS',
      'ITEM_TIMEOUT',
      'ModelLimiter',
      'NO_PROMPT',
      'PLUGIN_KINDS',
      'PROMPT_VARIABLES',
      'PY_WHITESPACE',
      'RESPONSE_CACHE_VERSION',
      'RESULT_FILES',
      'ResponseCache',
      'VARIABLE_HINT',
      'VhbError',
      'Vocabulary',
      'alignCounts',
      'backoffDelay',
      'bindRunVariables',
      'bootstrapCi',
      'canonicalJson',
      'checkPlugin',
      'codePoints',
      'conditionKey',
      'corpusErrorRate',
      'corpusErrorRateResult',
      'datasetItemSchema',
      'datasetSelectionSchema',
      'defineAdapter',
      'defineDataset',
      'defineMetric',
      'defineReporter',
      'defineTask',
      'deriveSeed',
      'editDistance',
      'errorRate',
      'executeRun',
      'fileSha256',
      'findPromptTies',
      'forEachLimited',
      'generationRequestSchema',
      'generationResultSchema',
      'generationSettingsSchema',
      'inferencePolicy',
      'inferenceSpecSchema',
      'isInside',
      'isPyWhitespace',
      'isVhbError',
      'itemScoreSchema',
      'kindSchemas',
      'levenshtein',
      'mean',
      'metricId',
      'metricInputSchema',
      'mulberry32',
      'ngramCounts',
      'noReferenceError',
      'normaliseWhen',
      'npSum',
      'parseOptions',
      'parseRetryAfter',
      'percentile',
      'percentiles',
      'pluginJsonSchemas',
      'promptCounts',
      'promptErrorCodes',
      'pyCaseFold',
      'pySplit',
      'pyStrip',
      'readJsonl',
      'readPredictions',
      'renderPrompt',
      'renderTemplate',
      'reportFilesSchema',
      'requestKeyParts',
      'resolveDatasetFile',
      'resolveImage',
      'responseKey',
      'retryAdviceOf',
      'ruleMatches',
      'runFileSchema',
      'runMetricBin',
      'runSpecSchema',
      'runSummarySchema',
      'runTaskBin',
      'scoreItems',
      'sdkErrorCodes',
      'selectItems',
      'selectPrompt',
      'specificity',
      'squadNormalize',
      'sumDetails',
      'summariseGroups',
      'summariseMetrics',
      'summariseTimes',
      'templateVariables',
      'timingSchema',
      'variableProblem',
      'worstItems',
      'z',
    ]);
  });
});

describe('define*() and checkPlugin', () => {
  it('fills in kind and contract', () => {
    expect(metric.kind).toBe('metric');
    expect(metric.contract).toBe(CONTRACT_VERSION);
    expect(checkPlugin(metric, 'metric')).toEqual({ ok: true, plugin: metric });
  });

  it('names every problem at once', () => {
    const check = checkPlugin(
      { kind: 'metric', name: 'Bad Name', version: '1', description: 'x', contract: 99, direction: 'up' },
      'metric',
    );
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toEqual([
      expect.stringMatching(/^name: must be kebab-case/),
      expect.stringMatching(/^contract: built for contract 99/),
      'score: a metric plugin must define score()',
      'algorithmVersion: must be a positive integer',
      'direction: must be "higher" or "lower"',
    ]);
  });

  it('refuses a plugin of another kind and a non-object', () => {
    const check = checkPlugin(metric, 'reporter');
    expect(check.ok ? [] : check.problems).toEqual(['kind: is "metric", expected "reporter"']);
    expect(checkPlugin(undefined).ok).toBe(false);
  });

  it('exports options as JSON Schema', () => {
    const schemas = pluginJsonSchemas(metric);
    expect(schemas.options).toMatchObject({ type: 'object', properties: { caseSensitive: { type: 'boolean', default: true } } });
    // define*() gives every plugin its kind's input/output schemas and resources when it names none (seed 004).
    expect(schemas.input).toMatchObject({ type: 'object', required: ['prediction', 'references'] });
    expect(schemas.output).toMatchObject({ type: 'object', required: ['score'] });
    expect(metric.resources).toEqual({ type: 'cpu', cpus: 1 });
  });
});

describe('renderPrompt', () => {
  const task = defineTask({
    name: 't',
    version: '1.0.0',
    description: 'x',
    defaultPrompt: { id: 'p', system: 'You read {{metadata.doc_type}}s.', user: 'Q: {{question}} ({{id}}){{ unknown }}' },
    defaultMetrics: [],
    buildRequest: (item) => ({ id: item.id, prompt: '' }),
  });
  it('fills question, id and metadata; an unknown variable is an error, never an empty string', () => {
    const item = { id: 'x1', question: 'What total?', references: [], metadata: { doc_type: 'receipt' } };
    const known = { ...task.defaultPrompt, user: 'Q: {{question}} ({{id}})' };
    expect(renderPrompt(known, item)).toEqual({ system: 'You read receipts.', prompt: 'Q: What total? (x1)' });
    expect(() => renderPrompt(task.defaultPrompt, item)).toThrow(/prompt "p" uses \{\{ unknown \}\}, which is not a template variable/);
  });
});
