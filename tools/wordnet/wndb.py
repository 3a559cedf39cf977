"""Reader for the WordNet 3.0 database files (data.*, index.*), as described in wndb(5WN).

Plain python3, no packages: shared by the demo model's corpus builder (tools/demo-model) and the demo
dataset generators (tools/demo-datasets). It only reads; it never rewrites WordNet text.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

# Lexicographer files, numbered as in lexnames(5WN). The number is field 2 of each data line.
LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
    "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
    "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
    "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
    "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
    "verb.communication", "verb.competition", "verb.consumption", "verb.contact", "verb.creation",
    "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social", "verb.stative",
    "verb.weather", "adj.ppl",
]

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
POS_NAMES = {"n": "noun", "v": "verb", "a": "adjective", "s": "adjective", "r": "adverb"}

# SHA-256 of the Debian wordnet-base 1:3.0-37 files; a generator refuses other inputs, so that its output is
# byte-for-byte reproducible.
EXPECTED_SHA256 = {
    "data.noun": "fea17d2f9656611334eac790e5d69e47645fa180c4aa481fb4cd9b3520754ca2",
    "data.verb": "adcf43e35b581e8036d8b5a52d63d9cd3d3b4870b2720d3c03c799df44777bc2",
    "data.adj": "c89120dfc1f046ddff4a631bf9b7e9fa1a36b5e86565a23bf82dbe14f30b88a7",
    "data.adv": "444a63bf3955080ab7524f5079cfc07ff9bc682cb98bdb1db73b0fb9829f1139",
    "index.noun": "a490d99d93d017bf4822fe2f0ffa51fd73911ce271dc7535fade21f8814b5a04",
    "index.verb": "e2ac24816c3a8289dcb72aaa9cf8db81fdf25ec34d792bfc96ac5b7a20c8b4ae",
    "index.adj": "c9865d7b4d1f805bdef82ccdcea5282436e23083e6f6f1b33e716327c4eda810",
    "index.adv": "6f5465ed5758fe9c8a2f7ec17b1300f3aa875756c70ff7cba162f7e71bcf88ea",
}

_ADJ_MARKER = re.compile(r"\((a|p|ip)\)$")


@dataclass
class Pointer:
    symbol: str        # e.g. "@" hypernym, "~" hyponym, "!" antonym (wninput(5WN) lists them)
    offset: int
    pos: str           # n, v, a, s, r
    source: int        # 1-based word number in this synset, 0 = the whole synset
    target: int        # 1-based word number in the target synset, 0 = the whole synset


@dataclass
class Synset:
    offset: int
    pos: str           # n, v, a, s (satellite adjective), r
    lexname: str
    words: list[str]   # lemmas as written in WordNet, '_' for spaces, adjective markers removed
    pointers: list[Pointer]
    definition: str
    examples: list[str]
    gloss: str         # the raw gloss text after '|'
    frames: list[tuple[int, int]] = field(default_factory=list)  # (frame number, word number), verbs only

    @property
    def key(self) -> str:
        """Stable id: pos letter of the data file + offset (satellites live in data.adj)."""
        return f"{file_pos(self.pos)}{self.offset:08d}"


def file_pos(pos: str) -> str:
    return "a" if pos == "s" else pos


def split_gloss(gloss: str) -> tuple[str, list[str]]:
    """A gloss is a definition followed by quoted example sentences: 'def; "ex one"; "ex two"'."""
    quote = gloss.find('"')
    if quote < 0:
        return gloss.strip().rstrip(";").strip(), []
    definition = gloss[:quote].strip().rstrip(";").strip()
    examples = [e.strip() for e in re.findall(r'"([^"]+)"', gloss[quote:]) if e.strip()]
    return definition, examples


def parse_data_line(line: str) -> Synset:
    head, _, gloss = line.partition(" | ")
    if not _:
        head, gloss = line.rstrip(" \n|"), ""
    f = head.split()
    offset, lex_filenum, ss_type = int(f[0]), int(f[1]), f[2]
    w_cnt = int(f[3], 16)
    i = 4
    words = []
    for _ in range(w_cnt):
        words.append(_ADJ_MARKER.sub("", f[i]))
        i += 2  # word, lex_id
    p_cnt = int(f[i])
    i += 1
    pointers = []
    for _ in range(p_cnt):
        sym, off, pos, st = f[i], int(f[i + 1]), f[i + 2], f[i + 3]
        pointers.append(Pointer(sym, off, pos, int(st[:2], 16), int(st[2:], 16)))
        i += 4
    frames = []
    if ss_type == "v" and i < len(f):
        f_cnt = int(f[i])
        i += 1
        for _ in range(f_cnt):
            frames.append((int(f[i + 1]), int(f[i + 2], 16)))  # '+', f_num, w_num
            i += 3
    gloss = gloss.strip()
    definition, examples = split_gloss(gloss)
    return Synset(offset, ss_type, LEXNAMES[lex_filenum], words, pointers, definition, examples, gloss, frames)


class WordNet:
    """All synsets of the four data files, and each lemma's senses in index order (most frequent first)."""

    def __init__(self, root: str | Path, check_hashes: bool = False):
        self.root = Path(root)
        if check_hashes:
            verify_files(self.root)
        self.synsets: dict[str, Synset] = {}
        for pos, name in POS_FILES.items():
            with open(self.root / f"data.{name}", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("  "):
                        continue  # licence header
                    s = parse_data_line(line)
                    self.synsets[s.key] = s
        # lemma -> list of synset keys, per part of speech, in index order (sense 1 first)
        self.index: dict[str, dict[str, list[str]]] = {}
        # synsets that are a tagged (corpus-attested, hence common) sense of at least one of their lemmas
        self.tagged: set[str] = set()
        for pos, name in POS_FILES.items():
            senses: dict[str, list[str]] = {}
            with open(self.root / f"index.{name}", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("  "):
                        continue
                    f = line.split()
                    lemma, synset_cnt, p_cnt = f[0], int(f[2]), int(f[3])
                    tagsense_cnt = int(f[4 + p_cnt + 1])
                    offsets = f[4 + p_cnt + 2:]
                    assert len(offsets) == synset_cnt, line
                    senses[lemma] = [f"{pos}{int(o):08d}" for o in offsets]
                    self.tagged.update(senses[lemma][:tagsense_cnt])  # tagged senses come first
            self.index[pos] = senses

    def get(self, pos: str, offset: int) -> Synset:
        return self.synsets[f"{file_pos(pos)}{offset:08d}"]

    def in_order(self) -> list[Synset]:
        """Synsets in a fixed order (data file, then offset)."""
        return [self.synsets[k] for k in sorted(self.synsets)]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify_files(root: Path) -> None:
    for name, want in EXPECTED_SHA256.items():
        path = Path(root) / name
        if not path.exists():
            raise SystemExit(f"{path}: missing. Install WordNet 3.0 (Debian: apt-get install wordnet-base) "
                             f"or pass --wordnet with the folder holding data.* and index.*")
        if want is not None and sha256_file(path) != want:
            raise SystemExit(f"{path}: not the WordNet 3.0 file this generator was written for "
                             f"(sha256 differs from {want}); output would not be reproducible")


def display(lemma: str) -> str:
    """WordNet writes multiword lemmas with underscores."""
    return lemma.replace("_", " ")


def stable_hash(text: str) -> int:
    """A hash that is the same on every run and machine (Python's hash() is salted)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
