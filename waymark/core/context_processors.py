"""Template context shared by every page."""
