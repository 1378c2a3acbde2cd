export { default } from './html.js';
export type { EmbeddedImage } from './image.js';
export { embedImage, embedImages } from './image.js';
export { renderHtml } from './render.js';
