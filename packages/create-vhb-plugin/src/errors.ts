/** Every error create-vhb-plugin raises, by stable code. */
export const createErrorCodes = {
  VHB_E_CREATE_USAGE: 'The command line is incomplete or has an unknown flag',
  VHB_E_CREATE_NAME: 'The package name breaks the npm package name rules, or gives no kebab-case plugin name',
  VHB_E_CREATE_KIND: 'The --kind is not one of metric, dataset, task, adapter, reporter',
  VHB_E_CREATE_EXISTS: 'The target folder exists and is not empty',
} as const;

export type CreateErrorCode = keyof typeof createErrorCodes;

/** An error with a stable code, a message naming the offending value and a one-line hint. */
export class CreateError extends Error {
  readonly code: CreateErrorCode;
  readonly hint: string;

  constructor(code: CreateErrorCode, message: string, hint: string) {
    super(`${code}: ${message}\n  hint: ${hint}`);
    this.name = 'CreateError';
    this.code = code;
    this.hint = hint;
  }
}
