/** A metric figure: 4 decimals, or a dash when nothing was scored. */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toFixed(4);
}

/** A confidence interval, `[low, high]` with 4 decimals each, or a dash when there is none. */
export function interval(ci: readonly [number, number] | null | undefined): string {
  return ci ? `[${ci[0].toFixed(4)}, ${ci[1].toFixed(4)}]` : '–';
}

/** Milliseconds with one decimal. */
export function ms(value: number): string {
  return value.toFixed(1);
}

/** A run's duration: seconds below a minute, else minutes and seconds (from whole tenths, as reporter-markdown). */
export function duration(durationMs: number): string {
  const tenths = Math.round(durationMs / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const whole = Math.round(durationMs / 1000);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** Bytes as KB or MB with one decimal (1 KB = 1024 bytes). */
export function bytes(count: number): string {
  return count < 1024 * 1024 ? `${(count / 1024).toFixed(1)} KB` : `${(count / 1024 / 1024).toFixed(1)} MB`;
}

/** At most `max` code points, the last one an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}
