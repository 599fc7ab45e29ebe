"""File downloads: every file the service sends as an attachment goes out through download()."""

from __future__ import annotations

import io

from flask import send_file
from werkzeug.wrappers import Response

MIMETYPES = {
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "toml": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(
    data: bytes | str, filename: str, *, mimetype: str | None = None, etag: str | None = None
) -> Response:
    """`data` (text is sent as UTF-8) as an attachment called `filename`.

    Any name is safe: Werkzeug quotes what needs quoting and gives a name that is not ASCII
    (a body called Ynys Môn) as RFC 6266's filename* with a plain ASCII filename beside it.
    The type follows the name's extension unless `mimetype` is given; `etag` lets a browser
    that already has this exact file skip downloading it again.
    """
    body = data.encode("utf-8") if isinstance(data, str) else data
    extension = filename.rpartition(".")[2].lower()
    return send_file(
        io.BytesIO(body),
        mimetype=mimetype or MIMETYPES.get(extension, "application/octet-stream"),
        as_attachment=True,
        download_name=filename,
        etag=etag if etag is not None else False,
    )
