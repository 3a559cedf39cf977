"""Reads and writes safetensors files (and a sharded model.safetensors.index.json) with json + torch only: the one
safetensors helper of the PyTorch references (tools/reference) and the demo-model pipeline (tools/demo-model).

Written by hand because Debian's python has no `safetensors` module, and the scripts must run there; the format is
an 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then raw bytes.
"""
from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}
INDEX = "model.safetensors.index.json"


def natural_key(name: str) -> list:
    """model.layers.10 sorts after model.layers.9."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def write_file(path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> None:
    header: dict = {"__metadata__": metadata or {"format": "pt"}}
    blobs, pos = [], 0
    for name in sorted(tensors, key=natural_key):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.view(torch.uint8).numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [pos, pos + len(raw)]}
        blobs.append(raw)
        pos += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)  # the data starts 8-byte aligned, as the reference writer does
    tmp = Path(str(path) + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(struct.pack("<Q", len(h)))
        fh.write(h)
        for b in blobs:
            fh.write(b)
    tmp.replace(path)


def read_header(path: Path) -> tuple[dict, int]:
    with open(path, "rb") as fh:
        (n,) = struct.unpack("<Q", fh.read(8))
        return json.loads(fh.read(n)), 8 + n


def read_file(path: Path) -> dict[str, torch.Tensor]:
    """Every tensor as a view into one buffer read once (no second copy, so a benchmark's peak RSS counts it once)."""
    header, start = read_header(path)
    buf = bytearray(Path(path).stat().st_size)
    with open(path, "rb") as fh:
        fh.readinto(buf)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        count = (e - b) // torch.empty(0, dtype=dtype).element_size()
        t = torch.frombuffer(buf, dtype=dtype, count=count, offset=start + b) if count else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"])
    return out


def save_sharded(folder: Path, tensors: dict[str, torch.Tensor], max_shard_bytes: int) -> list[str]:
    """Writes model.safetensors, or model-0000i-of-0000n.safetensors + the index when one file would be too big."""
    names = sorted(tensors, key=natural_key)
    sizes = {n: tensors[n].numel() * tensors[n].element_size() for n in names}
    total = sum(sizes.values())
    shards: list[list[str]] = [[]]
    used = 0
    for n in names:
        if shards[-1] and used + sizes[n] > max_shard_bytes:
            shards.append([])
            used = 0
        shards[-1].append(n)
        used += sizes[n]
    folder.mkdir(parents=True, exist_ok=True)
    if len(shards) == 1:
        write_file(folder / "model.safetensors", tensors)
        return ["model.safetensors"]
    files, weight_map = [], {}
    for i, group in enumerate(shards, 1):
        fname = f"model-{i:05d}-of-{len(shards):05d}.safetensors"
        write_file(folder / fname, {n: tensors[n] for n in group})
        files.append(fname)
        weight_map.update({n: fname for n in group})
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (folder / INDEX).write_text(json.dumps(index, indent=2) + "\n")
    return files + [INDEX]


def load_folder(folder: Path) -> dict[str, torch.Tensor]:
    folder = Path(folder)
    if (folder / INDEX).exists():
        index = json.loads((folder / INDEX).read_text())
        out = {}
        for fname in sorted(set(index["weight_map"].values())):
            out.update(read_file(folder / fname))
        return out
    return read_file(folder / "model.safetensors")
