/** Versions the scaffold pins: the ones this repository builds and tests with (a test keeps them in sync). */
export const VERSIONS = {
  sdk: '^0.1.0',
  typescript: '^7.0.2',
  vitest: '^4.1.12',
  typesNode: '^20.19.0',
} as const;
