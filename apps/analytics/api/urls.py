"""URL patterns: filled by this app's issue."""

urlpatterns: list = []
