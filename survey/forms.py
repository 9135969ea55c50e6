"""The base of every form: WTForms' built-in messages in Swedish.

WTForms ships a Swedish catalogue (wtforms/locale/sv). Flask-WTF would hand translation to
Flask-Babel when that is installed and otherwise leave WTForms' English; `BaseForm.Meta`
asks WTForms for Swedish directly, whatever is installed. A few catalogue entries are
missing or read badly (a typo, no full stop, "Numret"); `MESSAGES` replaces those. A
validator's own `message=` still wins, and should be used where a field can say more.

Every form inherits `BaseForm` (tests/test_swedish_messages.py checks that).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.i18n import get_translations

LOCALES = ("sv_SE", "sv")

#: Our wording where the catalogue has none or reads badly. A message with a plural form
#: (Length) maps to a (singular, plural) pair.
MESSAGES: dict[str, str | tuple[str, str]] = {
    "This field is required.": "Fältet måste fyllas i.",
    "Not a valid choice.": "Välj ett av alternativen.",
    "Invalid Choice: could not coerce.": "Välj ett av alternativen.",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Välj bland alternativen.",
    "'%(value)s' is not a valid choice for this field.": (
        "'%(value)s' är inte ett av alternativen.",
        "'%(value)s' är inte bland alternativen."),
    "Choices cannot be None.": "Det finns inga alternativ att välja bland.",
    "Not a valid integer value.": "Ange ett heltal.",
    "Not a valid decimal value.": "Ange ett tal.",
    "Not a valid float value.": "Ange ett tal.",
    "Not a valid date value.": "Ange ett giltigt datum, till exempel 2024-03-05.",
    "Not a valid datetime value.": "Ange datum och tid, till exempel 2024-03-05 14:30.",
    "Not a valid time value.": "Ange en tid, till exempel 14:30.",
    "Not a valid week value.": "Ange en vecka, till exempel 2024-W10.",
    "Number must be at least %(min)s.": "Talet måste vara minst %(min)s.",
    "Number must be at most %(max)s.": "Talet får vara högst %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Talet måste vara mellan %(min)s och %(max)s.",
    "Date must be at least %(min)s.": "Datumet får inte vara före %(min)s.",
    "Date must be at most %(max)s.": "Datumet får inte vara efter %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Datumet måste vara mellan %(min)s och %(max)s.",
    "Field cannot be longer than %(max)d character.": ("Högst %(max)d tecken.",
                                                       "Högst %(max)d tecken."),
    "Field must be at least %(min)d character long.": ("Minst %(min)d tecken.",
                                                       "Minst %(min)d tecken."),
    "Field must be exactly %(max)d character long.": ("Exakt %(max)d tecken.",
                                                      "Exakt %(max)d tecken."),
    "Field must be between %(min)d and %(max)d characters long.":
        "Mellan %(min)d och %(max)d tecken.",
    "Invalid email address.": "Ange en giltig e-postadress, till exempel namn@malmo.se.",
    "Invalid input.": "Ogiltigt värde.",
    "Invalid CSRF Token.": "Formuläret har gått ut. Ladda om sidan och försök igen.",
    "CSRF failed.": "Formuläret har gått ut. Ladda om sidan och försök igen.",
    "CSRF token missing.": "Formuläret har gått ut. Ladda om sidan och försök igen.",
    "CSRF token expired.": "Formuläret har gått ut. Ladda om sidan och försök igen.",
}


class SwedishTranslations:
    """WTForms' Swedish catalogue with `MESSAGES` on top (the WTForms translations API)."""

    def __init__(self):
        self.catalogue = get_translations(list(LOCALES))

    def gettext(self, string: str) -> str:
        ours = MESSAGES.get(string)
        if ours is not None:
            return ours if isinstance(ours, str) else ours[0]
        return self.catalogue.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = MESSAGES.get(singular)
        if ours is not None:
            pair = (ours, ours) if isinstance(ours, str) else ours
            return pair[0] if n == 1 else pair[1]
        return self.catalogue.ngettext(singular, plural, n)


TRANSLATIONS = SwedishTranslations()


class BaseForm(FlaskForm):
    """A Flask-WTF form (CSRF token and all) whose built-in messages are Swedish."""

    class Meta:
        locales = list(LOCALES)
        cache_translations = True

        def get_translations(self, form):
            # Overrides Flask-WTF's, which asks Flask-Babel (not used here) or gives English.
            return TRANSLATIONS
