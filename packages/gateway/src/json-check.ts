import { Ajv, type ValidateFunction } from 'ajv';
import { GatewayError } from './errors.js';

/** What the check of an answer against its json_schema found. */
export interface JsonCheck {
  valid: boolean;
  errors: string[];
}

/** Compiles response_format schemas (cached by their text) and checks answers against them. */
export class JsonSchemaChecker {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly cache = new Map<string, ValidateFunction>();

  /** Compiles a schema; a schema ajv cannot compile is the client's error (400), found before any engine call. */
  compile(schema: Record<string, unknown>): ValidateFunction {
    const key = JSON.stringify(schema);
    const cached = this.cache.get(key);
    if (cached) return cached;
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(schema);
    } catch (cause) {
      throw new GatewayError(
        'VHB_E_GATEWAY_SCHEMA',
        `response_format.json_schema.schema is not a valid JSON Schema: ${(cause as Error).message}`,
        {
          hint: 'fix the schema (draft 2020-12 / draft-07 keywords)',
          cause,
        },
      );
    }
    if (this.cache.size >= 256) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, validate);
    return validate;
  }

  /** Parses an answer (a ```json fence around it is allowed) and checks it. Never throws. */
  check(validate: ValidateFunction, text: string): JsonCheck {
    let value: unknown;
    try {
      value = JSON.parse(unfence(text));
    } catch (error) {
      return { valid: false, errors: [`the answer is not JSON: ${(error as Error).message}`] };
    }
    if (validate(value)) return { valid: true, errors: [] };
    return { valid: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`) };
  }
}

function unfence(text: string): string {
  const fenced = text.trim().match(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/i);
  return fenced?.[1] ?? text;
}
