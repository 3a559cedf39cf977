"""Plain-English renderings of WordNet synsets, used by build_corpus.py: definitions, examples, synonyms and
relations as sentences, dictionary entries, and instruction-style chats in the ChatML format.

Every choice goes through the `rng` passed in, so a fixed seed gives the same text on every machine.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "wordnet"))
from wndb import POS_NAMES, Synset, WordNet, display  # noqa: E402

IM_START, IM_END, EOT = "<|im_start|>", "<|im_end|>", "<|endoftext|>"

SYSTEM_PROMPTS = [
    "You are a helpful assistant.",
    "You are a concise dictionary assistant.",
    "Answer briefly.",
    "You are a helpful assistant. Keep answers short.",
    "You answer questions about English words.",
]


def render_chat(messages: list[dict]) -> str:
    """Same text as the chat_template in tokenizer_config.json (checked by verify_hf.py)."""
    return "".join(f"{IM_START}{m['role']}\n{m['content']}{IM_END}\n" for m in messages)


def article(word: str) -> str:
    if not word or word[0].isupper() or word[0].isdigit():
        return ""
    return "an " if word[0].lower() in "aeiou" else "a "


def a(word: str) -> str:
    return article(word) + word


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def end(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?" else text + "."


def join_list(items: list[str], conj: str = "and") -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


class Renderer:
    def __init__(self, wn: WordNet):
        self.wn = wn

    def name(self, s: Synset) -> str:
        return display(s.words[0])

    def target(self, s: Synset, symbol: str) -> list[Synset]:
        return [self.wn.get(p.pos, p.offset) for p in s.pointers if p.symbol == symbol]

    def word_pairs(self, s: Synset, symbol: str) -> list[tuple[str, str]]:
        """Pointers between specific words (antonyms, pertainyms, derivations)."""
        out = []
        for p in s.pointers:
            if p.symbol != symbol:
                continue
            t = self.wn.get(p.pos, p.offset)
            w = s.words[p.source - 1] if p.source else s.words[0]
            tw = t.words[p.target - 1] if p.target else t.words[0]
            out.append((display(w), display(tw)))
        return out

    def derived(self, s: Synset) -> list[tuple[str, str, str]]:
        """Derivationally related forms: (word here, word there, part of speech there)."""
        out = []
        for p in s.pointers:
            if p.symbol == "+":
                t = self.wn.get(p.pos, p.offset)
                w = s.words[p.source - 1] if p.source else s.words[0]
                tw = t.words[p.target - 1] if p.target else t.words[0]
                out.append((display(w), display(tw), POS_NAMES[t.pos]))
        return out

    # ---- definitions -------------------------------------------------------------------------------
    def definition_sentence(self, s: Synset, rng: random.Random, word: str | None = None) -> str:
        w = word or self.name(s)
        d = s.definition
        if s.pos == "n":
            forms = [f"{cap(w)}: {d}", f"{cap(a(w))} is {d}", f"The word \"{w}\" means {d}",
                     f"{w} (noun) - {d}"]
        elif s.pos == "v":
            forms = [f"To {w} is to {d}", f"{w} (verb): {d}", f"The verb \"{w}\" means to {d}",
                     f"To {w} means to {d}"]
        elif s.pos in "as":
            forms = [f"{w} (adjective): {d}", f"\"{cap(w)}\" means {d}", f"The adjective \"{w}\" means {d}"]
        else:
            forms = [f"{w} (adverb): {d}", f"\"{cap(w)}\" means {d}", f"The adverb \"{w}\" means {d}"]
        return end(rng.choice(forms))

    def example_sentences(self, s: Synset, rng: random.Random) -> list[str]:
        out = []
        for ex in s.examples:
            form = rng.choice(["{e}", "For example: {e}", "Example: \"{e}\"", "As in \"{e}\""])
            out.append(end(form.format(e=ex)))
        return out

    # ---- relations as sentences --------------------------------------------------------------------
    def relation_sentences(self, s: Synset, rng: random.Random) -> list[str]:
        w = self.name(s)
        out = []
        others = [display(x) for x in s.words[1:]]
        if others:
            out.append(rng.choice([
                f"{cap(w)} is also called {join_list(others, 'or')}.",
                f"Synonyms of {w}: {', '.join(others)}.",
                f"{cap(join_list([w] + others))} mean the same thing.",
            ]))
        hyper = [self.name(t) for t in self.target(s, "@")]
        for h in hyper[:2]:
            if s.pos == "v":
                out.append(rng.choice([f"To {w} is one way to {h}.", f"{cap(w)} is a way to {h}."]))
            else:
                out.append(rng.choice([f"{cap(a(w))} is a kind of {h}.", f"{cap(w)} is a type of {h}."]))
        for h in [self.name(t) for t in self.target(s, "@i")][:2]:
            out.append(rng.choice([f"{cap(w)} is {a(h)}.", f"{cap(w)} is an instance of {h}."]))
        lists = [
            ("~", [f"Kinds of {w} include {{L}}.", f"Examples of {w}: {{L}}."] if s.pos != "v"
             else [f"Ways to {w} include {{L}}.", f"To {{L}} are ways to {w}."]),
            ("~i", [f"Examples of {w} include {{L}}."]),
            ("%m", [f"Members of {w} include {{L}}."]),
            ("%p", [f"Parts of {a(w)} include {{L}}.", f"{cap(a(w))} has parts such as {{L}}."]),
            ("%s", [f"{cap(w)} is made of {{L}}."]),
            ("-c", [f"Terms used in {w} include {{L}}."]),
        ]
        for symbol, forms in lists:
            names = [self.name(t) for t in self.target(s, symbol)]
            if names:
                rng.shuffle(names)
                out.append(rng.choice(forms).replace("{L}", join_list(names[:5])))
        singles = {
            "#m": [f"{cap(a(w))} is a member of {{T}}."],
            "#p": [f"{cap(a(w))} is part of {{aT}}.", f"{cap(w)} is a part of {{T}}."],
            "#s": [f"{cap(w)} is a substance found in {{T}}."],
            "&": [f"{cap(w)} is similar to {{T}}."],
            "*": [f"{cap(w)} entails {{T}}.", f"To {w}, you must {{T}}."],
            ">": [f"{cap(w)} causes {{T}}."],
            "^": [f"See also: {{T}}."],
            "$": [f"{cap(w)} is close in meaning to {{T}}."],
            ";c": [f"{cap(w)} is a term used in {{T}}.", f"{cap(w)} belongs to the field of {{T}}."],
            ";r": [f"The word \"{w}\" is used in {{T}}."],
            ";u": [f"The word \"{w}\" is marked as {{T}}."],
            "=": [f"{cap(w)} is related to the attribute {{T}}."] if s.pos != "n"
            else [f"{{T}} is a value of {w}."],
        }
        for symbol, forms in singles.items():
            for t in self.target(s, symbol)[:2]:
                tn = self.name(t)
                out.append(rng.choice(forms).replace("{aT}", a(tn)).replace("{T}", tn))
        for x, y in self.word_pairs(s, "!")[:2]:
            out.append(rng.choice([f"The opposite of {x} is {y}.", f"{cap(x)} is the opposite of {y}.",
                                   f"{cap(x)} and {y} are antonyms."]))
        for x, y in self.word_pairs(s, "\\")[:1]:
            out.append(f"{cap(x)} means relating to {y}." if s.pos in "as" else f"{cap(x)} comes from {y}.")
        for x, y in self.word_pairs(s, "<")[:1]:
            out.append(f"{cap(x)} comes from the verb {y}.")
        derived = self.derived(s)
        if derived:
            x, y, tpos = rng.choice(derived)
            if x.lower() == y.lower():
                out.append(f"{cap(x)} can also be {a(tpos)}.")
            else:
                out.append(rng.choice([f"{cap(x)} and {y} are related words.",
                                       f"{cap(x)} is related to the {tpos} {y}."]))
        return out

    # ---- documents ---------------------------------------------------------------------------------
    def synset_doc(self, s: Synset, rng: random.Random) -> str:
        first = self.definition_sentence(s, rng)
        rest = self.example_sentences(s, rng) + self.relation_sentences(s, rng)
        rng.shuffle(rest)
        sep = rng.choice([" ", " ", "\n"])
        return sep.join([first] + rest)

    def entry_doc(self, lemma: str, keys: list[str], rng: random.Random) -> str:
        """A dictionary entry: one lemma, its senses in index order (all parts of speech)."""
        lines = [display(lemma)]
        for i, k in enumerate(keys[:8], 1):
            s = self.wn.synsets[k]
            lines.append(f"{i}. ({POS_NAMES[s.pos]}) {end(s.definition)}")
        return "\n".join(lines)

    # ---- chats -------------------------------------------------------------------------------------
    def chat_turns(self, s: Synset, rng: random.Random, all_keys: list[str]) -> list[tuple[str, str]]:
        """Candidate (question, answer) pairs about one synset."""
        w = self.name(s)
        pos = POS_NAMES[s.pos]
        qa = []
        d = s.definition
        q = rng.choice([f"What does {w} mean?", f"Define {w}.", f"What is the meaning of the word \"{w}\"?",
                        f"Explain the word {w}.", f"What does the {pos} \"{w}\" mean?", f"define {w}"])
        qa.append((q, self.definition_sentence(s, rng)))
        words = list(dict.fromkeys(display(x) for x in s.words))
        if len(words) > 1:
            subject = rng.choice(words)  # any lemma of the synset, not only the first
            syn = rng.choice([x for x in words if x != subject])
            q = rng.choice([f"Give a synonym of {subject}.", f"What is another word for {subject}?",
                            f"Name a synonym for {subject}.", f"synonym of {subject}?"])
            qa.append((q, rng.choice([f"{cap(syn)}.", f"Another word for {subject} is {syn}."])))
        hyper = [self.name(t) for t in self.target(s, "@")]
        if hyper and s.pos == "n":
            q = rng.choice([f"What kind of thing is {a(w)}?", f"{cap(a(w))} is a kind of what?",
                            f"What is {a(w)} a type of?"])
            qa.append((q, f"{cap(a(w))} is a kind of {hyper[0]}."))
            q = rng.choice([f"Answer with one word or phrase. What is {a(w)} a kind of?",
                            f"In a few words: what category does {w} belong to?"])
            qa.append((q, f"{hyper[0]}"))
            # pick the right member among distractors: needs the relation, not just the surface form
            distract = [self.name(self.wn.synsets[k]) for k in rng.sample(all_keys, 2)]
            options = [w] + distract
            rng.shuffle(options)
            q = f"Which of these is a kind of {hyper[0]}: {join_list(options, 'or')}?"
            qa.append((q, f"{cap(w)}."))
        hypo = [self.name(t) for t in self.target(s, "~")]
        if hypo and s.pos == "n":
            q = rng.choice([f"Name a kind of {w}.", f"Give an example of {a(w)}."])
            h = rng.choice(hypo)
            qa.append((q, rng.choice([f"{cap(h)}.", f"One kind of {w} is {h}."])))
        antonyms = self.word_pairs(s, "!")
        for x, y in [rng.choice(antonyms)] if antonyms else []:
            q = rng.choice([f"What is the opposite of {x}?", f"Give an antonym of {x}.", f"opposite of {x}?"])
            qa.append((q, rng.choice([f"The opposite of {x} is {y}.", f"{cap(y)}."])))
        examples = [e for e in s.examples if w.lower() in e.lower()]
        if examples:
            q = rng.choice([f"Use {w} in a sentence.", f"Give an example sentence with the word {w}."])
            qa.append((q, end(cap(rng.choice(examples)))))
        senses = [p for p in "nvar" if s.words[0].lower() in self.wn.index[p]]
        if senses:
            names = [POS_NAMES[p] for p in senses]
            q = rng.choice([f"What part of speech is {w}?", f"Is {w} a noun, a verb, an adjective or an adverb?"])
            ans = f"{cap(w)} is {a(names[0])}." if len(names) == 1 else \
                f"{cap(w)} can be {join_list([a(n) for n in names], 'or')}."
            qa.append((q, ans))
        q = rng.choice([f"Return a JSON object with the word, its part of speech and its meaning: {w}",
                        f"Answer in JSON with the keys word, pos and definition. Word: {w}"])
        qa.append((q, json.dumps({"word": w, "pos": pos, "definition": d}, ensure_ascii=False)))
        return qa

    def chat_doc(self, s: Synset, rng: random.Random, all_keys: list[str]) -> str:
        qa = self.chat_turns(s, rng, all_keys)
        rng.shuffle(qa)
        turns = qa[:rng.choice([1, 1, 1, 2, 3])]
        messages = []
        if rng.random() < 0.3:
            messages.append({"role": "system", "content": rng.choice(SYSTEM_PROMPTS)})
        for q, ans in turns:
            messages.append({"role": "user", "content": q})
            messages.append({"role": "assistant", "content": ans})
        return render_chat(messages)
