/**
 * What runs inside the pod. The pod's start command installs the plugins and `@vhb/storage` with
 * npm, then runs POD_AGENT (given to the pod in the `VHB_POD_AGENT` variable), which:
 *
 * 1. stops at once (and idles) when `<job>/exit.json` exists — RunPod restarts a container that
 *    exits, and the job must not run twice;
 * 2. reads `<job>/job.json` (command, cwd, mounts), writes `<job>/started.json`;
 * 3. brings each mount's folder from `<job>/mounts/<i>` (syncDataset, sha256-checked);
 * 4. runs the command, its output teed to the pod's log;
 * 5. uploads each writable mount back to `<job>/mounts/<i>` (only changed files), then
 *    `<job>/stdout.log`, `<job>/stderr.log` and, last, `<job>/exit.json` (`{ exitCode }`, or
 *    `{ error }` when the agent itself failed);
 * 6. idles until the host terminates the pod.
 *
 * Plain JavaScript, no template literals: it is a string here and runs with `node -e`.
 */
export const POD_AGENT = `import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { openStorage, syncDataset, uploadResults } from '@vhb/storage';

const storage = openStorage(process.env.VHB_POD_STORAGE);
const key = (name) => process.env.VHB_POD_PREFIX + '/' + name;
const idle = () => new Promise(() => setInterval(() => {}, 1 << 30));
const read = async (name) => {
  const chunks = [];
  for await (const chunk of await storage.get(key(name))) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

if (await storage.stat(key('exit.json'))) await idle();
const out = [];
const err = [];
let result;
try {
  const job = JSON.parse(await read('job.json'));
  await storage.put(key('started.json'), JSON.stringify({ at: new Date().toISOString() }));
  for (const mount of job.mounts) await syncDataset({ storage, prefix: mount.key, cacheDir: mount.target });
  const env = { ...process.env };
  for (const name of job.strip) delete env[name];
  const exitCode = await new Promise((resolve) => {
    const child = spawn(job.command[0], job.command.slice(1), { cwd: job.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => { out.push(chunk); process.stdout.write(chunk); });
    child.stderr.on('data', (chunk) => { err.push(chunk); process.stderr.write(chunk); });
    child.on('error', (error) => { err.push(Buffer.from(error.message + '\\n')); resolve(127); });
    child.on('close', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
  for (const mount of job.mounts) if (!mount.readOnly) await uploadResults({ storage, prefix: mount.key, dir: mount.target });
  result = { exitCode };
} catch (error) {
  result = { error: String((error && error.message) || error), code: error && error.code };
}
await storage.put(key('stdout.log'), Buffer.concat(out));
await storage.put(key('stderr.log'), Buffer.concat(err));
await storage.put(key('exit.json'), JSON.stringify(result));
await idle();
`;

/** Where the plugins are installed in the pod. */
export const POD_PLUGIN_DIR = '/vhb/plugins';

/** `'…'` for sh, whatever the text holds. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The pod's start command (`dockerStartCmd`): install the plugins and the storage client, then run the agent. */
export function podStartCommand(options: { packages: string[]; registry?: string | undefined; storagePackage: string }): string[] {
  const install = [
    'npm install --no-audit --no-fund',
    ...(options.registry ? [`--registry ${shellQuote(options.registry)}`] : []),
    ...[options.storagePackage, ...options.packages].map(shellQuote),
  ].join(' ');
  const script = [
    'set -e',
    `mkdir -p ${POD_PLUGIN_DIR}`,
    `cd ${POD_PLUGIN_DIR}`,
    `[ -f package.json ] || echo '{ "private": true }' > package.json`,
    install,
    // Run from the plugin folder, so the agent's imports resolve in its node_modules.
    'exec node --input-type=module -e "$VHB_POD_AGENT"',
  ].join('\n');
  return ['sh', '-c', script];
}
