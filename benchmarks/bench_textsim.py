"""Benchmark near-duplicate letter detection (MinHash/LSH) up to a million complaints.

Builds ``N`` complaint letters: a share written from templates (each used by about
50 letters, with names, amounts and dates swapped and a clause dropped now and
then) and the rest standing for letters in people's own words (random text: only
chance overlap), then times :func:`graphring.detect.textsim.near_duplicate_pairs` and reports
its peak memory and how many template pairs it found against pairs between
own-words letters (which should be none).

Usage::

    python benchmarks/bench_textsim.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, time
import numpy as np
from graphring.detect.textsim import near_duplicate_pairs

n, share, seed = {n}, {share}, {seed}
rng = np.random.default_rng(seed)
def chars(k):
    return "".join(chr(c) for c in rng.integers(0x4E00, 0x9FA5, size=k))
n_t = int(n * share)
n_tpl = max(1, n_t // 50)  # templates used by ~50 letters each (an agency's batch)
templates = [(chars(40), chars(60), chars(50)) for _ in range(n_tpl)]
names = list("赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜")
texts, kind = [], []
for i in range(n_t):
    a, b, c = templates[i % n_tpl]
    name = names[rng.integers(len(names))] + names[rng.integers(len(names))]
    mid = b if rng.random() < 0.8 else b[:30] + b[40:]  # a clause dropped now and then
    texts.append(a + "本人" + name + "于2024年" + str(rng.integers(1, 13)) + "月" + str(rng.integers(1, 29))
                 + "日借款" + str(rng.integers(2, 90) * 1000) + "元，" + mid + "。" + c)
    kind.append(i % n_tpl)
for i in range(n - n_t):  # own words: nothing in common beyond chance
    texts.append(chars(int(rng.integers(40, 160))))
    kind.append(-1)
kind = np.asarray(kind)
t0 = time.perf_counter()
pairs = near_duplicate_pairs(texts, threshold=0.5, seed=0)
sec = time.perf_counter() - t0
ka, kb = kind[pairs["a"].to_numpy()], kind[pairs["b"].to_numpy()]
print("RESULT " + json.dumps({{"n": n, "template_letters": n_t, "seconds": round(sec, 1),
                              "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                              "pairs": int(len(pairs)), "same_template": int(((ka == kb) & (ka >= 0)).sum()),
                              "own_words_pairs": int(((ka < 0) | (kb < 0)).sum()),
                              "cross_template": int(((ka != kb) & (ka >= 0) & (kb >= 0)).sum()),
                              "template_letters_linked": int(len(set(pairs["a"]) | set(pairs["b"])))}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100000, 1000000])
    ap.add_argument("--template-share", type=float, default=0.2)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    for n in a.sizes:
        p = subprocess.run([sys.executable, "-c", CHILD.format(n=n, share=a.template_share, seed=a.seed)],
                           capture_output=True, text=True, cwd=ROOT)
        if p.returncode:
            raise SystemExit(p.stderr[-3000:])
        row = json.loads([x for x in p.stdout.splitlines() if x.startswith("RESULT ")][0][7:])
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
