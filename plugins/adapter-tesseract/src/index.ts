export type { DataFolder } from './data-folder.js';
export { dataFolder } from './data-folder.js';
export { tesseractErrorCodes } from './errors.js';
export type { LanguageData } from './languages.js';
export { locateLanguage, lookupLanguages } from './languages.js';
export type { TesseractOptions } from './options.js';
export { tesseractOptions } from './options.js';
export { default } from './plugin.js';
export { cleanText } from './session.js';
