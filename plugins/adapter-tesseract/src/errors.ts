/** Error codes this adapter throws, with what each means. */
export const tesseractErrorCodes = {
  VHB_E_ADAPTER_LANGUAGE: 'A requested OCR language is malformed or its traineddata is not installed',
  VHB_E_ADAPTER_START: 'A tesseract.js worker failed to start',
  VHB_E_ADAPTER_NO_IMAGE: 'A request carries no image to read',
  VHB_E_ADAPTER_IMAGE: "A request's image cannot be read",
  VHB_E_ADAPTER_OCR: 'tesseract failed to recognise an image',
} as const;
