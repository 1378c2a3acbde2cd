import { readFile } from 'node:fs/promises';
import type { AdapterContext, AdapterSession, GenerationRequest, GenerationResult } from '@vhb/sdk';
import { VhbError } from '@vhb/sdk';
import Tesseract from 'tesseract.js';
import { dataFolder } from './data-folder.js';
import { lookupLanguages } from './languages.js';
import type { TesseractOptions } from './options.js';

/** The language list a run asks for: options win over the model's id; English when neither says. */
export function requestedLanguages(options: TesseractOptions, ctx: AdapterContext): string {
  return options.languages ?? ctx.model.modelId ?? 'eng';
}

/**
 * Starts one worker. tesseract.js reports a failed language load only to `errorHandler` (and
 * throws from a message handler when there is none, which would crash the run), so the handler
 * turns a failure during start into a rejection, and later ones into nothing: each job still
 * rejects its own promise.
 */
async function startWorker(languages: string, langPath: string, gzip: boolean, psm: number | undefined): Promise<Tesseract.Worker> {
  let starting = true;
  let fail: (reason: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const worker = await Promise.race([
    Tesseract.createWorker(languages, Tesseract.OEM.LSTM_ONLY, {
      langPath,
      gzip,
      cacheMethod: 'none',
      errorHandler: (error: unknown) => {
        if (starting) fail(error);
      },
    }),
    failed,
  ]);
  starting = false;
  if (psm !== undefined) await worker.setParameters({ tessedit_pageseg_mode: String(psm) as Tesseract.PSM });
  return worker;
}

/** Tesseract separates blocks with empty lines; they are layout, not text, so they are dropped. */
export function cleanText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/** tesseract.js rejects with strings like "Error: ..."; the prefix adds nothing to our message. */
function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^Error: /, '');
}

async function readImage(request: GenerationRequest): Promise<Buffer> {
  if (!request.image) {
    throw new VhbError('VHB_E_ADAPTER_NO_IMAGE', `item ${request.id} has no image: tesseract reads text from images only`, {
      hint: 'use a dataset whose rows have an "image" field',
    });
  }
  try {
    return await readFile(request.image);
  } catch (cause) {
    throw new VhbError('VHB_E_ADAPTER_IMAGE', `item ${request.id}: cannot read image ${request.image} (${message(cause)})`, {
      hint: 'check that the file exists and is readable',
      cause,
    });
  }
}

/** Opens `options.workers` tesseract.js workers behind one scheduler: one request per worker at a time. */
export async function openSession(options: TesseractOptions, ctx: AdapterContext): Promise<AdapterSession> {
  const spec = requestedLanguages(options, ctx);
  const lookup = lookupLanguages(spec, ctx.env);
  if (!lookup.ok) {
    throw new VhbError('VHB_E_ADAPTER_LANGUAGE', lookup.message, { hint: 'install the language data, or pick another language' });
  }
  const { langPath, gzip } = await dataFolder(lookup.data);
  const languages = lookup.data.map((entry) => entry.code).join('+');
  const started = await Promise.allSettled(
    Array.from({ length: options.workers }, () => startWorker(languages, langPath, gzip, options.psm)),
  );
  const workers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw new VhbError(
      'VHB_E_ADAPTER_START',
      `tesseract.js could not start for "${languages}" (data in ${langPath}): ${message(failure.reason)}`,
      {
        hint: 'the traineddata may be corrupt: reinstall the language package',
        cause: failure.reason,
      },
    );
  }
  ctx.logger.debug(`tesseract: ${workers.length} worker(s) for "${languages}", data from ${langPath}`);
  const scheduler = Tesseract.createScheduler();
  for (const worker of workers) scheduler.addWorker(worker);

  return {
    concurrency: workers.length,
    async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GenerationResult> {
      const started = performance.now();
      const image = await readImage(request);
      signal?.throwIfAborted();
      let text: string;
      try {
        text = (await scheduler.addJob('recognize', image)).data.text;
      } catch (cause) {
        throw new VhbError('VHB_E_ADAPTER_OCR', `item ${request.id}: tesseract could not read ${request.image}: ${message(cause)}`, {
          hint: 'check that the file is an image tesseract reads (PNG, JPEG, BMP, TIFF, WebP)',
          cause,
        });
      }
      const latencyMs = performance.now() - started;
      return {
        text: cleanText(text),
        timing: {
          latencyMs,
          ttftMs: null,
          tpotMs: null,
          promptTokens: null,
          completionTokens: null,
          // Workers are threads of this process, so its RSS covers them.
          peakMemoryMb: Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10,
        },
      };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
