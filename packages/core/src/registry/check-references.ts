import type { Diagnostic } from './diagnostics.js';
import type { LoadedEntry } from './load-kind.js';
import { locateField } from './locate.js';
import { type Reference, referencesOf } from './references.js';
import { KIND_LABELS, type PackageEntry, type RegistryKind } from './schemas.js';
import { closestWithin } from './suggest.js';

/** What reference checking needs to know about the loaded registries. */
export interface RegistryLookup {
  find(kind: RegistryKind, name: string): LoadedEntry | undefined;
  /** Error diagnostics of a file of that kind and name that failed to load. */
  failed(kind: RegistryKind, name: string): readonly Diagnostic[] | undefined;
  names(kind: RegistryKind): string[];
  /** Display path of a kind's folder (`registries/datasets`). */
  kindDir(kind: RegistryKind): string;
}

function unknownReference(from: LoadedEntry, ref: Reference, lookup: RegistryLookup): Diagnostic {
  const { position } = locateField(from.files, ref.field);
  const label = KIND_LABELS[ref.kind];
  const known = lookup.names(ref.kind);
  const near = closestWithin(ref.name, known);
  let hint = `define it in ${lookup.kindDir(ref.kind)}/${ref.name}.yaml`;
  if (near) hint = `did you mean "${near}"? (${lookup.find(ref.kind, near)?.position.file})`;
  else if (known.length) hint += `, or use one of: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''}`;
  return {
    severity: 'error',
    code: 'VHB_E_REGISTRY_UNKNOWN_REF',
    ...position,
    field: ref.field.join('.'),
    message: `${label} "${ref.name}" is not defined`,
    hint,
  };
}

const article = (word: string) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;

function kindMismatch(from: LoadedEntry, ref: Reference, target: LoadedEntry): Diagnostic | undefined {
  const provides = (target.entry as PackageEntry).kind;
  if (!ref.packageKind || !provides || provides === ref.packageKind) return undefined;
  const { position } = locateField(from.files, ref.field);
  return {
    severity: 'error',
    code: 'VHB_E_REGISTRY_KIND_MISMATCH',
    ...position,
    field: ref.field.join('.'),
    message: `${KIND_LABELS[from.kind]} "${from.name}" needs ${article(ref.packageKind)} package, but package "${ref.name}" is ${article(provides)} package`,
    hint: `name ${article(ref.packageKind)} package here, or fix "kind" in ${target.position.file}`,
  };
}

/**
 * Checks every reference reachable from `start`, visiting each entry once, so each unknown name
 * gives one diagnostic at the place it is written.
 */
export function checkReferences(start: readonly LoadedEntry[], lookup: RegistryLookup): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<Diagnostic>();
  const visited = new Set<LoadedEntry>(start);
  const queue = [...start];
  for (let from = queue.shift(); from; from = queue.shift()) {
    for (const ref of referencesOf(from.kind, from.entry as never)) {
      const target = lookup.find(ref.kind, ref.name);
      if (!target) {
        const failed = lookup.failed(ref.kind, ref.name);
        if (!failed) diagnostics.push(unknownReference(from, ref, lookup));
        // The entry exists but is broken: its own errors say what to fix.
        for (const diagnostic of failed ?? []) {
          if (!reported.has(diagnostic)) diagnostics.push(diagnostic);
          reported.add(diagnostic);
        }
        continue;
      }
      const mismatch = kindMismatch(from, ref, target);
      if (mismatch) diagnostics.push(mismatch);
      if (!visited.has(target)) {
        visited.add(target);
        queue.push(target);
      }
    }
  }
  return diagnostics;
}
