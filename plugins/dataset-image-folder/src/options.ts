import { z } from '@vhb/sdk';

/** Extensions read as images unless `extensions` says otherwise. */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.tif', '.tiff'];

export const datasetImageFolderOptions = z.strictObject({
  /** Labels file (`.csv` with a header, or `.jsonl`), relative to the root. Without it: one subfolder per class. */
  labels: z.string().min(1).optional(),
  /** The folder the images (or the class subfolders) are in, relative to the root; labels name files relative to it. */
  images: z.string().min(1).default('.'),
  /** Labels columns (CSV) or fields (JSONL) naming the image and its label. */
  fileColumn: z.string().min(1).default('file'),
  labelColumn: z.string().min(1).default('label'),
  /** Which files are images in the class-per-subfolder layout (case-insensitive). */
  extensions: z
    .array(z.string().regex(/^\.[A-Za-z0-9]+$/))
    .min(1)
    .default(IMAGE_EXTENSIONS),
});
export type DatasetImageFolderOptions = z.output<typeof datasetImageFolderOptions>;
