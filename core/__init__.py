"""The shared vocabulary at the bottom of the layering: standard library only.

``core`` ← ``detectors`` ← ``policies`` ← ``proxy`` ← ``dashboards`` and the command line:
every package may import ``core``, ``core`` imports nothing of ours and nothing outside the
standard library (``tests/test_layering.py`` holds both). What lives here is what more than
one layer must agree on: who calls (:mod:`core.identity`), through which API
(:mod:`core.apis`), the stream event type (:mod:`core.sse`), the register entry as policies
read it (:mod:`core.register`), the inspection seam with its actions and verdicts
(:mod:`core.inspection`), findings and the detector and scanner protocols
(:mod:`core.scanning`), the errors a caller may be answered with (:mod:`core.errors`),
keyed fingerprints (:mod:`core.fingerprint`), the metrics policies count
(:mod:`core.telemetry`) and how configuration files are watched for changes
(:mod:`core.filewatch`).
"""
