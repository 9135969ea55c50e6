"""Stadskontoret's assessment (bedömning) of submitted responses."""
