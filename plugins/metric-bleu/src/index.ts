export { default, default as bleu } from './bleu.js';
export { computeBleu } from './compute.js';
export { tokenize13a } from './tokenizer.js';
