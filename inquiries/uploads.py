"""Checks on uploaded attachments: size, and the real content type read from the file's bytes.

The name's extension must agree with what the bytes are, so a renamed program or script never gets
in as a "PDF". Office documents (docx/xlsx/pptx) are zip files that must hold [Content_Types].xml
and their application's part; legacy doc/xls/ppt have the OLE header.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A zip bomb: an Office file whose parts unpack to far more than any real document. Read from the
# zip's directory, so nothing is unpacked to find out.
OOXML_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
OOXML_MAX_COMPRESSION_RATIO = 250

# extension → (content type, kind of check)
ALLOWED = {
    ".pdf": ("application/pdf", "pdf"),
    ".png": ("image/png", "png"),
    ".jpg": ("image/jpeg", "jpeg"),
    ".jpeg": ("image/jpeg", "jpeg"),
    ".gif": ("image/gif", "gif"),
    ".webp": ("image/webp", "webp"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml:word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml:ppt/"),
    ".doc": ("application/msword", "ole"),
    ".xls": ("application/vnd.ms-excel", "ole"),
    ".ppt": ("application/vnd.ms-powerpoint", "ole"),
}


def _head_matches(kind: str, head: bytes) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if kind == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if kind == "ole":
        return head.startswith(OLE)
    return False


def _ooxml_infos(upload: UploadedFile) -> list[zipfile.ZipInfo] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _ooxml_matches(infos: list[zipfile.ZipInfo] | None, part: str) -> bool:
    names = [info.filename for info in infos or []]
    return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)


def _is_zip_bomb(infos: list[zipfile.ZipInfo]) -> bool:
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    return total > OOXML_MAX_UNCOMPRESSED_BYTES or total / packed > OOXML_MAX_COMPRESSION_RATIO


def check_upload(upload: UploadedFile) -> str:
    """Return the file's real content type, or raise ValidationError with a message for the user."""
    name = upload.name or ""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s). The limit is %(limit)s per file.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s is not an allowed file type. Attach PDF, images (PNG, JPEG, GIF, WebP) or Office documents.")
            % {"name": name}
        )
    content_type, kind = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if kind.startswith("ooxml:"):
        infos = _ooxml_infos(upload) if head.startswith(b"PK\x03\x04") else None
        ok = _ooxml_matches(infos, kind.split(":", 1)[1])
        if ok and _is_zip_bomb(infos):
            raise ValidationError(
                _("%(name)s unpacks to far more data than a document holds and was refused for safety.")
                % {"name": name}
            )
    else:
        ok = _head_matches(kind, head)
    if not ok:
        raise ValidationError(
            _("%(name)s is not really a %(ext)s file (its content does not match its name). It was not saved.")
            % {"name": name, "ext": extension.lstrip(".").upper()}
        )
    return content_type
