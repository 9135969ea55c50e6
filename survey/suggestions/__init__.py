"""Text suggestions: which sentences of an answer speak of which component, area and level."""
