#!/usr/bin/env bash
# Produce every user-facing output of graphring from one source tree, to compare two trees
# byte for byte (the layout redesign, issue 15, must not change behaviour).
#
#   scripts/check_identical.sh SRC_DIR OUT_DIR [N20K]
#
# SRC_DIR: a graphring checkout (its graphring/ package is put first on PYTHONPATH); give the two trees
#          paths of the same length (e.g. /tmp/layout-base-src, /tmp/layout-aftr-src): paths wrap terminal lines.
# OUT_DIR: where the outputs go (replaced). Then: diff -r OUT_BEFORE OUT_AFTER
# Fields that legitimately differ between two runs are normalised by scripts/normalise_run.py
# (manifest run_id / created_at / timings, and the run id where pages echo it).
set -euo pipefail
src=$(cd "$1" && pwd); out=$2; n=${3:-20000}
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-/work/wt-layout/.venv/bin/python}
export SOURCE_DATE_EPOCH=0  # fontTools stamps font subsets with this instead of the current time
rm -rf "$out"; mkdir -p "$out"
# run from the source tree: `python -c` puts the working directory first on sys.path
gr() { (cd "$src" && PYTHONPATH="$src" "$py" -c 'import sys; from graphring.cli import main; sys.argv[0]="graphring"; main()' "$@"); }
data20k=${DATA20K:-/tmp/lay20k}
sets="sample:$src/sample_data/bank_a messy:$src/sample_data/bank_a_messy"
if [ -z "${NO20K:-}" ]; then  # NO20K=1: the two bundled sets only (a quick check)
  if [ ! -d "$data20k" ]; then gr sample "$data20k" -n "$n" --seed 0 >/dev/null; fi
  sets="$sets 20k:$data20k"
fi
for set in $sets; do
  name=${set%%:*}; data=${set#*:}
  run=$out/$name/run; mkdir -p "$out/$name"
  gr rings "$data" --out "$run" > "$out/$name/rings.stdout.txt" 2>"$out/$name/rings.stderr.txt" || echo "rings rc=$?" >> "$out/$name/rc.txt"
  if [ "$name" = 20k ]; then top="--top 5"; else top=""; fi
  gr report "$run" --out "$out/$name/report" $top > "$out/$name/report.stdout.txt" 2>&1 || echo "report rc=$?" >> "$out/$name/rc.txt"
  gr report "$run" --out "$out/$name/report_reveal" --top 2 --reveal --lang en > /dev/null 2>&1 || echo "report reveal rc=$?" >> "$out/$name/rc.txt"
  for r in R0001 R0002; do
    gr referral "$run" $r --out "$out/$name/referral-$r" > "$out/$name/referral-$r.stdout.txt" 2>&1 || echo "referral $r rc=$?" >> "$out/$name/rc.txt"
  done
  gr referral "$run" R0001 --out "$out/$name/referral-R0001-reveal" --reveal --lang en > /dev/null 2>&1 || echo "referral reveal rc=$?" >> "$out/$name/rc.txt"
  gr explain "$run" R0001 > "$out/$name/explain.txt" 2>&1 || echo "explain rc=$?" >> "$out/$name/rc.txt"
  gr explain "$run" R0002 --lang en --reveal > "$out/$name/explain2.txt" 2>&1 || echo "explain2 rc=$?" >> "$out/$name/rc.txt"
  gr screen "$data" --against "$run" --out "$out/$name/screen" > "$out/$name/screen.stdout.txt" 2>&1 || echo "screen rc=$?" >> "$out/$name/rc.txt"
  GRAPHRING_HMAC_KEY=$(printf "ab%.0s" {1..32}) gr watchlist export "$run" --out "$out/$name/watchlist.csv" > "$out/$name/watchlist.stdout.txt" 2>&1 || echo "watchlist rc=$?" >> "$out/$name/rc.txt"
  gr rings "$data" --out "$out/$name/run2" --previous "$run" > "$out/$name/rings2.stdout.txt" 2>&1 || echo "rings2 rc=$?" >> "$out/$name/rc.txt"
done
truth=$src/sample_data/truth.csv
gr evaluate "$out/sample/run" --truth "$truth" > "$out/sample/evaluate.txt" 2>&1 || true
gr validate "$src/sample_data/bank_a_messy" > "$out/messy/validate.txt" 2>&1 || true
"$py" "$here/normalise_run.py" "$out" "$(cd "$out" && pwd)" "$src"
echo "normalised $out"
