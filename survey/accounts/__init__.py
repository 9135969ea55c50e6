"""Users, roles, logging in and out."""
