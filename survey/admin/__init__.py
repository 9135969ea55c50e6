"""Administration of organisations, users and rounds, and the audit log."""
