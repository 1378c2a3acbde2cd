import { datasetItemSchema, defineTask, renderPrompt, z } from '@vhb/sdk';
import { noImage } from './errors.js';
import { fillLabels, matchLabel } from './labels.js';
import { classificationOptions } from './options.js';

export default defineTask({
  name: 'classification',
  version: '0.1.0',
  description: 'Document image classification: one label per image',
  options: classificationOptions,
  defaultPrompt: {
    id: 'classification-default',
    user: 'What type of document is this? Answer with one of: {{labels}}.',
  },
  defaultMetrics: ['exact-match'],
  input: datasetItemSchema.extend({ image: z.string() }),
  output: z.string(),
  buildRequest(item, prompt, options) {
    if (!item.image) throw noImage(item.id);
    return { id: item.id, image: item.image, ...renderPrompt(fillLabels(prompt, options.labels), item) };
  },
  parseAnswer: (raw, _item, options) => matchLabel(raw, options.labels),
});
