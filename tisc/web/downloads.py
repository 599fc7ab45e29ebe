"""File downloads: every file the service sends as an attachment goes out through download()."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import send_file
from werkzeug.wrappers import Response

from tisc.rules.file_names import ascii_file_name, safe_file_name

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

    Any name is safe, even one a browser uploaded or one stored before names were cleaned:
    control characters (a CR/LF would end the header), double quotes and path separators are
    taken out first. The header is RFC 6266's: a plain ASCII `filename` for old browsers and,
    when the name is not ASCII (a body called Ynys Môn), its UTF-8 spelling as `filename*`.
    The type follows the name's extension unless `mimetype` is given; `etag` lets a browser
    that already has this exact file skip downloading it again.
    """
    body = data.encode("utf-8") if isinstance(data, str) else data
    name = safe_file_name(filename)
    plain = ascii_file_name(name)
    extension = name.rpartition(".")[2].lower()
    response = send_file(
        io.BytesIO(body),
        mimetype=mimetype or MIMETYPES.get(extension, "application/octet-stream"),
        as_attachment=True,
        download_name=plain,
        etag=etag if etag is not None else False,
    )
    names = {"filename": plain}
    if name != plain:
        # RFC 5987 attr-chars stay as they are; everything else is percent-encoded UTF-8.
        names["filename*"] = "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")
    response.headers.set("Content-Disposition", "attachment", **names)
    return response
