import { defineConfig } from 'vitest/config';

// Engines start as child processes and tesseract reads real images: allow for a loaded machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 120_000 } });
