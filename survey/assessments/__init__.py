"""Stadskontoret's assessment (bedömning) of submitted responses: assessing, publishing it to
the organisations as feedback, and tagging development works with their components."""
