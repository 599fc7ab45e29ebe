"""The limited process that fills an uploaded Word template in: `python -m` this module.

It reads a pickled request from stdin (the template, a context of plain data, a title, its
keywords and its limits), sets the limits on memory and CPU, fills the template in
(tisc.documents.docx_render) and writes "OK\\n" and the document, or "ER\\n" and a plain
message naming the tag at fault. It imports only what filling in needs, so that it starts in a
fraction of a second: the parent (tisc.services.statements.templates) starts one for every
uploaded template filled in.
"""

from __future__ import annotations

import pickle
import sys

from tisc.documents.docx_render import fill_docx
from tisc.documents.template_errors import MEMORY, describe_render_error


def _limit(*, memory_mb: int, cpu_seconds: int) -> None:
    try:
        import resource  # POSIX only; on Windows the parent's timeout is the only limit
    except ImportError:
        return
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main() -> int:
    """Read a request from stdin, fill the template in, write "OK\\n"+docx or "ER\\n"+why."""
    # The request was pickled by our own parent process, never by a user.
    request = pickle.loads(sys.stdin.buffer.read())  # noqa: S301
    answer_to = sys.stdout.buffer
    sys.stdout = sys.stderr  # only the answer reaches the parent's pipe
    _limit(memory_mb=request["memory_mb"], cpu_seconds=request["cpu_seconds"])
    try:
        answer = b"OK\n" + fill_docx(
            template=request["template"],
            context=request["context"],
            title=request["title"],
            keywords=request["keywords"],
            pictures=request.get("pictures"),
        )
    except MemoryError:
        answer = b"ER\n" + MEMORY.encode()
    except Exception as error:
        try:
            answer = b"ER\n" + describe_render_error(error, request["template"]).encode()
        except MemoryError:
            answer = b"ER\n" + MEMORY.encode()
    answer_to.write(answer)
    answer_to.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
