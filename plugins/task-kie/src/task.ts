import { datasetItemSchema, defineTask, renderPrompt, z } from '@vhb/sdk';
import { noImage } from './errors.js';
import { parseKieAnswer } from './parse.js';

export default defineTask({
  name: 'kie',
  version: '0.1.0',
  description: 'Key information extraction: read named fields off a document image as a JSON object',
  defaultPrompt: {
    id: 'kie-default',
    user:
      'Extract these fields from the document: {{metadata.fields}}.\n' +
      'Answer with a JSON object that has exactly these keys, each value copied as it is written on the document. Output only the JSON.',
  },
  defaultMetrics: ['json'],
  input: datasetItemSchema.extend({ image: z.string() }),
  output: z.string(),
  buildRequest(item, prompt) {
    if (!item.image) throw noImage(item.id);
    return { id: item.id, image: item.image, ...renderPrompt(prompt, item) };
  },
  parseAnswer: (raw, item) => parseKieAnswer(raw, item.metadata.fields),
});
