"""Compares the loss curve of an exported job run elsewhere (train_peft.py --log JSONL) with Dovetail's own run of
the same job (the progress lines `roundtrip.ts train` prints: "Training: N/TOTAL loss X val Y", 3 decimals): the
first steps, and the whole curve in windows of 25 steps (mean loss per window, their difference). The step-0 loss is
compared exactly by the script itself (job.json holds Dovetail's). Standard library only.

  python tools/job-export/curves.py GPU.jsonl DOVETAIL.log
"""
import json
import re
import sys


def main(gpu_path: str, dovetail_path: str) -> None:
    gpu = {}
    gpu_val = {}
    for line in open(gpu_path):
        row = json.loads(line)
        if "loss" in row:
            gpu[row["step"]] = row["loss"]
        elif "validation_loss" in row:
            gpu_val[row["step"]] = row["validation_loss"]
    local = {}
    local_val = {}
    # Both number steps from 1, each the loss of that step's batch before its update.
    for m in re.finditer(r"Training: (\d+)/\d+ loss ([\d.]+) val ([\d.]+|-)", open(dovetail_path).read()):
        local[int(m[1])] = float(m[2])
        if m[3] != "-":
            local_val[int(m[1])] = float(m[3])
    steps = sorted(set(gpu) & set(local))
    print(f"steps compared: {len(steps)} ({steps[0]}..{steps[-1]})")
    for s in steps[:3]:
        print(f"  step {s}: here {local[s]:.7f}  there {gpu[s]:.7f}  relative {abs(local[s] - gpu[s]) / abs(gpu[s]):.2e}")
    width = 25
    print(f"  windows of {width} steps: mean loss here | there | difference")
    for start in range(steps[0], steps[-1] + 1, width):
        window = [s for s in steps if start <= s < start + width]
        if not window:
            continue
        a = sum(local[s] for s in window) / len(window)
        b = sum(gpu[s] for s in window) / len(window)
        print(f"    {window[0]:>4}-{window[-1]:<4} {a:.4f} | {b:.4f} | {a - b:+.4f}")
    for s in sorted(set(gpu_val) & set(local_val)):
        print(f"  validation at step {s}: here {local_val[s]:.4f}  there {gpu_val[s]:.4f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
