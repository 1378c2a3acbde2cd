import { describe, expect, it } from 'vitest';
import * as host from '../src/host/index.js';
import * as mod from '../src/index.js';

describe('@vhb/core public exports', () => {
  it('exports exactly the config, registry and error API, plus the host', () => {
    const registrySide = [
      'KIND_LABELS',
      'METRIC_REF_PATTERN',
      'NAME_PATTERN',
      'PACKAGE_KINDS',
      'REGISTRY_KINDS',
      'RUN_MODES',
      'RegistryManager',
      'applyOverlay',
      'closestWithin',
      'configErrorCodes',
      'coreErrorCodes',
      'datasetSchema',
      'dependencySourceSchema',
      'experimentPlanSchema',
      'formatDiagnostic',
      'generationSchema',
      'hasErrors',
      'isVersionRange',
      'loadProjectConfig',
      'metricSchema',
      'mlTaskSchema',
      'modelResourcesSchema',
      'modelSchema',
      'nameSchema',
      'packageEntrySchema',
      'parseMetricRef',
      'projectConfigFileSchema',
      'promptRuleSchema',
      'promptSchema',
      'referencesOf',
      'registryEntrySchemas',
      'registryErrorCodes',
      'registryJsonSchemas',
      'reportSchema',
      'runMetricSchema',
      'runTaskSchema',
    ];
    // The host's own exports are pinned by the host's tests; here they only have to come through.
    const expected = [...new Set([...registrySide, ...Object.keys(host)])].sort();
    expect(Object.keys(mod).sort()).toEqual(expected);
  });

  it('has no default export: @vhb/core is the host, not a plugin', () => {
    expect('default' in mod).toBe(false);
  });
});
