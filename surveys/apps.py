from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Member survey")

    def ready(self) -> None:
        from outbox import kinds

        # Both go to contacts by their role (most have no login): the unsubscribe link in the
        # e-mail is how to leave, so they are not offered on the settings page.
        kinds.register(
            kinds.Kind(
                code="survey_invitation",
                label=_("Member survey: invitation"),
                description=_("The yearly anonymous member survey, once a year."),
                audiences=frozenset({kinds.CONTACT}),
                order=60,
            )
        )
        kinds.register(
            kinds.Kind(
                code="survey_reminder",
                label=_("Member survey: reminder"),
                description=_("One reminder before the survey closes, only if you have not answered."),
                audiences=frozenset({kinds.CONTACT}),
                order=61,
            )
        )
