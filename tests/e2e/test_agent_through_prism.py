"""The agent talks to the real registry through Prism's validating proxy
(`prism proxy --errors`): every request the agent sends and every answer the
registry gives is checked against docs/openapi.yaml by a validator nobody
here wrote. A violation becomes a Prism error answer (422 for a request, 500
for a response), which the agent would quarantine or keep pending, so a
clean, complete run is the proof."""
import unittest

from agent_harness import MAY_2021, Agent
from harness import PrismProxy, Registry, require_tools

# Prism rewrites non-ASCII bytes of raw upload bodies, so the files here are
# ASCII; binary uploads are covered without Prism in the other tests.
RULES = [("Constancias/**/*.pdf", "course_certificate", "1.1.1", "Constancia: {stem}"),
         ("Difusión/**/*.txt", "diffusion_material", "2.1.1")]


class AgentThroughPrism(unittest.TestCase):
    def setUp(self):
        require_tools(self)

    def test_agent_requests_and_registry_answers_follow_the_contract(self):
        with Registry() as reg, PrismProxy(reg.url) as prism, Agent() as a:
            a.write_config(prism.url, reg.token_file("INM"), RULES)
            a.put_file("Constancias/2021/José Pérez - Ética.pdf", "%PDF-1.4 constancia de Jose\n", MAY_2021)
            a.put_file("Constancias/2021/Ana López - Conflictos.pdf", "%PDF-1.4 constancia de Ana\n", MAY_2021)
            a.put_file("Difusión/cartel.txt", "Cartel: valores del servicio publico\n", MAY_2021)
            first = a.run("run", "--once", "--max-wait", "0s", "--json")
            self.assertEqual(first.code, 0, f"{first!r}\n--- prism\n{prism.log()[-4000:]}")
            self.assertEqual(first.json()["registered"], 3, first)
            self.assertEqual(first.json()["quarantine"], 0, first)
            # A revision (200 revised) and a re-run (nothing sent) through Prism too.
            a.put_file("Difusión/cartel.txt", "Cartel: valores del servicio publico (v2)\n", MAY_2021 + 60)
            second = a.run("run", "--once", "--max-wait", "0s", "--json")
            self.assertEqual(second.code, 0, f"{second!r}\n--- prism\n{prism.log()[-4000:]}")
            self.assertEqual(second.json()["registered"], 1, second)
            for r in a.records():
                self.assertEqual(r["status"], "synced", r)
            revised = [r for r in a.records() if r["key"] == "Difusión/cartel.txt"][0]
            self.assertEqual(revised["registry_revision"], 2)
            self.assertNotIn("violation", prism.log().lower())


if __name__ == "__main__":
    unittest.main()
