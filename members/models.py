"""The ground floor: the kommun register, SBA membership, contacts and the portal's users.

Nothing here imports a feature app (inquiries, nki, overview); they stand on this.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .cache import Topic
from .personal import Audience, Basis, Copy, Kind, NotPersonal, Purpose, Retention, marks

kommunkod_validator = RegexValidator(r"^\d{4}$", _("A kommunkod is four digits, e.g. 0482."))
lan_code_validator = RegexValidator(r"^\d{2}$", _("A län code is two digits, e.g. 01."))


# Free text (notes, offers, descriptions): room for a long page, not for a megabyte (Excel cuts a
# cell at 32,767 characters). Forms say so in the user's language.
FREE_TEXT_MAX_LENGTH = 10_000


class Lan(models.Model):
    """A county (län), identified by SCB's two-digit code."""

    cache_topics = (Topic.REGISTER,)
    personal_data = {"name": NotPersonal("a county's name")}

    code = models.CharField(_("län code"), max_length=2, unique=True, validators=[lan_code_validator])
    name = models.CharField(_("name"), max_length=64)

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self) -> str:
        return self.name


def membership_active_q(on: datetime.date, prefix: str = "") -> Q:
    """The condition 'this membership covers the day `on`', optionally through a relation prefix."""
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def membership_during_q(starts_on: datetime.date, ends_on: datetime.date, prefix: str = "") -> Q:
    """The condition 'this membership covers at least one day of the span' (both ends included)."""
    return Q(**{f"{prefix}starts_on__lte": ends_on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": starts_on})
    )


class KommunQuerySet(models.QuerySet):
    def with_membership(self, on: datetime.date | None = None) -> KommunQuerySet:
        """Annotate `is_member`: whether an SBA membership covers the day (today by default)."""
        on = on or timezone.localdate()
        active = Membership.objects.filter(membership_active_q(on), kommun=OuterRef("pk"))
        return self.annotate(is_member=Exists(active))

    def members(self, on: datetime.date | None = None) -> KommunQuerySet:
        """Kommuner that are SBA members on the day: counted from membership records, never fixed."""
        return self.with_membership(on).filter(is_member=True)

    def non_members(self, on: datetime.date | None = None) -> KommunQuerySet:
        return self.with_membership(on).filter(is_member=False)

    def members_during(self, starts_on: datetime.date, ends_on: datetime.date) -> KommunQuerySet:
        """Kommuner that were SBA members on at least one day of the span (a year, a period).

        Whether the span's member list is recorded at all is `members.roster`'s question: ask it
        before reading an empty or partial answer here as "no members".
        """
        during = Membership.objects.filter(membership_during_q(starts_on, ends_on), kommun=OuterRef("pk"))
        return self.filter(Exists(during))

    def members_in_year(self, year: int) -> KommunQuerySet:
        return self.members_during(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


class Kommun(models.Model):
    """One of Sweden's 290 kommuner; the register is loaded from SCB data (load_kommuner)."""

    cache_topics = (Topic.REGISTER,)
    personal_data = {"name": NotPersonal("a kommun's name")}

    code = models.CharField(_("kommunkod"), max_length=4, unique=True, validators=[kommunkod_validator])
    name = models.CharField(_("name"), max_length=64)
    lan = models.ForeignKey(Lan, on_delete=models.PROTECT, related_name="kommuner", verbose_name=_("län"))

    history = HistoricalRecords()
    objects = KommunQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:kommun_detail", args=[self.code])


class AgreementPeriod(models.Model):
    """An SBA agreement period (avtalsperiod), e.g. 2021–2024."""

    cache_topics = (Topic.REGISTER,)
    personal_data = {"name": NotPersonal("an agreement period's name")}

    name = models.CharField(_("name"), max_length=32, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Whether every member of the period is entered. Until then figures for its years say the
    # member list is missing instead of counting whoever happens to be recorded (members.roster).
    roster_recorded = models.BooleanField(
        _("member list recorded"),
        default=False,
        help_text=_(
            "Tick when every member kommun of the period is entered. Until then, SBA averages and other "
            "figures for the period's years say that the member list is missing."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("agreement period")
        verbose_name_plural = _("agreement periods")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls, on: datetime.date | None = None) -> AgreementPeriod | None:
        on = on or timezone.localdate()
        return cls.objects.filter(starts_on__lte=on, ends_on__gte=on).first()


class Membership(models.Model):
    """A kommun's SBA membership over a span of dates; ends_on empty means 'until further notice'."""

    cache_topics = (Topic.REGISTER,)
    personal_data = marks(
        purpose=Purpose.MEMBER_CONTACT,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.STAFF,
        retention=Retention.RECORD,
        note=Kind.TEXT,
    )

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("kommun"))
    period = models.ForeignKey(
        AgreementPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("agreement period"),
    )
    starts_on = models.DateField(_("member from"))
    ends_on = models.DateField(_("member until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kommun__name", "-starts_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["kommun", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        end = self.ends_on.isoformat() if self.ends_on else "…"
        return f"{self.kommun} {self.starts_on.isoformat()}–{end}"

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Population(models.Model):
    """Population of a kommun on 31 December of a year (SCB's 'Folkmängd')."""

    cache_topics = (Topic.REGISTER,)

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="populations", verbose_name=_("kommun"))
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kommun__name", "-year"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [models.UniqueConstraint(fields=["kommun", "year"], name="population_once_per_year")]

    def __str__(self) -> str:
        return f"{self.kommun} {self.year}: {self.population}"


class Responsibility(models.TextChoices):
    """What a contact answers for; one person may hold several (a flag each on Contact)."""

    NKI = "nki", _("NKI")
    INVESTMENT = "investment", _("Investment and inquiries")
    BYGGLOV = "bygglov", _("Bygglov")
    MILJO = "miljo", _("Miljö")


def responsibility_field(responsibility: str) -> str:
    """The Contact flag of a responsibility: `holds_<value>`."""
    return f"holds_{Responsibility(responsibility).value}"


class ContactQuerySet(models.QuerySet):
    def active(self) -> ContactQuerySet:
        """Contacts in service: what lists, e-mails and choices offer. A deactivated contact stays
        what older answers and dialog entries name (members.retirement)."""
        return self.filter(is_active=True)

    def holding(self, *responsibilities: str) -> models.QuerySet:
        """Contacts who hold any of these responsibilities (whatever their role)."""
        condition = Q()
        for responsibility in responsibilities:
            condition |= Q(**{responsibility_field(responsibility): True})
        return self.filter(condition)

    def receiving_inquiries(self) -> models.QuerySet:
        """The näringslivschef and whoever holds the investment responsibility: the people the
        kommun's inquiries and their reminders go to."""
        return self.filter(Q(role=Contact.Role.NARINGSLIVSCHEF) | Q(holds_investment=True))

    def filling(self, roles) -> models.QuerySet:
        """Contacts who fill any of these roles: by their role, or by holding the responsibility a
        role names (an NKI contact is whoever holds NKI, whatever their title). See Contact.fills."""
        condition = Q(role__in=list(roles))
        for role in roles:
            if role in ROLE_RESPONSIBILITY:
                condition |= Q(**{responsibility_field(ROLE_RESPONSIBILITY[role]): True})
        return self.filter(condition)


class Contact(models.Model):
    """A person at a kommun, by role. A kommun may have several per role; one can be primary."""

    # The address of the kommun's "Borttagen kontakt", what erased contacts become (members.retirement).
    PLACEHOLDER_EMAIL = "borttagen-kontakt@sba-portal.invalid"

    cache_topics = (Topic.CONTACTS,)
    personal_data = {
        **marks(
            purpose=Purpose.MEMBER_CONTACT,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.PORTAL,
            retention=Retention.CONTACT_INACTIVE,
            copies=(Copy.OUTBOX, Copy.EXPORTS),
            name=Kind.NAME,
            email=Kind.EMAIL,
        ),
        **marks(
            purpose=Purpose.MEMBER_CONTACT,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.KOMMUN,
            retention=Retention.CONTACT_INACTIVE,
            copies=(Copy.EXPORTS,),
            title=Kind.TITLE,
            phone=Kind.PHONE,
            notes=Kind.TEXT,
        ),
    }

    class Role(models.TextChoices):
        KSO = "kso", _("KSO (chair of the municipal executive board)")
        KOMMUNDIREKTOR = "kommundirektor", _("Kommundirektör")
        NARINGSLIVSCHEF = "naringslivschef", _("Näringslivschef")
        INVESTMENT = "investment", _("Investment contact")
        NKI = "nki", _("NKI contact")
        BYGGLOVSCHEF = "bygglovschef", _("Bygglovschef")
        MILJOCHEF = "miljochef", _("Miljöchef")
        OTHER = "other", _("Other")

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("kommun"))
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_primary = models.BooleanField(
        _("primary for the role"),
        default=False,
        help_text=_("The person to turn to first for this role in the kommun."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    # Responsibilities, one flag each (Responsibility): who is asked about NKI, who receives the
    # inquiries, whom to call about bygglov or miljö. A role of the same name implies its flag
    # (ROLE_RESPONSIBILITY; the contact form ticks it).
    holds_nki = models.BooleanField(_("responsible for NKI"), default=False)
    holds_investment = models.BooleanField(_("responsible for investment and inquiries"), default=False)
    holds_bygglov = models.BooleanField(_("responsible for bygglov"), default=False)
    holds_miljo = models.BooleanField(_("responsible for miljö"), default=False)
    # A contact that answers or dialog entries refer to is deactivated, not deleted: it leaves the
    # kommun's lists, e-mails and choices but stays what those records point to (members.retirement).
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["kommun__name", "role", "-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["kommun", "role"],
                condition=Q(is_primary=True),
                name="one_primary_contact_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.kommun})"

    def get_absolute_url(self) -> str:
        return reverse("members:contact_edit", args=[self.kommun.code, self.pk])

    @property
    def is_placeholder(self) -> bool:
        return self.email == self.PLACEHOLDER_EMAIL

    @property
    def responsibilities(self) -> list[str]:
        """The responsibilities this contact holds, as Responsibility values, in their order."""
        return [value for value in Responsibility.values if getattr(self, responsibility_field(value))]

    def get_responsibilities_display(self) -> str:
        return ", ".join(str(Responsibility(value).label) for value in self.responsibilities)

    def fills(self, role: str) -> bool:
        """Has this role, or holds the responsibility the role names (ContactQuerySet.filling)."""
        implied = ROLE_RESPONSIBILITY.get(role)
        return self.role == role or (implied is not None and getattr(self, responsibility_field(implied)))

    @property
    def responsibilities_beyond_role(self) -> str:
        """The responsibilities the role does not already say, for display beside the role."""
        implied = ROLE_RESPONSIBILITY.get(self.role)
        return ", ".join(str(Responsibility(value).label) for value in self.responsibilities if value != implied)


# The roles that name a responsibility: such a contact holds it (set by the contact form and by
# the migration that introduced the flags).
ROLE_RESPONSIBILITY = {
    Contact.Role.NKI: Responsibility.NKI,
    Contact.Role.INVESTMENT: Responsibility.INVESTMENT,
    Contact.Role.BYGGLOVSCHEF: Responsibility.BYGGLOV,
    Contact.Role.MILJOCHEF: Responsibility.MILJO,
}


def role_flags(role: str) -> dict[str, bool]:
    """The flag a role implies, as Contact field values ({} for a role that names none)."""
    implied = ROLE_RESPONSIBILITY.get(role)
    return {responsibility_field(implied): True} if implied else {}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> User:
        # Sign-in is by e-mail, whatever case the person types.
        return self.get(email__iexact=email)

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        extra.setdefault("role", User.Role.STAFF if not extra.get("kommun") else User.Role.KOMMUN)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True, role=User.Role.STAFF, kommun=None)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with e-mail.

    role STAFF: Invest Stockholm, sees and edits everything in the portal.
    role KOMMUN: tied to one kommun (typically its näringslivschef), sees only what belongs to it.
    is_staff (Django's flag) means access to Django admin only; the portal's rules are in
    members.access, never in `is_staff` checks scattered through views.
    """

    cache_topics = (Topic.USERS,)
    personal_data = {
        **marks(
            purpose=Purpose.ACCOUNT,
            basis=Basis.CONTRACT,
            audience=Audience.SELF,
            retention=Retention.ACCOUNT,
            copies=(Copy.OUTBOX,),
            first_name=Kind.NAME,
            last_name=Kind.NAME,
            email=Kind.EMAIL,
            title=Kind.TITLE,
            phone=Kind.PHONE,
        ),
        **marks(
            purpose=Purpose.ACCOUNTABILITY,
            basis=Basis.LEGITIMATE_INTEREST,
            audience=Audience.STAFF,
            retention=Retention.ACCOUNT,
            invited_by=Kind.REFERENCE,
        ),
    }

    class Role(models.TextChoices):
        STAFF = "staff", _("Invest Stockholm staff")
        KOMMUN = "kommun", _("Kommun user")

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.KOMMUN)
    kommun = models.ForeignKey(
        Kommun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kommun"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=(Q(role="kommun") & Q(kommun__isnull=False)) | (Q(role="staff") & Q(kommun__isnull=True)),
                name="kommun_user_has_kommun_staff_has_none",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def has_pending_invitation(self) -> bool:
        return self.invited_at is not None and not self.has_usable_password()


# --- Kommun profile and site inventory -----------------------------------------------------------
# What a kommun offers investors: the sectors it wants and is strong in, its appetite for
# inquiries, and its sites (mark/tomter). Edited by the kommun's own users and by staff; the
# inquiries app matches inquiries against it.


class Sector(models.Model):
    """An investment sector (life science, logistics, …). Data, not code: edited in admin."""

    cache_topics = (Topic.PROFILES,)
    personal_data = {
        "name_sv": NotPersonal("a sector's name"),
        "name_en": NotPersonal("a sector's name"),
    }

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sv = models.CharField(_("name (Swedish)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    ordering = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["ordering", "name_en"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_sv if (get_language() or "sv").startswith("sv") else self.name_en


class KommunProfile(models.Model):
    """A kommun's investment profile: sectors and its appetite for inquiries."""

    cache_topics = (Topic.PROFILES,)
    personal_data = marks(
        purpose=Purpose.INQUIRY,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.KOMMUN,
        retention=Retention.RECORD,
        notes=Kind.TEXT,
    )

    class Appetite(models.TextChoices):
        ALL = "all", _("All inquiries")
        NEAR = "near", _("Matching and near-miss inquiries")
        MATCHING = "matching", _("Matching inquiries only")

    kommun = models.OneToOneField(Kommun, on_delete=models.CASCADE, related_name="profile", verbose_name=_("kommun"))
    wanted_sectors = models.ManyToManyField(
        Sector, blank=True, related_name="wanted_by", verbose_name=_("sectors we want")
    )
    strong_sectors = models.ManyToManyField(
        Sector, blank=True, related_name="strong_in", verbose_name=_("sectors we are strong in")
    )
    appetite = models.CharField(
        _("appetite for inquiries"),
        max_length=10,
        choices=Appetite.choices,
        default=Appetite.NEAR,
        help_text=_("Which inquiries Invest Stockholm should send you by default."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[wanted_sectors, strong_sectors])

    class Meta:
        verbose_name = _("kommun profile")
        verbose_name_plural = _("kommun profiles")

    def __str__(self) -> str:
        return str(self.kommun)


class Site(models.Model):
    """A site (mark/tomt) a kommun can offer. Not confirmed for SITE_STALE_AFTER_DAYS → stale."""

    cache_topics = (Topic.PROFILES,)
    personal_data = {
        "name": NotPersonal("a site's name"),
        "ownership": NotPersonal("a choice: municipal or private land"),
        **marks(
            purpose=Purpose.INQUIRY,
            basis=Basis.PUBLIC_TASK,
            audience=Audience.KOMMUN,
            retention=Retention.RECORD,
            notes=Kind.TEXT,
        ),
    }

    class Ownership(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        PRIVATE = "private", _("Private")
        MIXED = "mixed", _("Mixed")

    class Zoning(models.TextChoices):
        IN_FORCE = "in_force", _("Detaljplan in force")
        IN_PROGRESS = "in_progress", _("Detaljplan in progress")
        NONE = "none", _("No detaljplan")

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="sites", verbose_name=_("kommun"))
    name = models.CharField(_("name"), max_length=120)
    area_ha = models.DecimalField(_("area (ha)"), max_digits=8, decimal_places=1, null=True, blank=True)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices, blank=True)
    zoning = models.CharField(_("zoning status"), max_length=12, choices=Zoning.choices, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    power_mw = models.DecimalField(
        _("grid power available (MW)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    km_motorway = models.DecimalField(
        _("distance to motorway (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    km_rail = models.DecimalField(
        _("distance to rail freight (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    km_port = models.DecimalField(_("distance to port (km)"), max_digits=6, decimal_places=1, null=True, blank=True)
    km_airport = models.DecimalField(
        _("distance to airport (km)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    last_confirmed = models.DateField(
        _("last confirmed"),
        default=timezone.localdate,
        help_text=_("The day someone checked that the facts about this site are still true."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kommun__name", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gte=0), name="site_area_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(power_mw__isnull=True) | Q(power_mw__gte=0), name="site_power_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stale(self) -> bool:
        limit = timezone.localdate() - datetime.timedelta(days=settings.SITE_STALE_AFTER_DAYS)
        return self.last_confirmed < limit


class Premises(models.Model):
    """Premises (lokaler: a warehouse, an office, a production hall) a kommun can offer, beside its
    sites. Matched against inquiries that need premises (inquiries.criteria) like a site."""

    personal_data = marks(
        purpose=Purpose.INQUIRY,
        basis=Basis.PUBLIC_TASK,
        audience=Audience.KOMMUN,
        retention=Retention.RECORD,
        notes=Kind.TEXT,
    ) | {
        "name": NotPersonal("a building's or area's name"),
        "owner": NotPersonal("municipal or private: a choice, not a person"),
    }

    cache_topics = (Topic.PROFILES,)

    class Kind(models.TextChoices):
        WAREHOUSE = "lager", _("Warehouse")
        OFFICE = "kontor", _("Office")
        PRODUCTION = "produktion", _("Production")
        LABORATORY = "laboratorium", _("Laboratory")
        RETAIL = "handel", _("Retail")
        OTHER = "ovrigt", _("Other")

    class Owner(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        PRIVATE = "private", _("Private")

    kommun = models.ForeignKey(Kommun, on_delete=models.CASCADE, related_name="premises", verbose_name=_("kommun"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type of premises"), max_length=14, choices=Kind.choices)
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    ceiling_height_m = models.DecimalField(
        _("ceiling height (m)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    loading_docks = models.PositiveSmallIntegerField(_("loading docks"), null=True, blank=True)
    power_mw = models.DecimalField(_("power available (MW)"), max_digits=7, decimal_places=1, null=True, blank=True)
    year_available = models.PositiveSmallIntegerField(_("year available"), null=True, blank=True)
    owner = models.CharField(pgettext_lazy("premises", "owner"), max_length=10, choices=Owner.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=FREE_TEXT_MAX_LENGTH)
    last_confirmed = models.DateField(
        _("last confirmed"),
        default=timezone.localdate,
        help_text=_("The day someone checked that the facts about these premises are still true."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kommun__name", "name"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        constraints = [
            models.CheckConstraint(
                condition=Q(power_mw__isnull=True) | Q(power_mw__gte=0), name="premises_power_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(ceiling_height_m__isnull=True) | Q(ceiling_height_m__gte=0),
                name="premises_height_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def available_from(self) -> datetime.date | None:
        """The first day of the year available: what 'needed by' is compared with."""
        return datetime.date(self.year_available, 1, 1) if self.year_available else None

    @property
    def is_stale(self) -> bool:
        limit = timezone.localdate() - datetime.timedelta(days=settings.SITE_STALE_AFTER_DAYS)
        return self.last_confirmed < limit


# --- Facts about the kommuner --------------------------------------------------------------------
# Dated figures from SCB and Kolada (population by age band, companies, employment, education,
# commuting, distances): one row per kommun (or the country), fact, year. What each fact is lives
# in members.facts (FACTS).


class KommunFact(models.Model):
    """One figure for a kommun (or, with no kommun, for Sweden as a whole) in one year, with its source."""

    cache_topics = (Topic.FACTS,)

    kommun = models.ForeignKey(
        Kommun,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="facts",
        verbose_name=_("kommun"),
        help_text=_("Empty: the figure for Sweden as a whole."),
    )
    key = models.CharField(_("fact"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kommun__name", "key", "-year"]
        verbose_name = _("kommun fact")
        verbose_name_plural = _("kommun facts")
        constraints = [
            models.UniqueConstraint(
                fields=["kommun", "key", "year"], condition=Q(kommun__isnull=False), name="fact_once_per_year"
            ),
            models.UniqueConstraint(
                fields=["key", "year"], condition=Q(kommun__isnull=True), name="country_fact_once_per_year"
            ),
        ]
        indexes = [models.Index(fields=["key", "year"])]

    def __str__(self) -> str:
        return f"{self.kommun or 'Sverige'} {self.key} {self.year}: {self.value}"


class FactSheetLink(models.Model):
    """A share link to the public part of a fact sheet (a kommun's, or with no kommun the region's):
    anyone with the link may read it until staff or the kommun revoke it."""

    personal_data = marks(
        purpose=Purpose.ACCOUNTABILITY,
        basis=Basis.LEGITIMATE_INTEREST,
        audience=Audience.STAFF,
        retention=Retention.RECORD,
        created_by=Kind.REFERENCE,
    )

    cache_topics = ()

    kommun = models.ForeignKey(
        Kommun, on_delete=models.CASCADE, null=True, blank=True, related_name="fact_links", verbose_name=_("kommun")
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fact sheet share link")
        verbose_name_plural = _("fact sheet share links")

    def __str__(self) -> str:
        return f"{self.kommun or 'region'} {self.created_at:%Y-%m-%d}"
