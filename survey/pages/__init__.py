"""The start page and the accessibility statement."""
