import { createRequire } from 'node:module';

/**
 * Bumped whenever the generator could produce other content or other pixels for the same seed and
 * index (new wording, new fields, a layout change). It is part of every cached image's address, so
 * a bump never serves a stale image.
 */
export const SYNTHDOC_GENERATOR_VERSION = 1;

let cached: string | undefined;

/**
 * The generator version together with the versions of the packages that draw the pixels: a new
 * `@napi-rs/canvas` or DejaVu release may change the bytes of a PNG, so it gets fresh cache entries.
 */
export function rendererIdentity(): string {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    cached = `synthdoc@${SYNTHDOC_GENERATOR_VERSION} canvas@${version('@napi-rs/canvas')} dejavu@${version('dejavu-fonts-ttf')}`;
  }
  return cached;
}
