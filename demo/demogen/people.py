"""Fictitious INM personnel: realistic Mexican names and well-formed CURPs.

Every person is invented; any match with a real CURP would be a coincidence
of the format.  The same roster is shared by every builder so that a
certificate in the share, a mail from the course platform and a row in the HR
exports all name the same people.
"""
from __future__ import annotations

import datetime as _dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Certificate

# Check-digit alphabet of RENAPO's CURP (the letter Ñ stands where '&' is; a
# CURP never contains it because Ñ is written as X).
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"

# RENAPO's entity codes for a few states; "DF" is still used for Mexico City.
STATE_CODES = ("DF", "MC", "JC", "NL", "PL", "VZ", "OC", "GT", "CS", "YN", "TC", "BC", "SP", "MN")

# RENAPO replaces the second letter with X when the first four spell one of
# these words (an excerpt of the official list, enough for these names).
_INCONVENIENT = {
    "BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO",
    "COGE", "COGI", "COJA", "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO",
    "GETA", "GUEI", "GUEY", "JETA", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA",
    "KAKO", "KOGE", "KOGI", "KOJA", "KOJE", "KOJI", "KOJO", "KOLA", "KULO", "LILO",
    "LOCA", "LOCO", "LOKA", "LOKO", "MAME", "MAMO", "MEAR", "MEAS", "MEON", "MIAR",
    "MION", "MOCO", "MOKO", "MULA", "MULO", "NACA", "NACO", "PEDA", "PEDO", "PENE",
    "PIPI", "PITO", "POPO", "PUTA", "PUTO", "QULO", "RATA", "ROBA", "ROBE", "ROBO",
    "RUIN", "SENO", "TETA", "VACA", "VAGA", "VAGO", "VAKA", "VUEI", "VUEY", "WUEI",
    "WUEY",
}

# Common given names whose first element RENAPO skips when a second one exists.
_SKIPPED_FIRST_NAMES = {"JOSE", "J", "J.", "MARIA", "MA", "MA."}
_PARTICLES = {"DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "DD", "EL", "LA", "LOS", "LAS", "LE", "LES",
              "MAC", "MC", "VAN", "VON", "Y"}
_VOWELS = set("AEIOU")

MALE_NAMES = (
    "José Luis", "Juan Carlos", "Miguel Ángel", "Jesús", "Héctor", "Raúl", "Óscar", "Andrés",
    "Sergio", "Martín", "Ramón", "Joaquín", "Rubén", "Iván", "Fernando", "Julián", "Efraín",
    "Gerardo", "Tomás", "Adrián",
)
FEMALE_NAMES = (
    "María Fernanda", "Guadalupe", "Verónica", "Mónica", "Beatriz", "Sofía", "Araceli",
    "María José", "Leticia", "Inés", "Noemí", "Rocío", "Itzel", "Xóchitl", "Lucía",
    "Mariana", "Concepción", "Dolores", "Ximena", "Berenice",
)
SURNAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Díaz", "Vázquez", "Jiménez", "Núñez", "Peña",
    "Muñoz", "Ordóñez", "Ibáñez", "Cázares", "Beltrán", "Zúñiga", "Méndez", "Ávila",
    "Córdoba", "Gutiérrez", "Saldaña", "Echeverría", "Velázquez", "Ruíz", "Castañeda",
)


def _ascii_upper(text: str) -> str:
    """CURP letters: upper case, accents dropped, Ñ written as X."""
    out = []
    for ch in text.upper():
        if ch == "Ñ":
            out.append("X")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if "A" <= base <= "Z" or base == " " else "X")
    return "".join(out)


def _significant(words: str) -> str:
    """The word RENAPO uses from a surname or given name (particles skipped)."""
    parts = [p for p in _ascii_upper(words).split() if p not in _PARTICLES]
    return parts[0] if parts else "X"


def _given_for_curp(given: str) -> str:
    parts = [p for p in _ascii_upper(given).split() if p not in _PARTICLES]
    if len(parts) > 1 and parts[0] in _SKIPPED_FIRST_NAMES:
        return parts[1]
    return parts[0] if parts else "X"


def _first_inner(word: str, vowels: bool) -> str:
    for ch in word[1:]:
        if (ch in _VOWELS) == vowels:
            return ch
    return "X"


def curp_check_digit(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError(f"a CURP check digit needs 17 characters, got {len(first17)}")
    total = 0
    for i, ch in enumerate(first17):
        idx = _CURP_ALPHABET.find(ch)
        if idx < 0:
            raise ValueError(f"character {ch!r} at position {i + 1} is not valid in a CURP")
        total += idx * (18 - i)
    return str((10 - total % 10) % 10)


def make_curp(first_surname: str, second_surname: str, given: str, birth: _dt.date,
              sex: str, state: str, differentiator: str) -> str:
    if sex not in ("H", "M"):
        raise ValueError(f"sex must be 'H' or 'M', got {sex!r}")
    p1, p2, g = _significant(first_surname), _significant(second_surname), _given_for_curp(given)
    head = p1[0] + _first_inner(p1, vowels=True) + p2[0] + g[0]
    if head in _INCONVENIENT:
        head = head[0] + "X" + head[2:]
    body = (head + birth.strftime("%y%m%d") + sex + state
            + _first_inner(p1, vowels=False) + _first_inner(p2, vowels=False) + _first_inner(g, vowels=False)
            + differentiator)
    return body + curp_check_digit(body)


@dataclass(frozen=True)
class Person:
    given: str
    first_surname: str
    second_surname: str
    sex: str            # "H" or "M", as in the CURP
    birth: _dt.date
    curp: str
    employee_id: str    # INM's payroll number, for the HR builders
    committee_role: str = ""  # "" for staff who are not committee members

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.first_surname} {self.second_surname}"

    @property
    def is_alternate(self) -> bool:
        return self.committee_role == "Integrante suplente"

    @property
    def short_name(self) -> str:
        """How people name their files: first given name and first surname."""
        return f"{self.given} {self.first_surname}"


@dataclass
class Roster:
    committee: list[Person] = field(default_factory=list)  # propietarios, then suplentes
    staff: list[Person] = field(default_factory=list)
    # The rest of the institution, whom only the HR exports name (added by
    # add_others, after the share and the mailbox are written).
    others: list[Person] = field(default_factory=list)
    # The courses these people passed, as each builder that shows one records
    # it (documents.Certificate; the folio is "" for a screenshot), in
    # builder order: the HR training export lists them all, with the same
    # course and date as the certificate in the share or the mail.
    passed: list[Certificate] = field(default_factory=list)

    def everyone(self) -> list[Person]:
        return self.committee + self.staff + self.others


# The CEPCI's composition under the 2020 Lineamientos: a president, an
# executive secretary and elected members (propietarios) with alternates
# (suplentes); each role as it is written for a man and for a woman.
COMMITTEE_ROLES = (
    ("Presidente", "Presidenta"), ("Secretario Ejecutivo", "Secretaria Ejecutiva"),
    ("Integrante propietario", "Integrante propietaria"), ("Integrante propietario", "Integrante propietaria"),
    ("Integrante propietario", "Integrante propietaria"), ("Integrante propietario", "Integrante propietaria"),
    ("Integrante suplente", "Integrante suplente"), ("Integrante suplente", "Integrante suplente"),
)


def _invent(rng: random.Random, used_names: set[str], used_curps: set[str], serial: int,
            role: tuple[str, str]) -> Person:
    while True:
        sex = rng.choice("HM")
        given = rng.choice(MALE_NAMES if sex == "H" else FEMALE_NAMES)
        s1, s2 = rng.sample(SURNAMES, 2)
        name = f"{given} {s1} {s2}"
        if name in used_names:
            continue
        birth = _dt.date(1962, 1, 1) + _dt.timedelta(days=rng.randrange(0, 365 * 36))
        curp = make_curp(s1, s2, given, birth, sex, rng.choice(STATE_CODES), str(rng.randrange(10)))
        if curp in used_curps:
            continue
        used_names.add(name)
        used_curps.add(curp)
        return Person(given, s1, s2, sex, birth, curp, f"INM-{serial:06d}", role[0] if sex == "H" else role[1])


def make_roster(rng: random.Random, staff_count: int = 10) -> Roster:
    used_names: set[str] = set()
    used_curps: set[str] = set()
    roster = Roster()
    for i, role in enumerate(COMMITTEE_ROLES):
        roster.committee.append(_invent(rng, used_names, used_curps, 100 + i * 37, role))
    for i in range(staff_count):
        roster.staff.append(_invent(rng, used_names, used_curps, 2000 + i * 53, ("", "")))
    return roster


def add_others(rng: random.Random, roster: Roster, count: int, first_serial: int) -> list[Person]:
    """Adds `count` further public servants to the roster, distinct in name and CURP; returns them.

    The HR exports list the whole institution, not only the people whose
    certificates are in the share.  They are invented after the share and the
    mailbox are written, so those parts do not depend on them (nor on how many).
    """
    used_names = {p.full_name for p in roster.everyone()}
    used_curps = {p.curp for p in roster.everyone()}
    added = [_invent(rng, used_names, used_curps, first_serial + i * 29, ("", "")) for i in range(count)]
    roster.others += added
    return added
