import { z } from '@vhb/sdk';

/** A text part of a message. */
const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
/** An image part: a data URL, an http(s) URL (HTTP engines fetch it), or a path under the dataset root. */
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string().min(1), detail: z.string().optional() })]),
});
const otherPart = z.looseObject({ type: z.string() });

export const contentSchema = z.union([z.string(), z.array(z.union([textPart, imagePart, otherPart]))]).nullable();

export const messageSchema = z.looseObject({
  role: z.string().min(1),
  content: contentSchema.optional(),
});

export const jsonSchemaFormat = z.looseObject({
  type: z.literal('json_schema'),
  json_schema: z.looseObject({
    name: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().optional(),
  }),
});

/** `POST /v1/chat/completions`: OpenAI's body; fields the gateway does not know are passed to the engine as they are. */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1).describe('A model name from GET /v1/models'),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  response_format: z.union([jsonSchemaFormat, z.looseObject({ type: z.string() })]).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = z.infer<typeof messageSchema>;

/** The json_schema of a request's response_format, when it has one. */
export function requestedSchema(body: ChatRequest): Record<string, unknown> | undefined {
  const format = body.response_format as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
  return format?.type === 'json_schema' ? format.json_schema?.schema : undefined;
}

/** The text of a message's content (text parts joined by newlines). */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text' && typeof (part as { text?: unknown }).text === 'string')
    .map((part) => part.text)
    .join('\n');
}
