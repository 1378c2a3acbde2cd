import { escapeHtml } from './escape.js';

/** Above this many DP cells (after the common prefix and suffix are set aside) the middles are marked whole. */
const MAX_CELLS = 4_000_000;

/**
 * The reference and the prediction as HTML with their differences marked, code point by code
 * point (as CER counts): one longest common subsequence is kept plain; reference code points
 * outside it are wrapped in `<mark class="del">`, prediction code points outside it in
 * `<mark class="ins">`. A substitution shows as both. Text is escaped.
 */
export function diffHtml(reference: string, prediction: string): { reference: string; prediction: string } {
  const a = Array.from(reference);
  const b = Array.from(prediction);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const keepA = new Uint8Array(n);
  const keepB = new Uint8Array(m);
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= MAX_CELLS) {
    // lcs[i * (m + 1) + j]: length of the longest common subsequence of a[start + i..] and b[start + j..].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] =
          a[start + i] === b[start + j]
            ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        keepA[i++] = 1;
        keepB[j++] = 1;
      } else if ((lcs[(i + 1) * (m + 1) + j] as number) >= (lcs[i * (m + 1) + j + 1] as number)) i++;
      else j++;
    }
  }
  return { reference: marked(a, start, keepA, 'del'), prediction: marked(b, start, keepB, 'ins') };
}

/** The code points as escaped HTML, the middle ones not kept wrapped in `<mark>` runs. */
function marked(points: readonly string[], start: number, keep: Uint8Array, kind: 'del' | 'ins'): string {
  let html = escapeHtml(points.slice(0, start).join(''));
  let run = '';
  let open = false;
  for (let k = 0; k < keep.length; k++) {
    const changed = keep[k] === 0;
    if (changed !== open) {
      html += open ? `<mark class="${kind}">${escapeHtml(run)}</mark>` : escapeHtml(run);
      run = '';
      open = changed;
    }
    run += points[start + k];
  }
  html += open ? `<mark class="${kind}">${escapeHtml(run)}</mark>` : escapeHtml(run);
  return html + escapeHtml(points.slice(start + keep.length).join(''));
}
