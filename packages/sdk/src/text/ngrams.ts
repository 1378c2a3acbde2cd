/**
 * Small integer ids (from 1) for the symbols (words, code points) of a prediction and its
 * references, so an n-gram can be keyed by a number: its ids in base `size + 1`, while that stays
 * an exact integer (see {@link ngramCounts}). One vocabulary per item: ids are only comparable
 * between sequences interned into the same one.
 */
export class Vocabulary<T> {
  private readonly ids = new Map<T, number>();

  /** The ids of the symbols, new symbols numbered in order of first appearance. */
  intern(symbols: readonly T[]): number[] {
    return symbols.map((symbol) => {
      let id = this.ids.get(symbol);
      if (id === undefined) {
        id = this.ids.size + 1;
        this.ids.set(symbol, id);
      }
      return id;
    });
  }

  /** The base of numeric n-gram keys, or 0 when keys of `maxOrder` ids would not be exact integers. */
  base(maxOrder: number): number {
    const base = this.ids.size + 1;
    return base ** maxOrder <= Number.MAX_SAFE_INTEGER ? base : 0;
  }
}

/**
 * Counts of the n-grams (n consecutive ids) of orders 1..maxOrder of a sequence of ids, one map
 * per order (index 0: unigrams), as sacrebleu's `extract_all_word_ngrams` / `extract_all_char_ngrams`
 * count them: keyed by the ids in base `base` (from {@link Vocabulary.base}), or by the ids joined
 * with commas when `base` is 0. Equal n-grams have equal keys either way.
 */
export function ngramCounts(ids: readonly number[], maxOrder: number, base: number): Map<number | string, number>[] {
  const orders: Map<number | string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) orders.push(new Map());
  for (let i = 0; i < ids.length; i++) {
    let key = 0;
    for (let n = 1; n <= maxOrder && i + n <= ids.length; n++) {
      const counts = orders[n - 1] as Map<number | string, number>;
      let ngram: number | string;
      if (base) {
        key = key * base + (ids[i + n - 1] as number);
        ngram = key;
      } else {
        ngram = ids.slice(i, i + n).join(',');
      }
      counts.set(ngram, (counts.get(ngram) ?? 0) + 1);
    }
  }
  return orders;
}
