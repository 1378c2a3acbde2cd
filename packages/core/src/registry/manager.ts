import { existsSync, readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { VhbError } from '@vhb/sdk';
import type { RunMode } from '../config/schema.js';
import { checkReferences, type RegistryLookup } from './check-references.js';
import type { Diagnostic, SourcePosition } from './diagnostics.js';
import { buildEntry, type LoadedEntry, loadKind } from './load-kind.js';
import { locateField, toFieldPath } from './locate.js';
import { KIND_LABELS, REGISTRY_KINDS, type RegistryEntries, type RegistryKind } from './schemas.js';
import { closestWithin } from './suggest.js';
import { displayPath, type FieldPath, parseYamlText } from './yaml-file.js';

export interface RegistryLoadOptions {
  /** Folder holding one sub-folder per kind (`packages/`, `runs/`, ...). */
  registriesDir: string;
  /** `dev` also applies `*.dev.yaml` overlays. Default `prod`. */
  runMode?: RunMode;
  /** Project root: diagnostics show files relative to it, and relative plan paths resolve against it. Default: the parent of registriesDir. */
  root?: string;
}

/** An entry with the place it is defined. */
export interface Located<T> extends SourcePosition {
  entry: T;
}

const located = <K extends RegistryKind>(loaded: LoadedEntry<K>): Located<RegistryEntries[K]> => ({
  entry: loaded.entry,
  ...loaded.position,
});

// Names never contain a slash and stems drop ".yaml", so either one marks a file path.
const looksLikePath = (value: string) => /[\\/]/.test(value) || /\.ya?ml$/.test(value);

/**
 * The loaded registries of a project: every entry validated, every problem a diagnostic with file,
 * line and column, cross-references checked on demand per experiment plan.
 */
export class RegistryManager {
  readonly registriesDir: string;
  readonly root: string;
  readonly runMode: RunMode;
  /** Problems found while loading: invalid files (errors) and shadowed entries (warnings). */
  readonly diagnostics: Diagnostic[] = [];
  readonly #entries = new Map<RegistryKind, Map<string, LoadedEntry>>();
  readonly #failed = new Map<RegistryKind, Map<string, Diagnostic[]>>();
  readonly #planFiles = new Map<string, { entry?: LoadedEntry; diagnostics: Diagnostic[] }>();

  private constructor(options: Required<RegistryLoadOptions>) {
    this.registriesDir = options.registriesDir;
    this.root = options.root;
    this.runMode = options.runMode;
    for (const kind of REGISTRY_KINDS) {
      this.#entries.set(kind, new Map());
      this.#failed.set(kind, new Map());
    }
  }

  /** Reads every kind folder under `registriesDir`; invalid files become diagnostics, the rest load. */
  static async load(options: RegistryLoadOptions): Promise<RegistryManager> {
    const registriesDir = resolve(options.registriesDir);
    const manager = new RegistryManager({
      registriesDir,
      runMode: options.runMode ?? 'prod',
      root: resolve(options.root ?? dirname(registriesDir)),
    });
    if (!existsSync(registriesDir) || !statSync(registriesDir).isDirectory()) {
      throw new VhbError('VHB_E_REGISTRY_DIR', `registries folder ${registriesDir} does not exist or is not a folder`, {
        hint: 'create it with one sub-folder per kind (packages/, runs/, ...), or set registriesDir in the project config',
      });
    }
    await manager.#warnUnknownFolders();
    const loads = await Promise.all(REGISTRY_KINDS.map((kind) => loadKind(kind, join(registriesDir, kind), manager.root, manager.runMode)));
    for (const load of loads) {
      manager.diagnostics.push(...load.diagnostics);
      for (const failed of load.failed) manager.#failed.get(failed.kind)?.set(failed.name, failed.diagnostics);
      for (const entry of load.entries) manager.#add(entry);
    }
    return manager;
  }

  async #warnUnknownFolders(): Promise<void> {
    const dirents = await readdir(this.registriesDir, { withFileTypes: true });
    for (const dirent of dirents) {
      if (!dirent.isDirectory() || dirent.name.startsWith('.') || (REGISTRY_KINDS as readonly string[]).includes(dirent.name)) continue;
      const near = closestWithin(dirent.name, REGISTRY_KINDS);
      this.diagnostics.push({
        severity: 'warning',
        code: 'VHB_E_REGISTRY_IGNORED_FILE',
        file: displayPath(this.root, join(this.registriesDir, dirent.name)),
        line: 0,
        column: 0,
        field: '',
        message: `folder ${dirent.name}/ is not a registry kind and is not read`,
        hint: near ? `did you mean "${near}/"?` : `registry kinds: ${REGISTRY_KINDS.join(', ')}`,
      });
    }
  }

  #add(loaded: LoadedEntry): void {
    const entries = this.#entries.get(loaded.kind) as Map<string, LoadedEntry>;
    const earlier = entries.get(loaded.name);
    if (earlier) {
      this.diagnostics.push({
        severity: 'warning',
        code: 'VHB_E_REGISTRY_DUPLICATE',
        ...loaded.position,
        field: 'name',
        message: `${KIND_LABELS[loaded.kind]} "${loaded.name}" is defined in both ${earlier.position.file} and ${loaded.position.file}; ${loaded.position.file} wins`,
        hint: 'rename one of the entries, or delete the file you do not want',
      });
    }
    entries.set(loaded.name, loaded);
  }

  #find(kind: RegistryKind, name: string): LoadedEntry | undefined {
    const entry = this.#entries.get(kind)?.get(name);
    if (entry || kind !== 'experiments' || !looksLikePath(name)) return entry;
    return this.#loadPlanFile(name).entry;
  }

  /** The entry of a kind by name, with where it is defined; undefined when not defined (or invalid). */
  get<K extends RegistryKind>(kind: K, name: string): Located<RegistryEntries[K]> | undefined {
    const entry = this.#entries.get(kind)?.get(name) as LoadedEntry<K> | undefined;
    return entry && located(entry);
  }

  /** Every valid entry of a kind, by name. */
  list<K extends RegistryKind>(kind: K): Located<RegistryEntries[K]>[] {
    const entries = [...(this.#entries.get(kind)?.values() ?? [])] as LoadedEntry<K>[];
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(located);
  }

  /**
   * Where a field of an entry is written (`locate('models', 'qwen', 'options.max_pixels')`), for errors
   * that point at YAML. A field that is not written gives the nearest enclosing one.
   */
  locate(kind: RegistryKind, name: string, field: string | FieldPath): SourcePosition | undefined {
    const entry = this.#find(kind, name);
    return entry && locateField(entry.files, toFieldPath(field)).position;
  }

  /** An experiment plan by name, or by path to a YAML file (relative to the project root) anywhere. */
  plan(nameOrPath: string): Located<RegistryEntries['experiments']> | undefined {
    const entry = this.#find('experiments', nameOrPath) as LoadedEntry<'experiments'> | undefined;
    return entry && located(entry);
  }

  #loadPlanFile(path: string): { entry?: LoadedEntry; diagnostics: Diagnostic[] } {
    const absolute = resolve(this.root, path);
    const cached = this.#planFiles.get(absolute);
    if (cached) return cached;
    const read = (file: string) => parseYamlText(readFileSync(file, 'utf8'), file, this.root);
    let result: { entry?: LoadedEntry; diagnostics: Diagnostic[] };
    if (!existsSync(absolute)) {
      result = { diagnostics: [this.#unknownPlan(path, `plan file ${displayPath(this.root, absolute)} does not exist`)] };
    } else {
      const stem = basename(absolute).replace(/(\.dev)?\.ya?ml$/, '');
      const overlayPath = join(dirname(absolute), `${stem}.dev.yaml`);
      const base = read(absolute);
      const overlay = this.runMode === 'dev' && overlayPath !== absolute && existsSync(overlayPath) ? read(overlayPath) : undefined;
      const diagnostics = [...base.diagnostics, ...(overlay?.diagnostics ?? [])];
      if (diagnostics.some((d) => d.severity === 'error')) result = { diagnostics };
      else {
        const built = buildEntry('experiments', stem, base.file, overlay?.file);
        result = { entry: built.entry, diagnostics: [...diagnostics, ...(built.failed?.diagnostics ?? [])] };
      }
    }
    this.#planFiles.set(absolute, result);
    return result;
  }

  #unknownPlan(plan: string, message: string): Diagnostic {
    const near = closestWithin(plan, this.#names('experiments'));
    return {
      severity: 'error',
      code: 'VHB_E_REGISTRY_UNKNOWN_PLAN',
      file: displayPath(this.root, join(this.registriesDir, 'experiments')),
      line: 0,
      column: 0,
      field: '',
      message,
      hint: near
        ? `did you mean "${near}"?`
        : `name an experiment in ${displayPath(this.root, join(this.registriesDir, 'experiments'))}/ or give the path of a plan file`,
    };
  }

  #names(kind: RegistryKind): string[] {
    return [...(this.#entries.get(kind)?.keys() ?? [])].sort();
  }

  #lookup(): RegistryLookup {
    return {
      find: (kind, name) => this.#entries.get(kind)?.get(name),
      failed: (kind, name) => this.#failed.get(kind)?.get(name),
      names: (kind) => this.#names(kind),
      kindDir: (kind) => displayPath(this.root, join(this.registriesDir, kind)),
    };
  }

  /**
   * Checks everything an experiment plan (a name, or the path of a plan file) reaches: runs, their
   * task, model, dataset, prompt, metrics and reports, and the packages behind those.
   */
  validatePlan(planOrPath: string): Diagnostic[] {
    if (!this.#entries.get('experiments')?.has(planOrPath)) {
      const failed = this.#failed.get('experiments')?.get(planOrPath);
      if (failed) return [...failed];
      if (!looksLikePath(planOrPath)) return [this.#unknownPlan(planOrPath, `experiment "${planOrPath}" is not defined`)];
      const file = this.#loadPlanFile(planOrPath);
      if (!file.entry) return [...file.diagnostics];
      return [...file.diagnostics, ...checkReferences([file.entry], this.#lookup())];
    }
    return checkReferences([this.#entries.get('experiments')?.get(planOrPath) as LoadedEntry], this.#lookup());
  }

  /** Load diagnostics plus the references of every entry of every kind. */
  validateAll(): Diagnostic[] {
    const all = REGISTRY_KINDS.flatMap((kind) => [...(this.#entries.get(kind)?.values() ?? [])]);
    const loadDiagnostics = new Set(this.diagnostics);
    return [...this.diagnostics, ...checkReferences(all, this.#lookup()).filter((d) => !loadDiagnostics.has(d))];
  }
}
