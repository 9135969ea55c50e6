"""The walks over app.url_map (route access, hostile input): the roles they call every route
as, and the counts the hostile-input walk reports at the end of the run."""

from __future__ import annotations

#: The roles the walks over app.url_map call every route as.
ROLES = ("anonymous", "respondent_a", "respondent_b", "analyst", "admin")
ROLE_EMAILS = {"respondent_a": "respondent-asn@example.org",
               "respondent_b": "respondent-frn@example.org",
               "analyst": "analyst-x@example.org", "admin": "admin-x@example.org"}

#: Requests and seconds of the hostile-input walk per database kind (support.plugin prints them).
HOSTILE_WALK_COUNTS: dict[str, tuple[int, float]] = {}
