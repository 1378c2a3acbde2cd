/** Where verdaccio keeps its state, all inside one throwaway folder. */
export interface VerdaccioPaths {
  storageDir: string;
  htpasswdFile: string;
}

/**
 * verdaccio's config as YAML. `uplinks: {}` and no `proxy:` on the package rule keep it offline:
 * a package nobody published here is a 404, never a silent download from npmjs.org.
 */
export function verdaccioConfig(paths: VerdaccioPaths): string {
  return [
    `storage: ${JSON.stringify(paths.storageDir)}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(paths.htpasswdFile)}`,
    '    max_users: 1000',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'web:',
    '  enable: false',
    'max_body_size: 100mb',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

/** The npmrc a client needs to read from and publish to the registry. */
export function npmrcFor(url: string, port: number, token: string): string {
  return `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`;
}
