#!/bin/bash
# On a GPU machine (no network, no Node): runs exported job folders with transformers + PEFT and probes Vulkan for
# WebGPU. Arguments come in pairs: JOB_DIR BASE_DIR [JOB_DIR BASE_DIR ...]. Per job: the full job in float32 on one
# GPU (its log and adapter kept), accelerate launch with 1 process, with 2 processes where the machine has 2+ GPUs,
# and bfloat16 for speed. Writes everything under $OUT/<job folder name>/. Repo root as working directory; the
# Vulkan loader's Debian package may travel in .gl/ (dpkg -x needs no network).
set -u
ROOT=$PWD
for f in .gl/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
ldconfig
{
  echo "== nvidia-smi"; nvidia-smi
  echo "== icd.d"; ls -la /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1
  echo "== ldconfig vulkan"; ldconfig -p | grep -i vulkan
  echo "== nvidia vulkan/egl libraries"; ls /usr/lib/x86_64-linux-gnu /usr/local/nvidia/lib64 2>/dev/null | grep -i -E 'nvidia-(glcore|vulkan|eglcore)|GLX_nvidia|EGL_nvidia' | sort -u
  echo "== find nvidia_icd.json"; find / -xdev -name 'nvidia_icd*.json' 2>/dev/null
  echo "== probe (loader from libvulkan1, default ICD search)"; python bench/gpu/vulkan_probe.py
  echo "== probe (VK_DRIVER_FILES)"; VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json python bench/gpu/vulkan_probe.py
  echo "== python packages"; python -m pip list 2>/dev/null | grep -i -E '^(torch|transformers|peft|accelerate|trl|onnxruntime|onnx|wgpu)'
  echo "== node"; command -v node || echo "no node"
} > "$OUT/probe.txt" 2>&1
GPUS=$(nvidia-smi -L | wc -l)
while [ $# -ge 2 ]; do
  JOB=$(cd "$1" && pwd); BASE=$(cd "$2" && pwd); shift 2
  DEST="$OUT/$(basename "$JOB")"; mkdir -p "$DEST"
  cd "$JOB"
  python train_peft.py --base "$BASE" --output /tmp/adapter-$$ --log "$DEST/gpu_fp32.jsonl" > "$DEST/gpu_fp32.txt" 2>&1
  echo "exit $?" >> "$DEST/gpu_fp32.txt"
  [ -d /tmp/adapter-$$ ] && tar czf "$DEST/adapter.tgz" -C /tmp/adapter-$$ . && rm -rf /tmp/adapter-$$
  accelerate launch --config_file accelerate/single_gpu.yaml --num_processes 1 train_peft.py --base "$BASE" --no-save \
    --max-steps 100 --log "$DEST/accelerate_1gpu.jsonl" > "$DEST/accelerate_1gpu.txt" 2>&1
  echo "exit $?" >> "$DEST/accelerate_1gpu.txt"
  if [ "$GPUS" -ge 2 ]; then
    accelerate launch --config_file accelerate/multi_gpu.yaml --num_processes "$GPUS" train_peft.py --base "$BASE" \
      --no-save --max-steps 100 --log "$DEST/accelerate_${GPUS}gpu.jsonl" > "$DEST/accelerate_${GPUS}gpu.txt" 2>&1
    echo "exit $?" >> "$DEST/accelerate_${GPUS}gpu.txt"
  fi
  python train_peft.py --base "$BASE" --dtype bfloat16 --no-save --max-steps 100 > "$DEST/gpu_bf16.txt" 2>&1
  echo "exit $?" >> "$DEST/gpu_bf16.txt"
  cd "$ROOT"
done
