"""Near-duplicate complaint letters: character shingles, MinHash and LSH, in numpy.

Agencies file letters from one template with names, amounts, dates and platform
names swapped, keeping the template's wording, typos and punctuation. Letters
written by people in their own words share short phrases but few long character
runs. We therefore compare texts by their sets of character *k*-grams
("shingles"), estimate Jaccard similarity with MinHash, find candidate pairs with
locality-sensitive hashing (banding), and confirm each candidate on its MinHash
estimate. Digits are folded to one symbol before shingling, so swapped amounts
and dates do not hide a template; punctuation is kept, because copied
punctuation mistakes are part of the trace.

Everything is vectorised across all texts at once (one array of shingles for the
whole corpus, ``np.minimum.reduceat`` per text), so a million complaints are a
matter of tens of seconds, not hours.

References
----------
.. [1] A. Z. Broder, "On the resemblance and containment of documents", 1997.
.. [2] J. Leskovec, A. Rajaraman, J. Ullman, *Mining of Massive Datasets*, ch. 3.

Examples
--------
>>> texts = ["本人张三因身体原因无法按时还款，请求贵司停止催收，本人愿意协商分期还款，望批准！！",
...          "本人李四因身体原因无法按时还款，请求贵司停止催收，本人愿意协商分期还款，望批准！！",
...          "我失业了，最近家里困难，希望可以减免一些利息，谢谢。"]
>>> pairs = near_duplicate_pairs(texts, threshold=0.5, seed=1)
>>> [(int(a), int(b)) for a, b, _ in pairs.itertuples(index=False)]
[(0, 1)]
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["normalise_text", "minhash_signatures", "band_keys", "near_duplicate_pairs", "template_groups", "quirks",
           "one_hand"]

_MERSENNE = np.uint64((1 << 61) - 1)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Fold a complaint text for shingling: NFKC, no whitespace, digit runs as ``#``.

    Examples
    --------
    >>> normalise_text("欠款 12,345.60 元，于2025年3月14日")
    '欠款#元,于#年#月#日'
    """
    t = unicodedata.normalize("NFKC", str(text))
    t = _DIGITS.sub("#", t)
    return _SPACE.sub("", t)


def _shingle_hashes(texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """All k-gram hashes of all texts in one array, and each text's start offset.

    A text shorter than ``k`` yields no shingle.
    """
    joined = "".join(texts)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64) if joined else \
        np.zeros(0, np.uint64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.zeros(0, np.int64)
    n_sh = np.maximum(lengths - k + 1, 0)
    total = int(n_sh.sum())
    if total == 0:
        return np.zeros(0, np.uint64), np.zeros(len(texts), np.int64)
    # position of each shingle in the joined code-point array
    text_of = np.repeat(np.arange(len(texts)), n_sh)
    offs = np.arange(total) - np.repeat(np.concatenate([[0], np.cumsum(n_sh)[:-1]]), n_sh)
    pos = starts[text_of] + offs
    h = np.zeros(total, np.uint64)
    for j in range(k):  # polynomial hash of the k code points (wraps mod 2**64)
        h = h * np.uint64(1_000_003) + cps[pos + j]
    # mix (splitmix64 finaliser) so that nearby code points spread
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h, np.concatenate([[0], np.cumsum(n_sh)[:-1]]).astype(np.int64)


def minhash_signatures(texts: list[str], k: int = 5, num_perm: int = 128, seed: int = 0,
                       chunk: int = 2_000_000) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of texts (already normalised).

    Returns
    -------
    sig : ndarray of shape (len(texts), num_perm), uint64
    has : ndarray of bool, True where the text had at least one shingle
    """
    h, offsets = _shingle_hashes(texts, k)
    n = len(texts)
    sig = np.full((n, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    if len(h) == 0:
        return sig, np.zeros(n, bool)
    counts = np.diff(np.append(offsets, len(h)))
    has = counts > 0
    rng = np.random.default_rng(seed)
    a = rng.integers(1, int(_MERSENNE) - 1, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, int(_MERSENNE) - 1, size=num_perm, dtype=np.uint64)
    idx_texts = np.nonzero(has)[0]
    starts = offsets[has]
    # process texts in chunks so the (shingles x perms) block stays bounded in memory
    per_chunk = max(1, chunk // max(1, num_perm // 16))
    i = 0
    while i < len(idx_texts):
        j = i
        total = 0
        while j < len(idx_texts) and (total < per_chunk or j == i):
            total += counts[idx_texts[j]]
            j += 1
        lo = starts[i]
        hi = starts[j] if j < len(idx_texts) else len(h)
        block = h[lo:hi]
        for p0 in range(0, num_perm, 16):
            p1 = min(num_perm, p0 + 16)
            # universal hash mod 2**64, laid out perms x shingles so each minimum runs along contiguous
            # memory (10x faster than shingles x perms)
            vals = a[p0:p1, None] * block[None, :] + b[p0:p1, None]
            sig[idx_texts[i:j], p0:p1] = np.minimum.reduceat(vals, starts[i:j] - lo, axis=1).T
        i = j
    return sig, has


def band_keys(sig: np.ndarray, bands: int) -> np.ndarray:
    """One uint64 key per LSH band of each signature (the band's rows hashed together).

    Two texts are LSH candidates when they share a key in some band. A hash
    collision only adds a candidate, and candidates are confirmed on the full
    signatures, so one 64-bit key stands for the band's rows.

    Examples
    --------
    >>> sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [5, 2, 3, 4]], dtype=np.uint64)
    >>> k = band_keys(sig, 2)
    >>> k.shape, bool(k[0, 0] == k[1, 0]), bool(k[0, 1] == k[2, 1]), bool(k[0, 0] == k[2, 0])
    ((3, 2), True, True, False)
    """
    n, p = sig.shape
    r = p // bands
    out = np.zeros((n, bands), np.uint64)
    if n == 0:
        return out
    with np.errstate(over="ignore"):
        for b in range(bands):
            h = np.full(n, np.uint64(0x9E3779B97F4A7C15), np.uint64)
            for j in range(b * r, (b + 1) * r):
                h = (h ^ sig[:, j]) * np.uint64(0xBF58476D1CE4E5B9)
                h ^= h >> np.uint64(31)
            out[:, b] = h
    return out


def near_duplicate_pairs(texts, threshold: float = 0.5, k: int = 5, num_perm: int = 128,
                         bands: int = 32, seed: int = 0, min_chars: int = 20,
                         max_bucket: int = 400) -> pd.DataFrame:
    """Pairs of texts whose estimated shingle Jaccard similarity is at least ``threshold``.

    Parameters
    ----------
    texts : sequence of str
        Raw texts (normalised here with :func:`normalise_text`).
    threshold : float
        Minimum estimated Jaccard similarity of the k-shingle sets.
    k : int
        Shingle length in characters (5 suits Chinese letters).
    num_perm, bands : int
        MinHash length and LSH bands (``num_perm`` must be a multiple of ``bands``).
    min_chars : int
        Texts shorter than this after normalisation are never linked: short
        phrases ("要求停止催收") are said in their own words by many people.
    max_bucket : int
        LSH buckets holding more texts than this are skipped (boilerplate).

    Returns
    -------
    DataFrame with columns ``a``, ``b`` (positions, ``a < b``) and ``similarity``.
    """
    norm = [normalise_text(t) if isinstance(t, str) else "" for t in texts]
    norm = [t if len(t) >= min_chars else "" for t in norm]
    sig, has = minhash_signatures(norm, k=k, num_perm=num_perm, seed=seed)
    empty = pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64), "similarity": np.zeros(0)})
    ids = np.nonzero(has)[0]
    if len(ids) < 2:
        return empty
    s = sig[ids]
    keys = band_keys(s, bands)
    cand = []
    for band in range(bands):
        key = keys[:, band]
        order = np.argsort(key, kind="stable")
        ks = key[order]
        same = np.nonzero(ks[1:] == ks[:-1])[0]
        if len(same) == 0:
            continue
        grp_start = np.ones(len(ks), bool)
        grp_start[1:] = ks[1:] != ks[:-1]
        starts_ = np.nonzero(grp_start)[0]
        sizes = np.diff(np.append(starts_, len(ks)))
        # every pair inside each bucket; buckets larger than max_bucket are boilerplate, skipped
        for size in sorted(set(sizes[(sizes >= 2) & (sizes <= max_bucket)].tolist())):
            st = starts_[sizes == size]
            ii, jj = np.triu_indices(int(size), k=1)
            a = order[(st[:, None] + ii[None, :]).ravel()]
            b = order[(st[:, None] + jj[None, :]).ravel()]
            cand.append(np.stack([a, b], axis=1))
    if not cand:
        return empty
    c = np.sort(np.concatenate(cand), axis=1).astype(np.int64)
    k = np.sort(c[:, 0] * np.int64(len(s)) + c[:, 1])  # sort-based unique (NumPy 2's hash unique is slow)
    k = k[np.r_[True, k[1:] != k[:-1]]]
    c = np.stack([k // len(s), k % len(s)], axis=1)
    c = c[c[:, 0] != c[:, 1]]
    # agreement of the signatures, in chunks: one pair's two rows are 2 KB, and there can be millions
    sim = np.empty(len(c))
    step = 100_000
    for lo in range(0, len(c), step):
        cc = c[lo:lo + step]
        sim[lo:lo + step] = (s[cc[:, 0]] == s[cc[:, 1]]).mean(axis=1)
    keep = sim >= threshold
    out = pd.DataFrame({"a": ids[c[keep, 0]], "b": ids[c[keep, 1]], "similarity": sim[keep]})
    return out.sort_values(["a", "b"], kind="stable").reset_index(drop=True)


def template_groups(texts, threshold: float = 0.5, seed: int = 0, **kw) -> pd.Series:
    """Group near-duplicate texts: connected components of :func:`near_duplicate_pairs`.

    Returns a Series aligned with ``texts`` holding a group number for texts in a
    group of two or more, and ``-1`` otherwise.

    Examples
    --------
    >>> template_groups(["甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉",
    ...                  "完全不同的一段话，讲的是另外一件事情而已"], threshold=0.5).tolist()
    [0, 0, -1]
    """
    texts = list(texts)
    n = len(texts)
    out = np.full(n, -1, np.int64)
    pairs = near_duplicate_pairs(texts, threshold=threshold, seed=seed, **kw)
    if len(pairs):
        m = coo_matrix((np.ones(len(pairs)), (pairs["a"], pairs["b"])), shape=(n, n))
        _, lab = connected_components(m, directed=False)
        inpair = np.zeros(n, bool)
        inpair[pairs["a"]] = True
        inpair[pairs["b"]] = True
        # renumber groups in order of first appearance (deterministic)
        labs = lab[inpair]
        _, first_idx = np.unique(labs, return_index=True)
        order = np.argsort(np.argsort(first_idx))
        uniq = np.unique(labs)
        remap = dict(zip(uniq.tolist(), order.tolist()))
        out[inpair] = [remap[x] for x in labs.tolist()]
    return pd.Series(out)


# --- one hand: the same writing mistakes in the same place ----------------------------------------------
_CJK = "\u3400-\u9fff"
#: Writing mistakes a copied script carries (DOMAIN.md: "same wording, same typos and punctuation mistakes"):
#: a punctuation mark doubled or two marks run together (，， 。。 ,， !!), half-width punctuation inside
#: Chinese text (元,身 道歉!消), a space between Chinese characters or before a number in Chinese text.
_QUIRK = re.compile(
    r"[，。、；：,;:]{2,}|[!！?？]{2,}"
    rf"|(?<=[{_CJK}])[,;:!?](?=[{_CJK}\d])|(?<=[{_CJK}\d])[,;:!?](?=[{_CJK}])"
    rf"|(?<=[{_CJK}]) +(?=[{_CJK}\d])")
_QUIRK_CONTEXT = 2


def quirks(text: str) -> frozenset:
    """The writing mistakes of a letter, each with the characters around it (digits folded).

    Letters written by people in their own words may share stock phrases ("希望平台能给予延期"), but
    two people do not make the same mistake in the same place; letters copied from one script do.

    Examples
    --------
    >>> sorted(quirks("贵司催收人员多次爆力催收，，严重侵犯本人隐私"))
    ['催收，，', '，，严重']
    >>> sorted(quirks("要求：1停止催收 2减免息费"))
    [' #减', '催收 ']
    >>> quirks("本人因生意失败收入下降，暂时无法按期还款。")
    frozenset()
    """
    t = str(text)
    out = set()
    for m in _QUIRK.finditer(t):
        a, b = max(0, m.start() - _QUIRK_CONTEXT), min(len(t), m.end() + _QUIRK_CONTEXT)
        # the mistake with what precedes it, and with what follows it: a swapped name or amount on one
        # side does not hide it
        out.add(_DIGITS.sub("#", t[a:m.end()]))
        out.add(_DIGITS.sub("#", t[m.start():b]))
    return frozenset(out)


def one_hand(texts, pairs: pd.DataFrame) -> np.ndarray:
    """Which near-duplicate pairs (``a``, ``b`` positions into ``texts``) share a writing mistake (:func:`quirks`).

    Examples
    --------
    >>> texts = ["本人张三，，要求停止催收", "本人李四，，要求停止催收", "本人王五，要求停止催收"]
    >>> one_hand(texts, pd.DataFrame({"a": [0, 0], "b": [1, 2]})).tolist()
    [True, False]
    """
    a = pairs["a"].to_numpy()
    b = pairs["b"].to_numpy()
    if not len(a):
        return np.zeros(0, bool)
    used = np.unique(np.concatenate([a, b]))
    q = {int(i): quirks(texts[int(i)]) for i in used.tolist()}
    return np.fromiter((bool(q[x] & q[y]) for x, y in zip(a.tolist(), b.tolist())), dtype=bool, count=len(a))
