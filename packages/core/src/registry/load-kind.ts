import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunMode } from '../config/schema.js';
import type { Diagnostic, SourcePosition } from './diagnostics.js';
import { issuesToDiagnostics } from './issues.js';
import { locateField } from './locate.js';
import { applyOverlay } from './merge.js';
import { checkEntry } from './prompt-checks.js';
import { type RegistryEntries, type RegistryKind, registryEntrySchemas } from './schemas.js';
import { displayPath, readYamlFile, type YamlFile } from './yaml-file.js';

/** An entry that loaded: the validated data and the files it came from. */
export interface LoadedEntry<K extends RegistryKind = RegistryKind> {
  kind: K;
  name: string;
  entry: RegistryEntries[K];
  /** Files merged into the entry, overlay first; at least one. */
  files: YamlFile[];
  /** Where the entry starts: its `name` key, or the top of the file. */
  position: SourcePosition;
}

/** A file that failed to load, kept so references to it point at its errors instead of "not defined". */
export interface FailedEntry {
  kind: RegistryKind;
  name: string;
  diagnostics: Diagnostic[];
}

export interface KindLoad {
  entries: LoadedEntry[];
  failed: FailedEntry[];
  diagnostics: Diagnostic[];
}

const isMapping = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

function declaredName(file: YamlFile | undefined): string | undefined {
  const value = file?.value;
  const name = isMapping(value) ? (value as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function notMapping(file: YamlFile): Diagnostic {
  const { position } = locateField([file], []);
  return {
    severity: 'error',
    code: 'VHB_E_REGISTRY_SCHEMA',
    ...position,
    field: '',
    message: `${file.file} must hold one mapping (key: value lines), found ${Array.isArray(file.value) ? 'a list' : 'a single value'}`,
    hint: 'write the entry as "key: value" lines at the top level',
  };
}

/**
 * Builds one entry from its base file and, in dev mode, its overlay: merge, default the name to the
 * file stem, validate. Pure, so plan files outside the registries go through the same steps.
 */
export function buildEntry(
  kind: RegistryKind,
  stem: string,
  base: YamlFile | undefined,
  overlay: YamlFile | undefined,
): { entry?: LoadedEntry; failed?: FailedEntry } {
  const files = [overlay, base].filter((file): file is YamlFile => file !== undefined);
  const name = declaredName(overlay) ?? declaredName(base) ?? stem;
  const shapeErrors = files.filter((file) => !isMapping(file.value)).map(notMapping);
  if (shapeErrors.length) return { failed: { kind, name, diagnostics: shapeErrors } };
  const merged = (overlay ? applyOverlay(base?.value ?? {}, overlay.value) : base?.value) as Record<string, unknown>;
  const value = merged.name === undefined ? { ...merged, name: stem } : merged;
  const schema = registryEntrySchemas[kind];
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const docsHint = `see the "${kind}" section of packages/core/docs/registries.md`;
    return { failed: { kind, name, diagnostics: issuesToDiagnostics(parsed.error.issues, { schema, value, files, docsHint }) } };
  }
  const data = parsed.data as RegistryEntries[typeof kind];
  const problems = checkEntry(kind, data, files);
  if (problems.length) return { failed: { kind, name, diagnostics: problems } };
  // The base file stands for the entry unless the overlay is what declares its name.
  const { position } = locateField([...files].reverse(), merged.name === undefined ? [] : ['name'], true);
  return { entry: { kind, name: data.name, entry: data, files, position } };
}

interface KindFiles {
  base?: string;
  overlay?: string;
}

async function listKind(dir: string, root: string): Promise<{ stems: Map<string, KindFiles>; diagnostics: Diagnostic[] }> {
  const stems = new Map<string, KindFiles>();
  const diagnostics: Diagnostic[] = [];
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { stems, diagnostics };
    const message = `cannot read ${displayPath(root, dir)}: ${(error as Error).message}`;
    diagnostics.push({
      severity: 'error',
      code: 'VHB_E_REGISTRY_READ',
      file: displayPath(root, dir),
      line: 0,
      column: 0,
      field: '',
      message,
    });
    return { stems, diagnostics };
  }
  for (const name of names) {
    const overlay = name.endsWith('.dev.yaml');
    if (overlay || name.endsWith('.yaml')) {
      const stem = name.slice(0, -(overlay ? '.dev.yaml' : '.yaml').length);
      const files = stems.get(stem) ?? {};
      files[overlay ? 'overlay' : 'base'] = join(dir, name);
      stems.set(stem, files);
    } else if (name.endsWith('.yml')) {
      diagnostics.push({
        severity: 'warning',
        code: 'VHB_E_REGISTRY_IGNORED_FILE',
        file: displayPath(root, join(dir, name)),
        line: 0,
        column: 0,
        field: '',
        message: `${name} is not read: registry files end in .yaml`,
        hint: `rename it to ${name.slice(0, -'.yml'.length)}.yaml`,
      });
    }
  }
  return { stems, diagnostics };
}

/** Loads every `<kind>/*.yaml` (and, in dev mode, `*.dev.yaml` overlays), in file-name order. */
export async function loadKind(kind: RegistryKind, dir: string, root: string, runMode: RunMode): Promise<KindLoad> {
  const { stems, diagnostics } = await listKind(dir, root);
  const result: KindLoad = { entries: [], failed: [], diagnostics };
  // Code-unit order, so "later file wins" does not depend on the machine's locale.
  for (const stem of [...stems.keys()].sort()) {
    const paths = stems.get(stem) as KindFiles;
    const overlayPath = runMode === 'dev' ? paths.overlay : undefined;
    if (!paths.base && !overlayPath) continue;
    const [base, overlay] = await Promise.all([
      paths.base ? readYamlFile(paths.base, root) : undefined,
      overlayPath ? readYamlFile(overlayPath, root) : undefined,
    ]);
    const fileDiagnostics = [...(base?.diagnostics ?? []), ...(overlay?.diagnostics ?? [])];
    result.diagnostics.push(...fileDiagnostics);
    if (fileDiagnostics.some((d) => d.severity === 'error')) {
      const name = declaredName(overlay?.file) ?? declaredName(base?.file) ?? stem;
      result.failed.push({ kind, name, diagnostics: fileDiagnostics.filter((d) => d.severity === 'error') });
      continue;
    }
    const built = buildEntry(kind, stem, base?.file, overlay?.file);
    if (built.entry) result.entries.push(built.entry);
    if (built.failed) {
      result.failed.push(built.failed);
      result.diagnostics.push(...built.failed.diagnostics);
    }
  }
  return result;
}
