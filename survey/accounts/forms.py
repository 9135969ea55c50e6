from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from survey.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-postadress", validators=[DataRequired("Ange din e-postadress."),
                                                    Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Lösenord", validators=[DataRequired("Ange ditt lösenord."),
                                                      Length(max=128)],
                             render_kw={"autocomplete": "current-password"})
