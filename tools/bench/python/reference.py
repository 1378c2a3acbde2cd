#!/usr/bin/env python3
"""Plain-Python reference implementations of ANLS, CER and WER, for tools/bench (stdlib only).

Usage: python3 reference.py items.jsonl

Each input line is {"metric": "anls@2" | "anls@1" | "cer@1" | "wer@1", "prediction": str,
"references": [str, ...]}: one implementation per algorithm version of our metrics. Prints one JSON
object, per metric: the number of items, the wall-clock and CPU seconds spent scoring them (JSON
parsing excluded), the aggregate, the per-item mean and, for CER/WER, the summed edit counts.

Written from the published definitions, not from our TypeScript:

- ANLS (Biten et al., "Scene Text Visual Question Answering", ICCV 2019; DocVQA): both strings
  normalised with " ".join(s.strip().lower().split()), the Levenshtein distance of the normalised
  strings divided by a length (0 when that length is 0), 1 - the smallest such ratio over the
  answers, 0 when below the threshold 0.5 (a similarity equal to it is kept); the figure is the
  mean over items. The distance is the classic two-row dynamic programme over code points, as
  lmms-eval's `levenshtein_distance` (lmms_eval/api/metrics.py). The prediction is stripped first,
  as lmms-eval's generation path does (our default dialect, `lmms-eval`). The length is
  - anls@1: max(len(answer.upper()), len(prediction.upper())) of the raw strings, as lmms-eval's
    `anls()` (after Qwen-VL's infographicsvqa_eval.py and the DocVQA scripts) computes it;
  - anls@2: the longer of the two normalised strings, as the paper's formula reads.
- CER and WER as jiwer 3/4 compute them: cer_default = Strip() then one token per character;
  wer_default = RemoveMultipleSpaces() (re.sub(r"\\s\\s+", " ")), Strip(), then split on " " with
  empty words dropped. Hits, substitutions, deletions and insertions come from one minimal
  alignment of reference against hypothesis, with ties broken as rapidfuzz's Levenshtein.editops
  (which jiwer calls) breaks them: common prefix and suffix matched first, then a backtrace from
  the end of the full DP matrix that prefers a deletion when D[i][j] > D[i-1][j], else an insertion
  when D[i][j-1] < D[i-1][j-1], else the diagonal. (rapidfuzz splits alignments over ~4M matrix
  cells Hirschberg-style; the benchmark's texts stay far below that.) The corpus rate is
  (S + D + I) / (H + S + D) summed over all items; an item with an empty reference scores its
  insertions, as jiwer 4 does.
"""

import json
import re
import sys
import time


def levenshtein(a, b):
    """Unit-cost edit distance between two strings, one DP row at a time."""
    if len(a) > len(b):
        a, b = b, a
    row = list(range(len(a) + 1))
    for j, cb in enumerate(b):
        nxt = [j + 1]
        for i, ca in enumerate(a):
            if ca == cb:
                nxt.append(row[i])
            else:
                nxt.append(1 + min(row[i], row[i + 1], nxt[i]))
        row = nxt
    return row[-1]


def anls_item(prediction, references, raw_length, threshold=0.5):
    prediction = prediction.strip()
    normalised_prediction = " ".join(prediction.strip().lower().split())
    distances = []
    for answer in references:
        normalised_answer = " ".join(answer.strip().lower().split())
        if raw_length:
            length = max(len(answer.upper()), len(prediction.upper()))
        else:
            length = max(len(normalised_answer), len(normalised_prediction))
        distance = levenshtein(normalised_answer, normalised_prediction)
        distances.append(0.0 if length == 0 else distance / length)
    similarity = 1 - min(distances)
    return 0 if similarity < threshold else similarity


MULTIPLE_SPACES = re.compile(r"\s\s+")


def wer_tokens(text):
    return [word for word in MULTIPLE_SPACES.sub(" ", text).strip().split(" ") if len(word) >= 1]


def cer_tokens(text):
    return list(text.strip())


def align_counts(ref, hyp):
    """(hits, substitutions, deletions, insertions) of one minimal alignment, rapidfuzz's tie-breaking."""
    start = 0
    while start < len(ref) and start < len(hyp) and ref[start] == hyp[start]:
        start += 1
    end_ref, end_hyp = len(ref), len(hyp)
    while end_ref > start and end_hyp > start and ref[end_ref - 1] == hyp[end_hyp - 1]:
        end_ref -= 1
        end_hyp -= 1
    hits = start + (len(ref) - end_ref)
    x, y = ref[start:end_ref], hyp[start:end_hyp]
    n, m = len(x), len(y)
    # d[i][j]: distance of x[:i] to y[:j].
    d = [list(range(m + 1))]
    for i in range(1, n + 1):
        above = d[i - 1]
        row = [i]
        xi = x[i - 1]
        for j in range(1, m + 1):
            best = above[j - 1] + (0 if xi == y[j - 1] else 1)
            if above[j] + 1 < best:
                best = above[j] + 1
            if row[j - 1] + 1 < best:
                best = row[j - 1] + 1
            row.append(best)
        d.append(row)
    substitutions = deletions = insertions = 0
    i, j = n, m
    while i > 0 and j > 0:
        if d[i][j] > d[i - 1][j]:
            deletions += 1
            i -= 1
            continue
        j -= 1
        if j > 0 and d[i][j] < d[i - 1][j]:
            insertions += 1
            continue
        i -= 1
        if x[i] == y[j]:
            hits += 1
        else:
            substitutions += 1
    deletions += i
    insertions += j
    return hits, substitutions, deletions, insertions


def error_rate_metric(tokens):
    def score(items):
        totals = [0, 0, 0, 0]
        rates = []
        for prediction, references in items:
            counts = align_counts(tokens(references[0]), tokens(prediction))
            for k in range(4):
                totals[k] += counts[k]
            hits, substitutions, deletions, insertions = counts
            errors = substitutions + deletions + insertions
            length = hits + substitutions + deletions
            rates.append(errors if length == 0 else errors / length)
        hits, substitutions, deletions, insertions = totals
        errors = substitutions + deletions + insertions
        length = hits + substitutions + deletions
        corpus = errors if length == 0 else errors / length
        counts = {"hits": hits, "substitutions": substitutions, "deletions": deletions, "insertions": insertions}
        return corpus, sum(rates) / len(rates), counts

    return score


def anls_metric(raw_length):
    def score(items):
        scores = [anls_item(prediction, references, raw_length) for prediction, references in items]
        mean = sum(scores) / len(scores)
        return mean, mean, None

    return score


METRICS = {
    "anls@1": anls_metric(raw_length=True),
    "anls@2": anls_metric(raw_length=False),
    "cer@1": error_rate_metric(cer_tokens),
    "wer@1": error_rate_metric(wer_tokens),
}


def main(path):
    groups = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                item = json.loads(line)
                groups.setdefault(item["metric"], []).append((item["prediction"], item["references"]))
    unknown = sorted(set(groups) - set(METRICS))
    if unknown:
        sys.exit(f"no Python reference for {', '.join(unknown)}: add it to METRICS in {__file__}")
    out = {}
    for name, items in groups.items():
        started, cpu_started = time.perf_counter(), time.process_time()
        aggregate, mean, counts = METRICS[name](items)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        out[name] = {
            "items": len(items),
            "seconds": seconds,
            "cpuSeconds": cpu_seconds,
            "aggregate": aggregate,
            "mean": mean,
            "counts": counts,
        }
    out["python"] = sys.version.split()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: reference.py items.jsonl")
    main(sys.argv[1])
