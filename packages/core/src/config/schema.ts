import { z } from '@vhb/sdk';

/** How registries are read: `dev` also applies `*.dev.yaml` overlays. */
export const RUN_MODES = ['prod', 'dev'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** What a project config file (or the `vhb` key of package.json) may hold; paths are relative to the file's folder. */
export const projectConfigFileSchema = z.strictObject({
  runMode: z.enum(RUN_MODES).optional(),
  registriesDir: z.string().min(1).optional(),
  resultsDir: z.string().min(1).optional(),
  cacheDir: z.string().min(1).optional(),
  /** Registry npm package sources are installed from, when an entry names none. */
  npmRegistry: z.url().optional(),
});
export type ProjectConfigFile = z.infer<typeof projectConfigFileSchema>;

/** The resolved project config: every path absolute. */
export interface ProjectConfig {
  /** Folder of the config file; the cwd when no config was found. */
  root: string;
  runMode: RunMode;
  registriesDir: string;
  resultsDir: string;
  cacheDir: string;
  npmRegistry?: string;
  /** The config file that was read, when one was found. */
  configFile?: string;
}
