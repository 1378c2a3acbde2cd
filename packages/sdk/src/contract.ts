import type { z } from 'zod';

/** The plugin contract version this SDK implements. The host refuses plugins built for another. */
export const CONTRACT_VERSION = 1;

/** The five kinds of plugin a VLMHyperBench package can provide. */
export const PLUGIN_KINDS = ['task', 'dataset', 'adapter', 'metric', 'reporter'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** What a plugin needs to run (seed 004): the scheduler places work by these. */
export interface Resources {
  /** Where the work is bound: CPU, GPU or I/O (network, disk). */
  type: 'cpu' | 'gpu' | 'io';
  /** CPU cores it keeps busy. */
  cpus?: number;
  /** Host memory in MB. */
  memoryMb?: number;
  /** GPU memory in MB. */
  gpuMemoryMb?: number;
  /** Model it serves, when it is an adapter bound to one. */
  model?: string;
  /** Engine or library doing the work (tesseract.js, vllm, ...). */
  backend?: string;
}

/** Metadata every plugin declares; the host checks it at load. */
export interface PluginMeta<Options = unknown> {
  /** Which contract this plugin is. */
  kind: PluginKind;
  /** Kebab-case name, unique per kind (`cer`, `dataset-jsonl`). */
  name: string;
  /** The plugin's own version (semver). */
  version: string;
  /** One sentence saying what it does. */
  description: string;
  /** Contract version it was built for; `define*()` fills in {@link CONTRACT_VERSION}. */
  contract: number;
  /** Validates options from the registry YAML before the plugin sees them. */
  options?: z.ZodType<Options>;
  /** Shape of what the plugin consumes (exported as JSON Schema). */
  input?: z.ZodType;
  /** Shape of what the plugin produces (exported as JSON Schema). */
  output?: z.ZodType;
  /** What it needs to run. */
  resources?: Resources;
}
