import { defineReporter, z } from '@vhb/sdk';
import { embedImages } from './image.js';
import { renderHtml } from './render.js';

/** A self-contained HTML report of a run: report.html in the run's results folder. */
export default defineReporter({
  name: 'html',
  version: '0.1.0',
  description: 'Writes report.html: one self-contained file with the metrics, charts of the grouped scores with CIs, and the worst items',
  resources: { type: 'cpu', cpus: 1 },
  options: z
    .object({
      /** Largest image file embedded, in bytes; larger ones are named, not embedded. 0 embeds none. */
      maxImageBytes: z
        .number()
        .int()
        .min(0)
        .default(1024 * 1024),
    })
    .strict(),
  async render(summary, options, ctx) {
    const images = await embedImages(summary, options.maxImageBytes);
    for (const [id, image] of images) if ('missing' in image) ctx.logger.warn(`report.html: item ${id}: ${image.missing}`);
    return [{ path: 'report.html', content: renderHtml(summary, images) }];
  },
});
