#!/bin/bash
# On a GPU machine (no network, no Node): runs an exported job folder ($1) of the demo model with transformers + PEFT
# on one GPU (float32, then accelerate launch with 1 process, then bf16 for speed), and probes Vulkan for WebGPU.
# Writes its logs and the trained adapter (adapter.tgz) under $OUT. Repo root as working directory.
set -u
JOB=$1
BASE=$PWD/resources/models/dovetail-wordnet-13m
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
cd "$JOB"
python train_peft.py --base "$BASE" --output /tmp/adapter --log "$OUT/gpu_fp32.jsonl" > "$OUT/gpu_fp32.txt" 2>&1
echo "exit $?" >> "$OUT/gpu_fp32.txt"
accelerate launch --config_file accelerate/single_gpu.yaml --num_processes 1 train_peft.py --base "$BASE" --no-save \
  --max-steps 100 > "$OUT/accelerate_1gpu.txt" 2>&1
echo "exit $?" >> "$OUT/accelerate_1gpu.txt"
python train_peft.py --base "$BASE" --dtype bfloat16 --no-save --max-steps 100 > "$OUT/gpu_bf16.txt" 2>&1
echo "exit $?" >> "$OUT/gpu_bf16.txt"
[ -d /tmp/adapter ] && tar czf "$OUT/adapter.tgz" -C /tmp adapter
