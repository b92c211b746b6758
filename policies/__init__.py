"""The acceptable-use policy: rule model, evaluation, actions, and the shipped packs.

The proxy uses :class:`PolicyInspector` (built from a :class:`PolicyHolder` and a scanner)
at its inspection seam; the packs live next to this file as YAML.
"""

from core.scanning import Scanner
from policies.engine import Decision, PolicyEngine, RuleMatch
from policies.inspector import PolicyInspector, RequestBlocked
from policies.loader import PolicyError, PolicyHolder, load_policy, parse_policy, shipped_pack
from policies.model import Policy
from policies.scanning import DetectorScanner

__all__ = [
    "Decision",
    "DetectorScanner",
    "Policy",
    "PolicyEngine",
    "PolicyError",
    "PolicyHolder",
    "PolicyInspector",
    "RequestBlocked",
    "RuleMatch",
    "Scanner",
    "load_policy",
    "parse_policy",
    "shipped_pack",
]
