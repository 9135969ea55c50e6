"""Creating users, authenticating, changing passwords, deactivating."""

from __future__ import annotations

from sqlalchemy import select

from survey.accounts.models import Role, User
from survey.accounts.passwords import burn_time, hash_password, needs_rehash, verify_password
from survey.audit.services import record
from survey.database import utcnow
from survey.extensions import db
from survey.security import passwords_policy, throttling

MIN_PASSWORD_LENGTH = passwords_policy.MIN_LENGTH
MAX_PASSWORD_LENGTH = passwords_policy.MAX_LENGTH


class AccountError(ValueError):
    """An account operation that is not allowed; the message is Swedish, for the user."""


class LoginThrottled(AccountError):
    """Too many failed logins for the account or from the address; the same for unknown ones."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    # Addresses are stored normalised (create_user), so an exact match is case-insensitive.
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def password_problem(password: str) -> str | None:
    """A Swedish description of why a password is not acceptable, or None."""
    return passwords_policy.problem(password)


def create_user(email: str, name: str, password: str, role: Role,
                organisation_id: int | None = None) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise AccountError("Det finns redan en användare med den e-postadressen.")
    if role == Role.RESPONDENT and organisation_id is None:
        raise AccountError("En svarande måste höra till en organisation.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = User(email=email, name=name.strip(), password_hash=hash_password(password),
                role=role, organisation_id=organisation_id if role == Role.RESPONDENT else None)
    db.session.add(user)
    db.session.flush()
    record("user.create", obj=user, detail=f"roll {role.value}")
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; equal work either way."""
    user = find_by_email(email)
    if user is None:
        burn_time(password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def attempt_login(email: str, password: str, address: str | None) -> User | None:
    """`authenticate` behind the login throttle, with audit events; the caller commits.

    The attempt is counted before the password is checked (with the database counter this
    commits the session), so parallel guesses cannot slip past the limit. Raises
    LoginThrottled, without checking the password, while the account (from this address),
    the address, or the account as a whole for an address that failed on it has too many
    recent failures; unknown addresses are throttled the same way.
    """
    attempt = throttling.reserve(email, address)
    if attempt.wait:
        attempt.refused()
        record("login.throttled", user=find_by_email(email),
               detail="för många misslyckade inloggningar")
        raise LoginThrottled(throttling.MESSAGE)
    user = authenticate(email, password)
    if user is None:
        attempt.failed()
        record("login.failure", user=find_by_email(email), detail="fel e-post eller lösenord")
    else:
        attempt.succeeded()
    return user


def set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.session_generation += 1  # ends every existing session
    record("user.password", obj=user)


def set_active(user: User, active: bool) -> None:
    user.active = active
    user.session_generation += 1
    record("user.activate" if active else "user.deactivate", obj=user)


def end_sessions(user: User) -> None:
    """Logging out ends every session of the user, not only this browser's cookie."""
    user.session_generation += 1


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id and session generation must both match."""
    try:
        user_id, generation = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_generation != generation or not user.active:
        return None
    return user
