"""Which model names read as a model's name (shown and kept in clear) and which not."""

from __future__ import annotations

import pytest

from proxy.model_names import reads_as_model_name

NAMES = [
    "gpt-4o-2024-08-06",
    "meta-llama/Llama-3.1-8B-Instruct",
    "ft:gpt-4o-mini:acme::7qTVM5AR",
    "anthropic.claude-3-sonnet-20240229-v1:0",
    "NousResearch/Hermes-3-Llama-3.1-8B",
    "models/gemini-1.5-pro-002",
    "claude-3@20240229",
]
NOT_NAMES = [
    "sk-proj-aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3aB5cD7eF9gH1jK3",  # a key's scattered run
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # AWS's documented secret
    "Autumn2024!",  # a sign no model name has
    "gpt-4o-mini sk-x",  # a blank
    "x" * 129,  # longer than any provider's name
    "",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_model_name_reads_as_one(name: str) -> None:
    """Providers' names, a fine-tune's short code and humped words are names."""
    assert reads_as_model_name(name)


@pytest.mark.parametrize("name", NOT_NAMES)
def test_a_credential_does_not_read_as_a_model_name(name: str) -> None:
    """A key's scattered run, a password's sign, a blank or an overlong value are not."""
    assert not reads_as_model_name(name)
