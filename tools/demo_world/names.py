"""Names for the demo world's entities, spelled consistently in English and Chinese.

Place and brand names are a few transliteration syllables (``Velmora`` / ``维莫拉``), so a
Chinese name is two or three characters: the demo tokenizer gives each Hanzi its own token,
and a name then stays at most three tokens long.  People are named in the style of their
country: ``Lin Xiaoyu`` / ``林晓雨``, or ``Danielle Varo`` / ``瓦罗`` (surname only, as a
Chinese newspaper would write it).
"""

from __future__ import annotations

import random

from tools.demo_world.vocabulary import (
    DEVICES,
    GIVEN_CHARS_CHINESE,
    GIVEN_NAMES_WESTERN,
    SURNAMES_CHINESE,
    SYLLABLES,
    Term,
)

_VOWELS = set("aeiou")


class NameFactory:
    """Draws names that are unique in both languages across everything it has named.

    One factory serves a whole world so that no two entities share an English or a Chinese
    name; ``reserve`` blocks names that must not be reused (the world's names, when the
    training corpus invents throw-away entities for reading-comprehension examples).  With
    ``remember=False`` names avoid only the reserved ones and may repeat, so the factory can
    draw throw-away names forever.
    """

    def __init__(self, rng: random.Random, *, remember: bool = True) -> None:
        self._rng = rng
        self._remember = remember
        self._taken_en: set[str] = set()
        self._taken_zh: set[str] = set()

    def reserve(self, term: Term) -> None:
        self._taken_en.add(term.en.lower())
        self._taken_zh.add(term.zh)

    def _claim(self, term: Term) -> bool:
        if term.en.lower() in self._taken_en or term.zh in self._taken_zh:
            return False
        if self._remember:
            self.reserve(term)
        return True

    def _syllables(self, count: int, first: Term | None = None) -> list[Term]:
        parts = [first] if first is not None else []
        while len(parts) < count:
            candidate = self._rng.choice(SYLLABLES)
            if parts and parts[-1].en[-1] in _VOWELS and candidate.en[0] in _VOWELS:
                continue  # "Moa…" reads badly; keep syllables pronounceable
            if candidate in parts:
                continue
            parts.append(candidate)
        return parts

    def word(self, min_syllables: int = 2, max_syllables: int = 3, first: Term | None = None) -> Term:
        """A place or brand name such as ``Velmora`` / ``维莫拉``."""
        for _ in range(1000):
            parts = self._syllables(self._rng.randint(min_syllables, max_syllables), first)
            term = Term("".join(p.en for p in parts).capitalize(), "".join(p.zh for p in parts))
            if self._claim(term):
                return term
        raise RuntimeError("ran out of names; enlarge vocabulary.SYLLABLES")

    def country(self, first: Term) -> Term:
        """A country: a two-syllable root plus ``-ia`` / ``亚`` (``Kelnia`` / ``凯诺亚``)."""
        for _ in range(1000):
            root = self._syllables(2, first)
            stem = "".join(p.en for p in root)
            en = (stem[:-1] if stem[-1] in _VOWELS else stem) + "ia"
            term = Term(en.capitalize(), "".join(p.zh for p in root) + "亚")
            if self._claim(term):
                return term
        raise RuntimeError("ran out of country names")

    def river(self) -> Term:
        for _ in range(1000):
            root = self._syllables(2)
            term = Term("".join(p.en for p in root).capitalize() + " River", "".join(p.zh for p in root) + "河")
            if self._claim(term):
                return term
        raise RuntimeError("ran out of river names")

    def invention(self) -> Term:
        for _ in range(1000):
            root = self._syllables(2)
            device = self._rng.choice(DEVICES)
            brand = Term("".join(p.en for p in root).capitalize(), "".join(p.zh for p in root))
            term = Term(f"{brand.en} {device.en}", brand.zh + device.zh)
            if self._claim(term):
                return term
        raise RuntimeError("ran out of invention names")

    def person(self, style: str) -> Term:
        """``style`` is ``"chinese"`` (``Lin Xiaoyu`` / ``林晓雨``) or ``"western"``."""
        for _ in range(1000):
            if style == "chinese":
                surname = self._rng.choice(SURNAMES_CHINESE)
                given = self._rng.sample(GIVEN_CHARS_CHINESE, self._rng.choice((1, 2)))
                term = Term(
                    f"{surname.en} {''.join(g.en for g in given).capitalize()}",
                    surname.zh + "".join(g.zh for g in given),
                )
            else:
                surname = self._syllables(self._rng.choice((2, 2, 3)))
                term = Term(
                    f"{self._rng.choice(GIVEN_NAMES_WESTERN)} {''.join(p.en for p in surname).capitalize()}",
                    "".join(p.zh for p in surname),
                )
            if self._claim(term):
                return term
        raise RuntimeError("ran out of person names")
