"""Stadskontoret's view of a round: response status, reading, returning, reminders."""
