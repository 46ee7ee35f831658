"""jieba's segmenter with its dictionary read one first character at a time.

jieba keeps its prefix dictionary (349 k words and every prefix of them: 498 k keys) in one
dict, unmarshalled from a cache file on first use: 0.55 s on two cores, as long as a whole
English ``rag query`` process takes for everything else.  A ten-character question needs a
few hundred of those keys.

Every key jieba looks up while it segments a text is a substring of that text: the DAG and
the route slice the sentence, the HMM fallback asks about a run of it, and search mode about
its 2- and 3-grams.  So the keys that begin with a character the text lacks are never asked
for, and the keys that begin with one it holds give the same answers as the whole dictionary.
:class:`ShardedJieba` writes the dictionary once as one shard per first character, and before
jieba segments a text it adds to jieba's own ``FREQ`` the shards of the characters not seen
yet: the tokens are jieba's, computed by jieba's code over the same entries, and a question
reads a few kilobytes instead of 9 MB (an ingest reads them all, as jieba would).

The file lives in the app's data folder, named for the jieba version and dictionary size so
two installs with different jieba versions never overwrite each other's file; it is written
to a temporary name and renamed, so a reader never sees half of it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT = 1
"""Bumped when the file's layout changes: it is part of the file name."""

_LENGTH_BYTES = 8
"""The file starts with the length of its header, then the header, then the shards."""

Index = dict[str, tuple[int, int]]
"""First character → (offset after the header, length) of its marshalled shard."""


class ShardedJieba:
    """jieba's search-mode ``tokenize`` over a dictionary loaded as texts need it."""

    def __init__(self, folder: Path) -> None:
        import jieba

        self.tokenizer: Any = jieba.Tokenizer()  # jieba ships no types
        """jieba's own segmenter; its ``FREQ`` holds the entries read so far."""
        dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
        self.path = folder / f"jieba-{jieba.__version__}-{dictionary.stat().st_size}-v{FORMAT}.shards"
        self._lock = threading.Lock()
        self._unread: set[str] = set()
        """First characters whose shard is in the file but not yet in ``FREQ``."""
        self._index: Index = {}
        self._data_start = 0
        try:
            total = self._open()
        except (OSError, EOFError, ValueError, TypeError):  # missing, or not one this code wrote
            total = self._build()
        self.tokenizer.total = total
        self.tokenizer.initialized = True  # FREQ is filled here, never from jieba's own cache

    def tokenize(self, text: str) -> Iterator[tuple[str, int, int]]:
        """``jieba.tokenize(text, mode="search")``: words and the dictionary words inside them."""
        self.load(text)
        return self.tokenizer.tokenize(text, mode="search")

    def load(self, text: str) -> None:
        """Add the shards of ``text``'s characters to the dictionary, if not there yet."""
        with self._lock:
            missing = self._unread.intersection(text)
            if not missing:
                return
            try:
                shards = self._read(missing)
            except (OSError, EOFError, ValueError, TypeError):  # the file went away under us
                self.tokenizer.total = self._build()
                return
            for shard in shards:
                self.tokenizer.FREQ.update(shard)
            self._unread -= missing

    def _open(self) -> int:
        """Read the file's header: the total frequency and where each shard is."""
        with self.path.open("rb") as file:
            length = int.from_bytes(file.read(_LENGTH_BYTES), "little")
            total, self._index = marshal.loads(file.read(length))
        self._data_start = _LENGTH_BYTES + length
        self.tokenizer.FREQ = {}
        self._unread = set(self._index)
        return int(total)

    def _read(self, chars: set[str]) -> list[dict[str, int]]:
        with self.path.open("rb") as file:
            shards = []
            for char in chars:
                offset, length = self._index[char]
                file.seek(self._data_start + offset)
                shards.append(marshal.loads(file.read(length)))
            return shards

    def _build(self) -> int:
        """Build the whole prefix dictionary with jieba's own code, keep it, and write the file.

        Once per install, about a second; a folder that cannot be written only costs this
        process's speed (the next one builds again)."""
        freq, total = self.tokenizer.gen_pfdict(self.tokenizer.get_dict_file())
        self.tokenizer.FREQ = freq
        self._unread = set()
        with contextlib.suppress(OSError):
            _write(self.path, freq, total)
        return int(total)


def _write(path: Path, freq: dict[str, int], total: int) -> None:
    """Each shard marshalled on its own, so a reader unmarshals only the ones it needs."""
    by_char: dict[str, dict[str, int]] = {}
    for key, count in freq.items():
        by_char.setdefault(key[0], {})[key] = count
    blobs = {char: marshal.dumps(shard) for char, shard in by_char.items()}
    index: Index = {}
    offset = 0
    for char, blob in blobs.items():
        index[char] = (offset, len(blob))
        offset += len(blob)
    header = marshal.dumps((total, index))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(len(header).to_bytes(_LENGTH_BYTES, "little"))
            file.write(header)
            for blob in blobs.values():
                file.write(blob)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
