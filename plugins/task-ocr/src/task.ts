import { datasetItemSchema, defineTask, renderPrompt, z } from '@vhb/sdk';
import { noImage } from './errors.js';
import { parseOcrAnswer } from './parse.js';

export default defineTask({
  name: 'ocr',
  version: '0.1.0',
  description: 'Optical character recognition: transcribe the text of a document image',
  defaultPrompt: {
    id: 'ocr-default',
    user: 'Transcribe all the text in this image, line by line. Output only the text.',
  },
  defaultMetrics: ['cer', 'wer', 'anls'],
  input: datasetItemSchema.extend({ image: z.string() }),
  output: z.string(),
  buildRequest(item, prompt) {
    if (!item.image) throw noImage(item.id);
    return { id: item.id, image: item.image, ...renderPrompt(prompt, item) };
  },
  parseAnswer: (raw) => parseOcrAnswer(raw),
});
