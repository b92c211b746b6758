"""The secrets detector is built once per process and settings (h191)."""

from __future__ import annotations

from detectors.registry import default_detectors
from detectors.secrets import SecretsDetector, shared_secrets_detector
from detectors.service import ScanService
from detectors.settings import DetectorSettings, SecretsSettings, ServiceSettings
from policies.boundaries import window_scanner
from policies.value_first import default_rules


def test_detection_hold_back_and_windows_share_one_secrets_detector() -> None:
    """A proxy's detection, its streams' hold-back shapes and the windows between a chat's
    texts read one secrets detector: each build costs ~0.25 s of CPU, which a start paid
    twice (detection, hold-back) and the first chat call a third time (windows)."""
    settings = DetectorSettings(enabled=("secrets",), service=ServiceSettings(workers=0))
    (detection,) = default_detectors(settings)
    assert isinstance(detection, SecretsDetector)
    assert default_rules() is detection.rules
    (windows,) = window_scanner(ScanService(settings)).detectors
    assert windows is detection


def test_other_secrets_settings_get_their_own_detector() -> None:
    """A proxy configured with other secrets settings detects with a detector of those
    settings, not the default one that the hold-back shapes read."""
    changed = SecretsSettings(disabled=("PASSWORD",))
    assert shared_secrets_detector(changed) is shared_secrets_detector(changed)
    assert shared_secrets_detector(changed) is not shared_secrets_detector()
    assert not any(r.entity_type == "PASSWORD" for r in shared_secrets_detector(changed).rules)
