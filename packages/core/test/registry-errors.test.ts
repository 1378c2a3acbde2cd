import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreErrorCodes } from '../src/index.js';

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** `### \`CODE\`` heading → the first paragraph under it. */
function documented(): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of docs.matchAll(/^### `([A-Z0-9_]+)`\n\n(.+)$/gm)) sections.set(match[1] as string, match[2] as string);
  return sections;
}

describe('error codes and docs/errors.md', () => {
  it('documents every code, with its one-line description first', () => {
    const sections = documented();
    for (const [code, description] of Object.entries(coreErrorCodes)) expect(sections.get(code), code).toBe(description);
  });

  it('documents no code that is gone', () => {
    expect([...documented().keys()].filter((code) => !(code in coreErrorCodes))).toEqual([]);
  });

  it('names every code VHB_E_<AREA>_<WHAT>', () => {
    for (const code of Object.keys(coreErrorCodes)) expect(code).toMatch(/^VHB_E_[A-Z]+_[A-Z_]+$/);
  });
});
