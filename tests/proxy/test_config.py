"""Configuration: zero-config defaults, environment overrides and precise error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from proxy.cli.main import main
from proxy.config.settings import (
    DEFAULT_ANTHROPIC_BASE_URL,
    DEFAULT_OPENAI_BASE_URL,
    ConfigError,
    ProviderKind,
    load_settings,
    parse_settings,
)


def problems_of(raw: dict[str, Any]) -> list[str]:
    """The problem lines ``parse_settings`` reports for ``raw`` (which must be invalid)."""
    with pytest.raises(ConfigError) as caught:
        parse_settings(raw, environ={})
    return caught.value.problems


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_loopback_8080_and_both_default_providers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no configuration at all the proxy listens on 127.0.0.1:8080 in front of OpenAI
    and Anthropic, keeping its data under ./data."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, environ={})
    assert (settings.listen.host, settings.listen.port) == ("127.0.0.1", 8080)
    assert settings.listen.is_loopback
    openai, anthropic = settings.providers["openai"], settings.providers["anthropic"]
    assert (openai.kind, openai.base_url, openai.api_key_env) == (
        ProviderKind.OPENAI,
        DEFAULT_OPENAI_BASE_URL,
        "OPENAI_API_KEY",
    )
    assert DEFAULT_OPENAI_BASE_URL == "https://api.openai.com/v1"
    assert (anthropic.kind, anthropic.base_url) == (
        ProviderKind.ANTHROPIC,
        DEFAULT_ANTHROPIC_BASE_URL,
    )
    assert settings.data_dir == tmp_path / "data"
    assert settings.keys_file == tmp_path / "data" / "keys.yaml"
    assert settings.admin_token_file == tmp_path / "data" / "admin.token"
    assert settings.ai_register.unlisted_policy == "allow"
    assert settings.auth.mode == "auto"


def test_sdk_base_url_variables_move_the_default_upstreams() -> None:
    """OPENAI_BASE_URL and ANTHROPIC_BASE_URL point the default providers elsewhere, as
    they do for the official SDKs (a trailing slash is tolerated)."""
    settings = parse_settings(
        {},
        environ={
            "OPENAI_BASE_URL": "http://127.0.0.1:9999/v1/",
            "ANTHROPIC_BASE_URL": "http://127.0.0.1:9998",
        },
    )
    assert settings.providers["openai"].base_url == "http://127.0.0.1:9999/v1"
    assert settings.providers["anthropic"].base_url == "http://127.0.0.1:9998"


def test_config_file_providers_are_added_to_the_defaults() -> None:
    """Providers named in the file join the default ones instead of replacing them."""
    settings = parse_settings(
        {"providers": {"local": {"kind": "openai_compatible", "base_url": "http://gpu:8000/v1"}}},
        environ={},
    )
    assert set(settings.providers) == {"openai", "anthropic", "local"}
    assert settings.providers["local"].api_key_env is None


def test_llm_proxy_config_variable_picks_the_file(tmp_path: Path) -> None:
    """LLM_PROXY_CONFIG names the file to read when no path is given."""
    config = write(tmp_path / "proxy.yaml", "listen:\n  port: 9090\n")
    settings = load_settings(None, environ={"LLM_PROXY_CONFIG": str(config)})
    assert settings.listen.port == 9090


def test_explicit_path_wins_over_the_environment(tmp_path: Path) -> None:
    """A path given on the command line is used even when LLM_PROXY_CONFIG is set."""
    chosen = write(tmp_path / "chosen.yaml", "listen:\n  port: 9091\n")
    other = write(tmp_path / "other.yaml", "listen:\n  port: 9092\n")
    settings = load_settings(chosen, environ={"LLM_PROXY_CONFIG": str(other)})
    assert settings.listen.port == 9091


def test_empty_file_means_all_defaults(tmp_path: Path) -> None:
    """An empty configuration file is the same as no file."""
    settings = load_settings(write(tmp_path / "empty.yaml", ""), environ={})
    assert settings.listen.port == 8080


def test_relative_paths_resolve_against_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``data_dir: ./state`` means the same directory with and without a file elsewhere."""
    (tmp_path / "etc").mkdir()
    config = write(tmp_path / "etc" / "proxy.yaml", "data_dir: ./state\n")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(config, environ={})
    assert settings.data_dir == tmp_path / "state"
    assert settings.keys_file == tmp_path / "state" / "keys.yaml"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"timeouts": {"ttfb": 0}}, "timeouts.ttfb: Input should be greater than 0 (got 0)"),
        ({"timeouts": {"ttfb": "slow"}}, "timeouts.ttfb: "),
        ({"listen": {"hots": "0.0.0.0"}}, "listen.hots: Extra inputs are not permitted"),
        ({"listen": {"port": 70000}}, "listen.port: "),
        ({"lisen": {"port": 1}}, "lisen: Extra inputs are not permitted"),
        (
            {"register": {"models": [{"name": "m", "provider": "nope"}]}},
            "register.models.0.provider: unknown provider 'nope' (configured: anthropic, openai)",
        ),
        ({"register": {"models": [{"name": "", "provider": "openai"}]}}, "register.models.0.name"),
        (
            {
                "register": {
                    "models": [{"name": "m", "provider": "openai", "data_classification": "secret"}]
                }
            },
            "register.models.0.data_classification: ",
        ),
        ({"register": {"unlisted": "maybe"}}, "register.unlisted: "),
        ({"auth": {"mode": "magic"}}, "auth.mode: "),
        ({"auth": {"reload_interval": 0}}, "auth.reload_interval: "),
        ({"limits": {"per_key": {"requests_per_minute": 0}}}, "limits.per_key.requests_per_minute"),
        ({"limits": {"teams": {"red": {"rpm": 5}}}}, "limits.teams.red.rpm: Extra inputs"),
        ({"providers": "openai"}, "providers: Input should be a valid dictionary"),
        ({"providers": ["openai"]}, "providers: Input should be a valid dictionary"),
        (
            {"providers": {"x": {"kind": "openai", "base_url": "ftp://x"}}},
            "providers.x.base_url: must start with http:// or https:// (got 'ftp://x')",
        ),
        ({"providers": {"x": {"kind": "gemini", "base_url": "https://x"}}}, "providers.x.kind: "),
        ({"max_body_bytes": -1}, "max_body_bytes: "),
        ({"log_level": "loud"}, "log_level: "),
    ],
)
def test_bad_value_is_one_line_naming_its_key_path(raw: dict[str, Any], expected: str) -> None:
    """Each bad setting is reported as one line that starts with the key path."""
    problems = problems_of(raw)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems
    assert "\n" not in problems[0]
    assert "pydantic" not in problems[0]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    """A file with several mistakes lists all of them, not only the first, one per line,
    cross-references to providers included."""
    config = write(
        tmp_path / "bad.yaml",
        "listen:\n"
        "  hots: 0.0.0.0\n"
        "timeouts:\n"
        "  ttfb: -1\n"
        "register:\n"
        "  models:\n"
        "    - {name: gpt-4o, provider: opnai}\n"
        "    - {name: claude, provider: antropic}\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    assert caught.value.source == str(config)
    paths = [line.split(":", 1)[0] for line in caught.value.problems]
    assert paths == [
        "listen.hots",
        "timeouts.ttfb",
        "register.models.0.provider",
        "register.models.1.provider",
    ]


def test_azure_provider_needs_an_api_version() -> None:
    """An Azure OpenAI provider without api_version is refused with a hint of the format."""
    azure = {"kind": "azure", "base_url": "https://acme.openai.azure.com"}
    (problem,) = problems_of({"providers": {"azure": azure}})
    assert problem.startswith("providers.azure: ")
    assert "api_version" in problem
    settings = parse_settings(
        {"providers": {"azure": {**azure, "api_version": "2024-10-21"}}}, environ={}
    )
    assert settings.providers["azure"].api_version == "2024-10-21"


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        (
            [{"name": "gpt-4o", "provider": "openai"}, {"name": "gpt-4o", "provider": "openai"}],
            ["register.models.1: model name 'gpt-4o' already used by register.models.0"],
        ),
        (
            [
                {"name": "gpt-4o", "provider": "openai"},
                {"name": "big", "aliases": ["gpt-4o"], "provider": "openai"},
            ],
            ["register.models.1: model name 'gpt-4o' already used by register.models.0"],
        ),
        (
            [
                {"name": "a", "aliases": ["fast"], "provider": "openai"},
                {"name": "b", "aliases": ["fast"], "provider": "anthropic"},
                {"name": "c", "aliases": ["a"], "provider": "openai"},
            ],
            [
                "register.models.1: model name 'fast' already used by register.models.0",
                "register.models.2: model name 'a' already used by register.models.0",
            ],
        ),
    ],
)
def test_duplicate_model_names_and_aliases_are_errors(
    models: list[dict[str, Any]], expected: list[str]
) -> None:
    """A model name or alias may appear only once in the register, or routing is ambiguous."""
    assert problems_of({"register": {"models": models}}) == expected


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    """A YAML syntax error is one line that says where in the file it is."""
    config = write(tmp_path / "bad.yaml", "listen:\n  host: 127.0.0.1\n port: 8080\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    (problem,) = caught.value.problems
    assert problem.startswith("line 3, column 2: invalid YAML: ")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("- listen\n- port\n", "(top level): must be a mapping of settings"),
        (b"listen:\n  host: \xe9\n", "not UTF-8 text"),
    ],
)
def test_unusable_file_content_is_one_line(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    """A file that is not a mapping of settings, or not text, is reported in one line."""
    config = write(tmp_path / "bad.yaml", content)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={})
    (problem,) = caught.value.problems
    assert problem.startswith(expected)


def test_missing_file_named_by_the_environment_is_an_error(tmp_path: Path) -> None:
    """LLM_PROXY_CONFIG naming a missing file is an error, not a silent fall-back to defaults."""
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        load_settings(None, environ={"LLM_PROXY_CONFIG": str(missing)})
    assert caught.value.source == str(missing)
    assert caught.value.problems == ["cannot read: No such file or directory"]


def test_cli_bad_config_exits_2_with_one_line_per_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``llm-proxy serve`` with a bad file prints one prefixed line per problem and exits 2."""
    monkeypatch.chdir(tmp_path)
    config = write(
        tmp_path / "bad.yaml",
        "listen: {hots: 0.0.0.0}\n"
        "timeouts: {ttfb: -1}\n"
        "register: {models: [{name: m, provider: nope}]}\n",
    )
    code = main(["serve", "--config", str(config)], environ={})
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.splitlines()
    assert [line.split(": ")[2] for line in lines] == [
        "listen.hots",
        "timeouts.ttfb",
        "register.models.0.provider",
    ]
    assert all(line.startswith(f"llm-proxy: {config}: ") for line in lines)
    assert "Traceback" not in captured.err
    assert captured.out == ""


@pytest.mark.parametrize(
    "argv",
    [["serve"], ["keys", "create", "--user", "u", "--team", "t"]],
    ids=["serve", "keys-create"],
)
def test_cli_reads_the_config_named_by_the_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    """Every command that reads the configuration honours LLM_PROXY_CONFIG and exits 2 on
    a bad file, before doing anything else."""
    monkeypatch.chdir(tmp_path)
    config = write(tmp_path / "bad.yaml", "listen: [1, 2\n")
    code = main(argv, environ={"LLM_PROXY_CONFIG": str(config)})
    captured = capsys.readouterr()
    assert code == 2
    (line,) = captured.err.splitlines()
    assert line.startswith(f"llm-proxy: {config}: line 2, column 1: invalid YAML")
    assert not (tmp_path / "data").exists()


def test_cli_bad_port_option_exits_2_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``serve --port 70000`` is refused in one line naming the option, not a traceback."""
    monkeypatch.chdir(tmp_path)
    code = main(["serve", "--port", "70000"], environ={})
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.splitlines() == [
        "llm-proxy: command line: --port: Input should be less than or equal to 65535 (got 70000)"
    ]
