// The image the docker tests run in: no registry is reachable, so it is imported from a rootfs
// made here — busybox, this process's node binary with the shared libraries it needs, and npm.
import { execFile } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';

const exec = promisify(execFile);
const APPLETS = ['sh', 'env', 'cat', 'ls', 'echo', 'id', 'mkdir', 'rm', 'sleep', 'true'];

/** Imports `repo:tag` (e.g. `vhb-node:test`) into the engine; the rootfs is made in `workDir` and removed. */
export async function importNodeImage(docker: Dockerode, workDir: string, image: string): Promise<void> {
  const staging = await mkdtemp(join(workDir, 'rootfs-'));
  const rootfs = join(staging, 'rootfs');
  const put = async (target: string, from: string) => {
    await mkdir(dirname(join(rootfs, target)), { recursive: true });
    await copyFile(from, join(rootfs, target));
  };
  try {
    for (const dir of ['bin', 'usr/bin', 'usr/local/bin', 'usr/local/lib/node_modules', 'etc', 'tmp']) {
      await mkdir(join(rootfs, dir), { recursive: true });
    }
    await chmod(join(rootfs, 'tmp'), 0o1777);
    await put('bin/busybox', '/bin/busybox');
    await chmod(join(rootfs, 'bin/busybox'), 0o755);
    for (const applet of APPLETS) await symlink('/bin/busybox', join(rootfs, 'bin', applet));
    // npm's bin starts with `#!/usr/bin/env node`.
    await symlink('/bin/busybox', join(rootfs, 'usr/bin/env'));

    await put('usr/local/bin/node', process.execPath);
    await chmod(join(rootfs, 'usr/local/bin/node'), 0o755);
    const { stdout } = await exec('ldd', [process.execPath]);
    for (const library of stdout.matchAll(/(\/\S+\.so[.\d]*)/g)) await put(library[1] as string, library[1] as string);

    const globalRoot = (await exec('npm', ['root', '-g'])).stdout.trim();
    await cp(join(globalRoot, 'npm'), join(rootfs, 'usr/local/lib/node_modules/npm'), { recursive: true });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));

    await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n');
    await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');

    const tarball = join(staging, 'rootfs.tar');
    await exec('tar', ['-C', rootfs, '-cf', tarball, '.']);
    const [repo, tag = 'latest'] = image.split(':');
    const stream = await docker.importImage(tarball, { repo, tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
