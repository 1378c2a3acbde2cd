import { defineAdapter, type GenerationResult } from '@vhb/sdk';
import { endpointProblem, openChatSession, requireEndpoint } from '@vhb/sdk/openai';
import { type GroundedOutput, type OcrBox, parseGrounded } from './grounding.js';
import { imageSizeOf } from './image-size.js';
import { deepseekOcrOptions } from './options.js';
import { promptFor, REF_IS_TEXT } from './prompts.js';

/** Where the endpoint comes from when the model entry names none. */
export const ENDPOINT_ENV = 'VHB_DEEPSEEK_OCR_BASE_URL';

/** What the adapter attaches to each result beyond `text` and `timing`. */
export interface DeepSeekOcrDetails {
  /** The model's answer exactly as it came, grounding tags and all. */
  raw: string;
  /** The boxes of the grounded modes (empty for the others). */
  boxes: OcrBox[];
}

/**
 * A result of this adapter: `text` is the plain text; `output.deepseekOcr` holds the raw answer and
 * the boxes (the host stores `output` on the prediction in predictions.jsonl).
 */
export interface DeepSeekOcrResult extends GenerationResult {
  output: { deepseekOcr: DeepSeekOcrDetails };
}

/** The boxes and raw answer of a result of this adapter (or of its prediction record), or undefined for any other. */
export function deepseekOcrDetails(result: Pick<GenerationResult, 'output'>): DeepSeekOcrDetails | undefined {
  return (result.output as Partial<DeepSeekOcrResult['output']> | undefined)?.deepseekOcr;
}

export default defineAdapter({
  name: 'deepseek-ocr',
  version: '0.1.0',
  description:
    'DeepSeek-OCR served by vLLM: free OCR, markdown conversion, grounding OCR, figures, description, locate; grounded output parsed into text and boxes',
  options: deepseekOcrOptions,
  resources: { type: 'io' },
  async unavailable(_options, ctx) {
    return endpointProblem(ctx, ENDPOINT_ENV);
  },
  async open(options, ctx) {
    const endpoint = requireEndpoint(ctx, ENDPOINT_ENV);
    const session = openChatSession({
      endpoint,
      model: ctx.model.modelId ?? ctx.model.name,
      apiKey: ctx.env[options.api_key_env] || undefined,
      timeoutMs: options.timeout_ms,
      stream: options.stream,
      concurrency: options.concurrency,
      extraBody: {
        // vLLM's recipe: greedy decoding, keep the grounding tags, and the n-gram repetition guard.
        temperature: 0,
        skip_special_tokens: false,
        ...(options.ngram_guard ? { vllm_xargs: { ...options.ngram_guard } } : {}),
        ...options.extra_body,
      },
    });
    return {
      concurrency: session.concurrency,
      close: () => session.close(),
      async generate(request, signal): Promise<DeepSeekOcrResult> {
        const target = options.locate_text ?? request.prompt;
        // The model is single-turn and trained on its own prompts: the task's prompt and system prompt are replaced.
        const { system: _system, ...rest } = request;
        const result = await session.generate({ ...rest, prompt: promptFor(options.mode, target) }, signal);
        const parseOptions = { stripMarkdown: options.markdown === 'strip', refIsText: REF_IS_TEXT.has(options.mode) };
        let parsed: GroundedOutput = parseGrounded(result.text, undefined, parseOptions);
        // Only read the image's size when there are boxes to scale.
        if (parsed.boxes.length > 0 && request.image !== undefined) {
          parsed = parseGrounded(result.text, await imageSizeOf(request.image), parseOptions);
        }
        const details: DeepSeekOcrDetails = { raw: result.text, boxes: parsed.boxes };
        return { text: parsed.text, timing: result.timing, output: { deepseekOcr: details } };
      },
    };
  },
});
