"""Name the globals a pickle asks for, without unpickling it: to say why a file was refused.

torch's weights-only loader refuses any global it does not know, but its message does
not always name it (a bare protocol-4 pickle fails on the FRAME opcode first). Reading
the opcodes with pickletools executes nothing, so it is safe on a hostile file.
"""
from __future__ import annotations

import io
import pickletools
import zipfile
from pathlib import Path

# what torch.save itself writes into a checkpoint of plain parts
PLAIN_PREFIXES = ("torch.", "collections.OrderedDict", "_codecs.encode", "builtins.set", "builtins.frozenset")
STRING_OPS = {"SHORT_BINUNICODE", "BINUNICODE", "UNICODE", "BINUNICODE8", "SHORT_BINSTRING", "BINSTRING", "STRING"}


def pickles_in(source: Path | bytes) -> list[bytes]:
    """The pickle streams of a torch file (a path, or its bytes): data.pkl inside torch's zip format, else the file itself."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(name) for name in archive.namelist() if name.endswith(".pkl")]
    return [data]


def globals_asked(stream: bytes) -> list[str]:
    """`module.name` of every GLOBAL / STACK_GLOBAL in one pickle stream, in order."""
    found, strings = [], []
    try:
        for opcode, argument, _ in pickletools.genops(stream):
            if opcode.name == "GLOBAL":
                found.append(str(argument).replace(" ", "."))
            elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
                found.append(f"{strings[-2]}.{strings[-1]}")
            elif opcode.name in STRING_OPS:
                strings.append(argument if isinstance(argument, str) else str(argument))
    except Exception:  # a truncated or garbled stream: report what was read before it
        pass
    return found


def code_globals(path: Path | bytes) -> list[str]:
    """Globals in the file that are not the plain parts torch.save writes: a request to run code."""
    try:
        streams = pickles_in(path)
    except (OSError, zipfile.BadZipFile):
        return []
    asked = [name for stream in streams for name in globals_asked(stream)]
    return [name for name in dict.fromkeys(asked) if not name.startswith(PLAIN_PREFIXES)]
