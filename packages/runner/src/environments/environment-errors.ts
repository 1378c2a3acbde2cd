import { VhbError } from '@vhb/sdk';

/** Error codes of the environment managers and of running a run in one. */
export const environmentErrorCodes = {
  VHB_E_ENV_CONFIG: "A model's `environment` cannot be used as written (no image for docker, a kind not wired in)",
  VHB_E_ENV_SOURCE: 'A plugin of a run in a container does not come from an npm registry, so it cannot be installed there',
  VHB_E_ENV_TASK_BIN: 'The task package declares no `bin` to run inside the environment',
  VHB_E_ENV_DOCKER: 'The docker engine cannot be reached, or refused a request',
  VHB_E_ENV_IMAGE: 'The image is not on the docker host and cannot be pulled',
  VHB_E_ENV_MOUNT: 'A folder cannot be mounted (missing, or moved to another path where the environment cannot move it)',
  VHB_E_ENV_SETUP: 'Installing the plugin packages inside the environment failed',
  VHB_E_ENV_RUN: "The command could not start, or the task's bin ended without a result",
  VHB_E_ENV_ABORTED: 'The run was interrupted; its container or process was stopped and removed',
} as const;
export type EnvironmentErrorCode = keyof typeof environmentErrorCodes;

export function environmentError(code: EnvironmentErrorCode, message: string, hint: string, cause?: unknown): VhbError {
  return new VhbError(code, message, { hint, ...(cause === undefined ? {} : { cause }) });
}
