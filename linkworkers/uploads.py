"""Refusing files sent to a view whose forms take none: 400, and nothing of the file kept.

Django reads every file in a multipart POST into memory or a temporary file before any view
runs (the CSRF check reads the body). `refuse_uploads` reads the body first with an upload
handler that skips each file as it streams past and notes it, so a file is never stored, then
answers 400. Nothing here is particular to link workers: it belongs below the parts.
"""

from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt, csrf_protect

REFUSED = "This form does not take files. Nothing was saved: send it again without attaching a file."
_SENT_A_FILE = "_refuse_uploads_sent_a_file"


class _SkipFiles(FileUploadHandler):
    """Keeps no file: each is skipped unread (the parser drains it) and the request is marked."""

    def new_file(self, *args, **kwargs):
        setattr(self.request, _SENT_A_FILE, True)
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):  # pragma: no cover - new_file always skips
        return None

    def file_complete(self, file_size):  # pragma: no cover
        return None


def refuse_uploads(view):
    """Wrap a view whose forms have no file field: a request carrying a file gets 400 and never reaches it."""
    protected = csrf_protect(view)

    # Django's documented way to change upload handlers: the middleware's CSRF check would read
    # the body with the default handlers, so it is skipped there and made here, after the body is read.
    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            if not hasattr(request, "_files"):  # not read yet
                request.upload_handlers = [_SkipFiles(request)]
            if request.FILES or getattr(request, _SENT_A_FILE, False):
                return HttpResponseBadRequest(REFUSED, content_type="text/plain; charset=utf-8")
        return protected(request, *args, **kwargs)

    wrapped.refuses_uploads = True
    return wrapped
