import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalRegistry, type StartVerdaccioOptions, startVerdaccio } from './verdaccio.js';
import { assertBuilt, mapLimit, packSdkDependencies, packWorkspacePackage, type WorkspacePackage, workspacePackages } from './workspace.js';

export interface PublishWorkspaceOptions extends StartVerdaccioOptions {
  /** Repository root (the folder with `packages/` and `plugins/`). */
  root: string;
  /** Package names to publish; default all publishable ones. the sdk's dependencies (zod, undici) come along whenever `@vhb/sdk` does. */
  only?: readonly string[];
  /** Called with one line per step (packed, published). */
  log?: (line: string) => void;
}

/** A running local registry holding the workspace packages. */
export interface PublishedWorkspace {
  registry: LocalRegistry;
  /** `name@version` of everything published, the sdk's dependencies included, in publish order. */
  published: string[];
}

/**
 * Starts verdaccio (offline, temp storage unless `storageDir`), packs the chosen workspace
 * packages with `pnpm pack` (plus the sdk's dependencies with `npm pack`) and publishes them all.
 * The caller stops the registry.
 */
export async function publishWorkspace(options: PublishWorkspaceOptions): Promise<PublishedWorkspace> {
  const log = options.log ?? (() => {});
  const all = await workspacePackages(options.root);
  const chosen = selectPackages(all, options.only);
  for (const pkg of chosen) await assertBuilt(pkg);

  const work = await mkdtemp(join(tmpdir(), 'vhb-publish-local-'));
  let registry: LocalRegistry | undefined;
  try {
    const tarballs = await mapLimit(chosen, 2, async (pkg) => {
      const tarball = await packWorkspacePackage(pkg, work);
      log(`packed ${pkg.name}@${pkg.version}`);
      return { id: `${pkg.name}@${pkg.version}`, tarball };
    });
    const sdk = chosen.find((pkg) => pkg.name === '@vhb/sdk');
    if (sdk) {
      const dependencies = await packSdkDependencies(sdk.dir, work);
      for (const { id } of dependencies) log(`packed ${id}`);
      tarballs.unshift(...dependencies);
    }
    registry = await startVerdaccio(options);
    const started = registry;
    await mapLimit(tarballs, 2, async ({ id, tarball }) => {
      await started.publish(tarball);
      log(`published ${id}`);
    });
    return { registry, published: tarballs.map(({ id }) => id) };
  } catch (error) {
    await registry?.stop();
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The packages named in `only` (all when absent); an unknown or private name is an error listing what exists. */
export function selectPackages(all: readonly WorkspacePackage[], only?: readonly string[]): WorkspacePackage[] {
  if (!only || only.length === 0) return [...all];
  const byName = new Map(all.map((pkg) => [pkg.name, pkg]));
  const unknown = only.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new Error(`not a publishable workspace package: ${unknown.join(', ')}\nchoose from: ${all.map((pkg) => pkg.name).join(', ')}`);
  }
  return only.map((name) => byName.get(name) as WorkspacePackage);
}
