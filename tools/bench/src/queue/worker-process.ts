/**
 * One queue worker of `bench:queue`, in its own process as `vhb worker` runs: the runner's
 * `startQueueWorker`, one run at a time. Its model endpoint (its own simulated GPU) comes from
 * VHB_OPENAI_BASE_URL. Prints `worker <name> ready`; SIGTERM puts its run back and exits 0.
 */
import { startQueueWorker } from '@vhb/runner';

const [url, name] = process.argv.slice(2);
if (!url || !name) {
  process.stderr.write('usage: worker-process.js <redis url> <name>\n');
  process.exit(2);
}
const worker = await startQueueWorker({
  url,
  name,
  onNotice: (notice) => {
    if (notice.type === 'job-failed' || notice.type === 'error') process.stderr.write(`${name}: ${JSON.stringify(notice)}\n`);
  },
});
process.stdout.write(`worker ${name} ready\n`);
const stop = () => {
  worker.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
