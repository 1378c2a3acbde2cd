export { default } from './markdown.js';
export { renderMarkdown } from './render.js';
