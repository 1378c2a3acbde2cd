import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { maskSecrets } from './mask.js';
import type { DependencySource, NpmSource } from './types.js';

/** The registry an npm source installs from, without trailing slashes; undefined means npm's own configuration. */
export function npmRegistryOf(source: NpmSource, hostRegistry: string | undefined): string | undefined {
  const registry = source.registry ?? hostRegistry;
  return registry ? registry.trim().replace(/\/+$/, '') : undefined;
}

/** A git URL as git should see it: relative folder paths are taken from the project root. */
export function gitUrlOf(url: string, root: string): string {
  return url.startsWith('./') || url.startsWith('../') ? resolve(root, url) : url;
}

/** A local path made absolute against the project root. */
export function localPathOf(path: string, root: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

/** One line naming a source for messages, e.g. `npm @vhb/metric-cer@^0.1.0 from http://127.0.0.1:4873`. */
export function describeSource(source: DependencySource, hostRegistry?: string): string {
  switch (source.type) {
    case 'local':
      return `local ${source.path}`;
    case 'git': {
      const sub = source.subdirectory ? ` (subdirectory ${source.subdirectory})` : '';
      return maskSecrets(`git ${source.url}#${source.ref}${sub}`);
    }
    case 'npm':
      return maskSecrets(
        `npm ${source.package}@${source.version} from ${npmRegistryOf(source, hostRegistry) ?? "npm's configured registry"}`,
      );
  }
}

/** Names a cache folder by content: the same normalised source always lands in the same folder. */
export function cacheKey(parts: Record<string, string | undefined>): string {
  const normalised = Object.fromEntries(Object.entries(parts).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}
