// Connection URLs (a tracker's PostgreSQL, a queue's Redis) carry passwords: every message shows them masked.

/** Replaces the password of a URL (in its user info or a `password=` parameter) with `***`, so it can be printed. */
export function maskUrlPassword(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    // Not a URL the WHATWG parser takes: mask what looks like `//user:password@` and `password=…`.
    return url.replace(/(\/\/[^/@:]*:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
  }
}

/** `text` with every occurrence of the URL's password masked (a driver's message may quote what it was given). */
export function scrubUrlPassword(text: string, url: string): string {
  const secrets = new Set<string>();
  try {
    const parsed = new URL(url);
    for (const secret of [parsed.password, parsed.searchParams.get('password') ?? '']) {
      if (secret) {
        secrets.add(secret);
        secrets.add(decodeURIComponent(secret));
      }
    }
  } catch {
    // Unparseable: nothing more to find than maskUrlPassword already hides.
  }
  let out = text.split(url).join(maskUrlPassword(url));
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
