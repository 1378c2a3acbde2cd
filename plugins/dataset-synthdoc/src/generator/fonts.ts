import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';
import { VhbError } from '@vhb/sdk';

/**
 * Own family names, so a missing DejaVu file can never fall back silently to whatever
 * sans-serif the machine has (which would change the pixels from machine to machine).
 */
export const FONT_REGULAR = 'SynthDoc DejaVu Sans';
export const FONT_BOLD = 'SynthDoc DejaVu Sans Bold';

let registered = false;

/** Folder of the DejaVu TTF files shipped by the `dejavu-fonts-ttf` package. */
export function dejavuDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

/** Registers DejaVu Sans (regular and bold) with the canvas once per process. */
export function registerFonts(): void {
  if (registered) return;
  const dir = dejavuDir();
  for (const [file, family] of [
    ['DejaVuSans.ttf', FONT_REGULAR],
    ['DejaVuSans-Bold.ttf', FONT_BOLD],
  ] as const) {
    if (!GlobalFonts.registerFromPath(join(dir, file), family)) {
      throw new VhbError('VHB_E_SYNTHDOC_FONT', `synthdoc: cannot register the font ${join(dir, file)}`, {
        hint: 'reinstall the dejavu-fonts-ttf package (a dependency of @vhb/dataset-synthdoc)',
      });
    }
  }
  registered = true;
}

/** The CSS font string for a size and weight. */
export function font(size: number, bold = false): string {
  return `${size}px "${bold ? FONT_BOLD : FONT_REGULAR}"`;
}
