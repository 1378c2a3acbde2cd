import type { Kind, PluginNames } from '../names.js';

/** What a kind's template gives: its example code and the words its README uses. */
export interface KindTemplate {
  kind: Kind;
  /** One sentence: what the example plugin does (the package description). */
  description: string;
  /** The `define<Kind>` helper and the hooks the contract asks for, for the README. */
  contract: string;
  /** src/index.ts. */
  index(names: PluginNames): string;
  /** test/<name>.test.ts. */
  test(names: PluginNames): string;
  /** Extra README text: how the example works. */
  usage(names: PluginNames): string;
}
