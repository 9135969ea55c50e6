"""Boards (nämnder) and wholly-owned companies (helägda bolag)."""
