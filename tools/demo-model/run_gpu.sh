#!/bin/bash
# The GPU half of the recipe (README.md): corpus, tokenizer, pretraining, export, transformers check, fixtures.
# Run from the repository root with WordNet's data.*/index.* files, gzipped, in tools/demo-model/work/wordnet
# (or WORDNET=/usr/share/wordnet). Results go to $OUT (default work/out): the model folder's parts, logs, metrics.
set -euo pipefail
export PYTHONUNBUFFERED=1
OUT=${OUT:-tools/demo-model/work/out}
W=${WORK:-/tmp/demo-model}
STEPS=${STEPS:-2000}
BUDGET=${BUDGET:-0}
T0=$(date +%s)
mkdir -p "$W/model" "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 -c 'import torch, transformers, tokenizers, peft; print("torch", torch.__version__, "transformers",
  transformers.__version__, "tokenizers", tokenizers.__version__, "peft", peft.__version__)'

WORDNET=${WORDNET:-}
if [ -z "$WORDNET" ]; then
  WORDNET=$W/wordnet; mkdir -p "$WORDNET"
  for f in tools/demo-model/work/wordnet/*.gz; do gunzip -c "$f" > "$WORDNET/$(basename "$f" .gz)"; done
fi
python3 tools/demo-model/build_corpus.py --wordnet "$WORDNET" --out "$W/corpus" > /dev/null
cp "$W/corpus/manifest.json" "$OUT/corpus-manifest.json"
echo "corpus built at $(( $(date +%s) - T0 ))s"
python3 tools/demo-model/train_tokenizer.py --corpus "$W/corpus" --out "$W/model" --every 3
echo "tokenizer trained at $(( $(date +%s) - T0 ))s"
python3 tools/demo-model/pretrain.py --corpus "$W/corpus" --model "$W/model" --steps "$STEPS" \
  --time-budget "$BUDGET" --compile --log "$OUT/train.log"
echo "pretrained at $(( $(date +%s) - T0 ))s"
python3 tools/demo-model/verify_hf.py --model "$W/model" --fixture "$W/greedy.json" 2>&1 | tee "$OUT/verify.log" || true
python3 tools/reference/make_peft_fixture.py --out "$W/tiny-llama" 2>&1 | tail -3 || true

# at most 8 files come back, each under 16 MiB: shards apart, the rest in one tar
OUT_ABS=$(cd "$OUT" && pwd)
cp "$W"/model/*.safetensors "$OUT_ABS/"
cd "$W"
keep=""
for f in model/config.json model/generation_config.json model/tokenizer.json model/tokenizer_config.json \
  model/model.safetensors.index.json metrics.json greedy.json tiny-llama; do
  if [ -e "$f" ]; then keep="$keep $f"; fi
done
tar -cf "$OUT_ABS/rest.tar" $keep
echo "done at $(( $(date +%s) - T0 ))s"
