import { datasetItemSchema, defineTask, renderPrompt, z } from '@vhb/sdk';
import { noQuestion } from './errors.js';
import { parseVqaAnswer } from './parse.js';

export default defineTask({
  name: 'vqa',
  version: '0.1.0',
  description: 'Visual question answering over document images',
  defaultPrompt: {
    id: 'vqa-default',
    user: '{{question}}\nAnswer the question using a single word or phrase.',
  },
  defaultMetrics: ['anls', 'exact-match'],
  input: datasetItemSchema.extend({ question: z.string().min(1) }),
  output: z.string(),
  buildRequest(item, prompt) {
    if (!item.question?.trim()) throw noQuestion(item.id);
    const rendered = renderPrompt(prompt, item);
    return item.image === undefined ? { id: item.id, ...rendered } : { id: item.id, image: item.image, ...rendered };
  },
  parseAnswer: (raw) => parseVqaAnswer(raw),
});
