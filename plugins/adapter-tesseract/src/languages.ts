import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where a language's traineddata lives. */
export interface LanguageData {
  code: string;
  /** Absolute path of `<code>.traineddata` or `<code>.traineddata.gz`. */
  file: string;
  gzip: boolean;
}

/** Tesseract language codes: `eng`, `chi_sim`, `deu_latf`; several joined by `+`. */
const CODE = /^[a-z]{3}(?:_[a-z]+)*$/;

/** Folders where Debian/Ubuntu, Fedora, Homebrew and source builds put traineddata. */
export const SYSTEM_TESSDATA = [
  '/usr/share/tesseract-ocr/5/tessdata',
  '/usr/share/tesseract-ocr/4.00/tessdata',
  '/usr/share/tessdata',
  '/usr/local/share/tessdata',
  '/opt/homebrew/share/tessdata',
];

const NAMES: Record<string, string> = {
  eng: 'English',
  rus: 'Russian',
  ukr: 'Ukrainian',
  deu: 'German',
  fra: 'French',
  spa: 'Spanish',
  ita: 'Italian',
  por: 'Portuguese',
  pol: 'Polish',
  chi_sim: 'Chinese (simplified)',
  jpn: 'Japanese',
  ara: 'Arabic',
};

/** Splits `rus+eng` into codes; undefined when any part is not a language code. */
export function parseLanguages(spec: string): string[] | undefined {
  const codes = spec.split('+');
  return codes.every((code) => CODE.test(code)) ? codes : undefined;
}

/**
 * Finds a language's traineddata: first an npm package `@tesseract.js-data/<code>` (how English
 * ships, as a dependency of this adapter), then `TESSDATA_PREFIX`, then the system folders
 * (Russian comes from Debian's `tesseract-ocr-rus`, not from npm).
 */
export function locateLanguage(code: string, env: Record<string, string | undefined>): LanguageData | undefined {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve(`@tesseract.js-data/${code}/package.json`)), '4.0.0_best_int', `${code}.traineddata.gz`);
    if (existsSync(file)) return { code, file, gzip: true };
  } catch {
    // Not installed from npm: look on the system.
  }
  const folders = env.TESSDATA_PREFIX ? [env.TESSDATA_PREFIX, join(env.TESSDATA_PREFIX, 'tessdata'), ...SYSTEM_TESSDATA] : SYSTEM_TESSDATA;
  for (const folder of folders) {
    const file = join(folder, `${code}.traineddata`);
    if (existsSync(file)) return { code, file, gzip: false };
  }
  return undefined;
}

/** What to tell a user whose language data is missing. */
export function missingMessage(code: string): string {
  const name = NAMES[code] ?? `"${code}"`;
  if (code === 'eng') {
    return `${name} OCR data is not installed: run \`pnpm add @tesseract.js-data/eng\` in the project that uses @vhb/adapter-tesseract`;
  }
  return `${name} OCR data is not installed: run \`apt-get install tesseract-ocr-${code.replace(/_/g, '-')}\` (Debian/Ubuntu), or set TESSDATA_PREFIX to a folder holding ${code}.traineddata`;
}

/** Either every language's data, or why some cannot be used. */
export type LanguageLookup = { ok: true; data: LanguageData[] } | { ok: false; message: string };

export function lookupLanguages(spec: string, env: Record<string, string | undefined>): LanguageLookup {
  const codes = parseLanguages(spec);
  if (!codes) {
    return {
      ok: false,
      message: `"${spec}" is not a tesseract language list: use codes like "eng", "rus" or "rus+eng" (the model's modelId, or options.languages)`,
    };
  }
  const data: LanguageData[] = [];
  const missing: string[] = [];
  for (const code of codes) {
    const found = locateLanguage(code, env);
    if (found) data.push(found);
    else missing.push(missingMessage(code));
  }
  return missing.length ? { ok: false, message: missing.join('; ') } : { ok: true, data };
}
