"""Outgoing e-mail: sent through SMTP when configured, otherwise kept in an outbox."""
