"""Keys handed to an SDK's client as bare string arguments (:mod:`detectors.client_arguments`)
and tokens after any vendor's Authorization scheme are found with their exact span; a client
built with a host, a path or a name, and an id beside the key, stay quiet.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

FOUND = [
    (
        'MessageBirdService service = new MessageBirdServiceImpl("9KAgBcvRWgWB6MeRYKQc8zDul");',
        "9KAgBcvRWgWB6MeRYKQc8zDul",
    ),
    (
        'sms = twilio.rest.Client("AC1e3f945dc8fbc6286df94f471fbedfcf", '
        '"6a835e8349834efd842e730411e74d72")',
        "6a835e8349834efd842e730411e74d72",
    ),
    (
        'Algolia.initialize("7J5G23HLIJ", "ef43c00259f92adf4e5db9e0b4d85d17");',
        "ef43c00259f92adf4e5db9e0b4d85d17",
    ),
    (
        'SearchClient c = DefaultSearchClient.create("UX37WKMYGO", '
        '"fac2a4ad847fff9363a39354f8840fed");',
        "fac2a4ad847fff9363a39354f8840fed",
    ),
    (
        'client := plivo.NewClient("MAOlSt96HBCKHVjubgXX", '
        '"jZshAzzAZ7MwjLOQOUtRVDTTZCv0k4mz0b5gfl38", &plivo.ClientOptions{})',
        "jZshAzzAZ7MwjLOQOUtRVDTTZCv0k4mz0b5gfl38",
    ),
    (
        '$mollie->setApiKey("live_Y4OZZX3j6D5Wd12yoyWo16CLu5eYO9");',
        "live_Y4OZZX3j6D5Wd12yoyWo16CLu5eYO9",
    ),
    ('client.set_access_token("Y4OZZX3j6D5Wd12yoyWo16CLu5eYO9")', "Y4OZZX3j6D5Wd12yoyWo16CLu5eYO9"),
    (
        "Authorization: Splunk 55BFB4EB-55B4-4488-AEE0-A86529D8580E\n",
        "55BFB4EB-55B4-4488-AEE0-A86529D8580E",
    ),
    (
        '{"name": "Authorization", "value": "SSWS 00QCjAl4MlVWPXMk8rTq2Zc5Yh9Kd3Lm"}',
        "00QCjAl4MlVWPXMk8rTq2Zc5Yh9Kd3Lm",
    ),
]


@pytest.mark.parametrize(("text", "value"), FOUND)
def test_a_key_given_to_a_client_is_found_with_its_exact_span(
    secrets_detector: SecretsDetector, text: str, value: str
) -> None:
    """The key is one generic secret spanning exactly the key; the id beside it is quiet."""
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, value)]


QUIET = [
    'bucket = storage.Client("my-project-123456")',
    'http = new HttpClient("https://api.example.com/v1/abc123def456")',
    'id = new ObjectId("507f1f77bcf86cd799439011")',
    'Sentry.init("https://abc123def456@o1.ingest.sentry.io/1234567")',
    'cache = redisClient("localhost:6379", "prod-cache-primary-01")',
    'service = new NotificationService("email-notifications-v2")',
    'config.setKey("user:12345:profile:settings")',
    'Authorization: Digest username="Mufasa", realm="testrealm@host.com"\n',
    "Send the Authorization: header with every request.\n",
]


@pytest.mark.parametrize("text", QUIET)
def test_a_client_built_without_a_key_stays_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A host, a URL, a project's or a service's name given to a client is no key."""
    assert spans(secrets_detector, text) == []
