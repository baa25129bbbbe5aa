"""Template context for link workers' pages: whether the user supervises a team (for the navigation)."""

from . import access


def linkworkers(request):
    user = getattr(request, "user", None)
    if user is None or not request.path.startswith("/staff/"):
        return {}
    return {"is_supervisor": access.is_supervisor(user)}
