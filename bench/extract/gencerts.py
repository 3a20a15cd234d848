#!/usr/bin/env python3
"""Write N one-page course certificates (SICAVISP-style constancias) for
bench/extract/run.sh: the demo generator's certificate_pdf (demo/demogen),
so the text, fonts and layout are those the agent meets in the demo share.

    gencerts.py N OUT_DIR      prints one line per file: NAME<TAB>FOLIO

Deterministic: the same N gives the same files (no randomness, fixed dates).
"""
import datetime as dt
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "demo"))
from demogen.documents import COURSES, Certificate, certificate_pdf  # noqa: E402
from demogen.people import Person  # noqa: E402

GIVEN = ["José Ángel", "María de los Ángeles", "Sofía", "Héctor", "Lucía", "Iñaki", "Begoña", "Raúl"]
SURNAMES = ["Núñez", "Peña", "Gutiérrez", "Ramírez", "Ibáñez", "Martínez", "Muñoz", "Domínguez", "Suárez"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    for i in range(n):
        person = Person(given=GIVEN[i % len(GIVEN)], first_surname=SURNAMES[i % len(SURNAMES)],
                        second_surname=SURNAMES[(i * 7 + 3) % len(SURNAMES)], sex="M" if i % 2 else "H",
                        birth=dt.date(1970 + i % 30, i % 12 + 1, i % 28 + 1),
                        curp=f"XEXX{700101 + i % 300000:06d}HDFRNN{i % 100:02d}", employee_id=str(100000 + i))
        folio = f"SFP-UEPPCI-2021-{i:06d}"
        cert = Certificate(person=person, course=COURSES[i % len(COURSES)],
                           completed_on=dt.date(2021, i % 10 + 2, i % 28 + 1), folio=folio)
        name = f"constancia-{i:05d}.pdf"
        with open(os.path.join(out, name), "wb") as f:
            f.write(certificate_pdf(cert, dt.datetime(2021, 12, 1, 10, 0, tzinfo=dt.timezone.utc)))
        print(f"{name}\t{folio}")


if __name__ == "__main__":
    main()
