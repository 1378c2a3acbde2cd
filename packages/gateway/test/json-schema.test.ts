import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, readSse, type Setup, setup, userMessage } from './helpers.js';

const schema = {
  type: 'object',
  properties: { total: { type: 'number' }, currency: { type: 'string' } },
  required: ['total', 'currency'],
  additionalProperties: false,
};
const response_format = { type: 'json_schema', json_schema: { name: 'receipt', schema } };

describe('response_format json_schema', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.close());

  it('passes the schema to the engine and marks a matching answer valid', async () => {
    s.engine.behaviour.answer = () => '{"total": 999.35, "currency": "RUB"}';
    const response = await chat(s.gateway, { model: 'm', messages: userMessage('total?'), response_format });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.vhb.json_valid).toBe(true);
    expect(body.vhb.json_errors).toBeUndefined();
    expect(s.engine.requests.at(-1)?.body).toMatchObject({ response_format });
  });

  it('returns an answer that fails the schema with 200, flagged invalid with the errors', async () => {
    s.engine.behaviour.answer = () => '{"total": "a lot"}';
    const response = await chat(s.gateway, { model: 'm', messages: userMessage('total?'), response_format });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.choices[0].message.content).toBe('{"total": "a lot"}');
    expect(body.vhb.json_valid).toBe(false);
    expect(body.vhb.json_errors).toEqual(expect.arrayContaining(['/total must be number', "/ must have required property 'currency'"]));
  });

  it('flags an answer that is not JSON at all, streamed, in the last chunk', async () => {
    s.engine.behaviour.answer = () => 'I think it is 999';
    const response = await chat(s.gateway, { model: 'm', stream: true, messages: userMessage('total?'), response_format });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const vhb = JSON.parse(events.at(-2)!.data).vhb;
    expect(vhb.json_valid).toBe(false);
    expect(vhb.json_errors[0]).toMatch(/^the answer is not JSON/);
  });

  it('accepts a fenced JSON answer, streamed over several chunks', async () => {
    s.engine.behaviour.answer = () => '```json\n{"total": 1, "currency": "EUR"}\n```';
    const response = await chat(s.gateway, { model: 'm', stream: true, messages: userMessage('total?'), response_format });
    const events = await readSse(response);
    expect(JSON.parse(events.at(-2)!.data).vhb.json_valid).toBe(true);
  });

  it('refuses a schema that is not a JSON Schema (400) before calling the engine', async () => {
    const before = s.engine.counts.total;
    const response = await chat(s.gateway, {
      model: 'm',
      messages: userMessage('x'),
      response_format: { type: 'json_schema', json_schema: { schema: { type: 'not-a-type' } } },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('VHB_E_GATEWAY_SCHEMA');
    expect(s.engine.counts.total).toBe(before);
  });
});
