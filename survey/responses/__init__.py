"""Answering: responses, answers with revisions, self-assessment, submitting."""
