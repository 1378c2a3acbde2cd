/**
 * The `vhb` object of every answer (a field of the JSON reply; the last SSE chunk before `[DONE]`
 * when streamed). Times in milliseconds; null where not measurable.
 */
export interface RequestTiming {
  /** The gateway's model name. */
  model: string;
  /** Engine kind: openai | command | adapter. */
  engine: string;
  /** Request sent to the engine → last byte of its answer. */
  latency_ms: number;
  /** Request sent → first content delta (streamed requests only; null when not streamed). */
  ttft_ms: number | null;
  /** (latency − ttft) / (completion tokens − 1); null when not streamed or with fewer than 2 tokens. */
  tpot_ms: number | null;
  /** From the engine's usage; null when it reports none. */
  prompt_tokens: number | null;
  /** From the engine's usage, else the number of content chunks streamed. */
  completion_tokens: number | null;
  /** GPU memory in use (nvidia-smi, MiB, all GPUs) at the end of the request; null without nvidia-smi. */
  gpu_memory_mb: number | null;
  /** Present when the request had a json_schema response_format: whether the answer parses and matches it. */
  json_valid?: boolean;
  /** The schema violations (or the parse error) when json_valid is false. */
  json_errors?: string[];
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export function computeTiming(input: {
  model: string;
  engine: string;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  gpuMemoryMb: number | null;
}): RequestTiming {
  const { ttftMs, completionTokens } = input;
  const tpot =
    ttftMs !== null && completionTokens !== null && completionTokens > 1 ? (input.latencyMs - ttftMs) / (completionTokens - 1) : null;
  return {
    model: input.model,
    engine: input.engine,
    latency_ms: round(input.latencyMs),
    ttft_ms: ttftMs === null ? null : round(ttftMs),
    tpot_ms: tpot === null ? null : round(tpot),
    prompt_tokens: input.promptTokens,
    completion_tokens: completionTokens,
    gpu_memory_mb: input.gpuMemoryMb,
  };
}
