"""Wiring: build the aiohttp application from parsed settings.

Nothing happens at import. ``create_app`` builds the collaborators (tests inject their own)
and registers start-up/clean-up hooks that open and close the upstream session, start the
keys-file watcher and close background tasks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime
from pathlib import Path

import aiohttp
import structlog
from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from core.filewatch import Watched, watch
from core.inspection import RequestInspector
from policies.model import Policy
from proxy import __version__
from proxy.admin.anomalies import add_anomaly_routes
from proxy.admin.api import (
    AdminAuth,
    AdminRoutes,
    ensure_admin_token,
    status,
    under_admin,
)
from proxy.admin.config_history import add_config_history_routes
from proxy.admin.log_reader import LogReader
from proxy.admin.logs import add_log_routes
from proxy.admin.register import add_register_routes
from proxy.admin.report import add_report_routes
from proxy.admin.spend import add_spend_routes
from proxy.call.auth import Authenticator
from proxy.call.budgets import BudgetGuard, read_spends
from proxy.call.enforcement import (
    ENFORCEMENT,
    Enforcement,
    build_enforcement,
    enforcement_context,
)
from proxy.call.events import EventSink, NullSink
from proxy.call.limits import InProcessLimiter, RateLimiter
from proxy.call.limits_redis import RedisLimiter, RedisSpend, redis_limiter
from proxy.call.path_segments import unread_view
from proxy.call.pipeline import api_handler
from proxy.call.pricing import shipped_prices, unpriced_models
from proxy.call.record import new_request_id
from proxy.call.relay import Relay
from proxy.call.unrouted import OPERATOR_PATHS, record_unrouted
from proxy.config.history import (
    ConfigHistory,
    ConfigVersion,
    keys_content,
    policy_content,
    rejected,
    settings_versions,
)
from proxy.config.keys import KeysFileError, KeyStore
from proxy.config.register import review_overdue
from proxy.config.reload import ConfigReloader
from proxy.config.settings import Settings
from proxy.config.snapshot import ConfigSnapshot
from proxy.datadir import secure_data_dir
from proxy.errors import (
    ProxyError,
    StartupError,
    error_response,
    http_error,
    http_error_response,
)
from proxy.expect import expect_continue, refusing_expectations
from proxy.metrics import Metrics
from proxy.services import SERVICES, Services, utc_now
from proxy.store import EventLog
from proxy.store.config_history import Trigger
from wire.apis.registry import WIRE_APIS, WireRegistry

log = structlog.get_logger("llm_proxy")

#: How long shutdown waits for the event log to reach ClickHouse (the rest stays spooled).
SHUTDOWN_FLUSH_SECONDS = 10.0


def create_app(
    settings: Settings,
    *,
    environ: Mapping[str, str],
    metrics: Metrics | None = None,
    sink: EventSink | None = None,
    inspector: RequestInspector | None = None,
    limiter: RateLimiter | None = None,
    clock: Callable[[], datetime] = utc_now,
    config_path: Path | None = None,
    wire: WireRegistry = WIRE_APIS,
) -> web.Application:
    """The proxy application. Collaborators default to the production ones.

    ``config_path`` is the file ``settings`` came from; when given, its register, providers,
    limits and log content modes hot-reload (SIGHUP or file change). ``wire`` holds the
    API wire formats served: adding an API is registering its format there.
    """
    # SECURITY (issue 9): the data directory holds prompts, keys and tokens: owner-only.
    secure_data_dir(settings.data_dir)
    keys = KeyStore(settings.keys_file)
    try:
        keys.reload()
    except KeysFileError as exc:
        # At start-up a broken keys file is fatal: running without the keys would either
        # lock everyone out or, in auto mode, silently fall back to pass-through.
        raise StartupError(str(exc)) from None
    metrics = metrics or Metrics()
    metrics.build_info.info({"version": __version__})
    enforcement = None
    if inspector is None:
        enforcement = build_enforcement(settings, metrics, wire)
        inspector = enforcement.inspector_in_force()
    services = Services(
        snapshot=ConfigSnapshot.build(settings, environ, keys=keys.current, inspector=inspector),
        keys=keys,
        authenticator=Authenticator(
            keys, settings.auth.mode, data_dir=settings.data_dir, metrics=metrics
        ),
        limiter=limiter or _limiter(settings, metrics, environ),
        sink=sink or NullSink(),
        metrics=metrics,
        clock=clock,
        wire=wire,
    )
    _swap_on_reload(services, enforcement)
    limiter_in_use = services.limiter
    if isinstance(limiter_in_use, RedisLimiter):
        services.budgets = BudgetGuard(RedisSpend(limiter_in_use))
    # Read at scrape: the pipeline counts calls in a plain attribute (a gauge's inc() and
    # dec() take a lock and five Python calls per call).
    metrics.in_flight_requests.set_function(lambda: services.in_flight)
    metrics.budget_used_ratio.watch(lambda: services.budgets.used_ratios(services.clock()))
    metrics.budget_warn_ratio.watch(
        lambda: {b.name: b.warn_at for b in services.settings.limits.budgets}
    )
    unpriced = unpriced_models(settings)
    if unpriced:
        log.warning("register_models_unpriced", models=unpriced, currency=settings.pricing.currency)
    # Read at every scrape: a reload swaps services.register, and midnight moves the clock.
    metrics.register_review_overdue.watch(
        lambda: review_overdue(services.register.entries(), services.clock().date())
    )
    # No middlewares, on this app or any sub-app: with one, aiohttp wraps every handler,
    # each /v1 call's included, in a chain of middleware calls (issue 11). The OpenAI error
    # shape comes from the handlers themselves and from the fallback route (``unrouted``).
    app = web.Application(
        # The body limit is enforced by the pipeline (it reads the stream itself, and
        # answers 413 in the OpenAI error shape); aiohttp's own limit only guards other routes.
        client_max_size=settings.max_body_bytes,
    )
    app[SERVICES] = services
    services.reloaders.append(lambda: reload_keys(services))
    interval = settings.auth.reload_interval
    watched = [
        Watched("keys", keys.changed, lambda: reload_keys(services, "file_change"), interval)
    ]
    if config_path is not None:
        config = ConfigReloader(services, config_path, environ)
        services.reloaders.append(config.reload_off_loop)
        watched.append(
            Watched(
                "config", config.changed, lambda: config.reload_off_loop("file_change"), interval
            )
        )
    if enforcement is not None:
        watched.append(enforcement.holder.watched(settings.policy.reload_interval))
    app[WATCHED_FILES] = watched
    app[CONFIG_FILE] = str(config_path or "")
    # Every route's Expect header is answered by proxy.expect: aiohttp's default repeated
    # an unknown expectation's value in a 417 before any handler ran (h163).
    app.router.add_get("/healthz", healthz, expect_handler=expect_continue)
    app.router.add_get("/readyz", readyz, expect_handler=expect_continue)
    handle_api = api_handler(services)
    # The served endpoints as plain routes first: one is found by a dict look-up and a
    # string comparison, where /v1/{tail} walks the path's parents and runs a regex. Every
    # /v1 path gets the same handler either way (it reads the path itself).
    api_expects = refusing_expectations(services)
    for path in sorted(wire.served_paths):
        if path.startswith("/v1/"):
            app.router.add_route("*", path, handle_api, expect_handler=api_expects)
    app.router.add_route("*", "/v1/{tail:.*}", handle_api, expect_handler=api_expects)
    auth = AdminAuth(ensure_admin_token(settings.admin_token_file), settings.admin.readers)
    if settings.admin_listen is None:
        _add_operator_routes(app, auth)
    else:
        # SECURITY: on a non-loopback listener /admin and /metrics are not routed at all
        # (404 like any unknown path); they get a loopback listener of their own.
        app[ADMIN_LISTENER_APP] = admin_listener_app(services, auth)
        app.router.add_route("*", "/{tail:.*}", unrouted(None), expect_handler=expect_continue)
    # Start-up runs in order, clean-up in reverse: the limiter connects first (seeding the
    # budgets writes to it) and closes last, after the background tasks that charge tokens
    # to it have ended.
    app.cleanup_ctx.append(_limiter_connection)
    if sink is None:
        app.cleanup_ctx.append(_event_log)
        app.cleanup_ctx.append(_seed_budgets)
    if enforcement is not None:
        app[ENFORCEMENT] = enforcement
        services.reloaders.append(enforcement.reload)
        app.cleanup_ctx.append(enforcement_context)
    app.cleanup_ctx.append(_upstream_session)
    app.cleanup_ctx.append(_file_watcher)
    app.cleanup_ctx.append(_first_call_tables)
    return app


def _swap_on_reload(services: Services, enforcement: Enforcement | None) -> None:
    """Put each reloaded key set and policy in the snapshot (one assignment each), next to
    the settings, so that a call authenticates and is inspected under what was in force when
    it arrived."""

    def use_keys() -> None:
        services.snapshot = services.snapshot.with_keys(services.keys.current)

    services.keys.on_reload(use_keys)
    if enforcement is not None:

        def use_policy(policy: Policy) -> None:
            inspector = enforcement.inspector_in_force()
            services.snapshot = services.snapshot.with_inspector(inspector)

        enforcement.holder.add_reload_callback(use_policy)


def _limiter(settings: Settings, metrics: Metrics, environ: Mapping[str, str]) -> RateLimiter:
    if settings.limits.backend == "redis":
        return redis_limiter(settings.limits.redis, metrics, environ)
    return InProcessLimiter()


async def _limiter_connection(app: web.Application) -> AsyncIterator[None]:
    """Connect a shared limiter before serving (its first calls are not the ones to wait for
    Redis, nor to pass unlimited when that takes longer than a call may); close it last."""
    limiter = app[SERVICES].limiter
    if isinstance(limiter, RedisLimiter):
        await limiter.connect()
    yield
    if isinstance(limiter, RedisLimiter):
        await limiter.close()


async def _event_log(app: web.Application) -> AsyncIterator[None]:
    """Open the event log (spool recovery, migrations) before serving; flush it at exit."""
    services = app[SERVICES]
    event_log = EventLog(services.settings.store, services.metrics)
    try:
        await asyncio.to_thread(event_log.start)
    except OSError as exc:
        raise StartupError(
            f"cannot use the event log spool {services.settings.store.spool_dir}: "
            f"{exc.strerror or exc}"
        ) from None
    reader = LogReader(services.settings.store, flush=event_log.flush)
    history = ConfigHistory(services.settings.store)
    history.record(*_start_versions(app))
    services.config_history = history
    services.sink = event_log
    services.log_reader = reader
    yield
    # Runs after in-flight calls finished (the runner drains them first), so every
    # answered call has been recorded and is flushed here.
    services.config_history = None
    await asyncio.to_thread(history.close)
    await asyncio.to_thread(reader.close)
    flushed = await asyncio.to_thread(event_log.close, SHUTDOWN_FLUSH_SECONDS)
    if not flushed:
        log.warning("event_log_not_fully_flushed", detail="the rest is sent at next start")


async def _seed_budgets(app: web.Application) -> AsyncIterator[None]:
    """Read the current periods' spend back from the event log, so that a restart does not
    hand out fresh budgets. A store that cannot answer leaves them at zero (logged)."""
    services = app[SERVICES]
    budgets = services.settings.limits.budgets
    if budgets:
        try:
            spends = await asyncio.to_thread(
                read_spends, services.settings.store, budgets, services.clock()
            )
        except Exception as exc:  # a store error must not stop the proxy from serving
            log.warning("budget_spend_not_read", error_type=type(exc).__name__)
        else:
            await services.budgets.store.seed(spends)
    yield


async def _first_call_tables(app: web.Application) -> AsyncIterator[None]:
    """Read, in a thread, what calls read once and keep: the shipped price table (YAML,
    0.25-0.35 s to parse). Read on first use, it held the event loop during the first call
    after start-up (bench/first_calls.py)."""
    if app[SERVICES].settings.pricing.shipped_prices:
        await asyncio.to_thread(shipped_prices)
    yield


#: The configuration file the proxy was started from ("" when none), for the history.
CONFIG_FILE = web.AppKey("config_file", str)


def _start_versions(app: web.Application) -> list[ConfigVersion]:
    """Every kind of configuration in force at start, for the configuration history."""
    services = app[SERVICES]
    versions = settings_versions(services.settings, "start", app[CONFIG_FILE])
    keys_file = str(services.keys.path)
    versions.append(ConfigVersion("keys", "start", keys_file, True, keys_content(services.keys)))
    enforcement = app.get(ENFORCEMENT)
    if enforcement is not None:
        holder = enforcement.holder
        policy_file = str(holder.path or "shipped default pack")
        content = policy_content(holder.policy)
        versions.append(ConfigVersion("policy", "start", policy_file, True, content))
    return versions


def unrouted(admin: AdminAuth | None) -> Handler:
    """The handler of the last route, ``/{tail:.*}``, for every request no other route
    takes: 404, or 405 when the path has routes for other methods, in the OpenAI error
    shape. With ``admin``, the admin API is served here and a path under ``/admin`` is
    answered so only to a caller holding an admin token (401 otherwise), as the admin API's
    own routes are: strangers do not learn which admin paths exist.

    A request outside the operator's paths and the admin API is a call, recorded as a
    refused one (:mod:`proxy.call.unrouted`); its answer carries the event's id. A listener
    wired without the proxy's services (the metrics listener) serves no calls: it records
    none."""

    async def answer(request: web.Request) -> web.StreamResponse:
        in_admin = admin is not None and under_admin(request.rel_url.path_safe)
        if admin is not None and in_admin:
            try:
                admin.authenticate(request.headers)
            except ProxyError as exc:
                return error_response(exc)
        this = request.match_info.route.resource
        allowed: set[str] = set()
        for resource in request.app.router.resources():
            if resource is not this:
                allowed |= (await resource.resolve(request))[1]
        refusal = (
            web.HTTPMethodNotAllowed(request.method, allowed) if allowed else web.HTTPNotFound()
        )
        # SECURITY: the path is the caller's text (an AzureOpenAI client sends its key as a
        # deployment name): the answer names it as it would rest, caller segments unread.
        services = request.app.get(SERVICES)
        wire = services.wire if services is not None else WIRE_APIS
        shown = unread_view(request.path[:256], wire.served_paths)
        if services is None or in_admin or request.path in OPERATOR_PATHS:
            return http_error_response(refusal, shown)
        error = http_error(refusal, shown)
        return error_response(error, request_id=record_unrouted(services, request, error))

    return answer


def _own_id() -> dict[str, str]:
    """The ``x-request-id`` header of an answer no call records (health, readiness,
    metrics): every answer carries one (DESIGN §HTTP), fresh for each."""
    return {"x-request-id": new_request_id()}


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"}, headers=_own_id())


async def readyz(request: web.Request) -> web.Response:
    """Ready when there is an upstream the proxy can use and the event log can take events."""
    services = request.app[SERVICES]
    problems: list[str] = []
    if not services.authenticator.passthrough and not services.credentials:
        problems.append("no provider credential configured for virtual-key callers")
    if not services.sink.accepting():
        problems.append("event log is refusing events")
    store = services.sink.status()
    if store is not None and not store.ready:
        problems.append("event log store unreachable and spool not writable")
    status = 503 if problems else 200
    body = {"ready": not problems, "problems": problems}
    return web.json_response(body, status=status, headers=_own_id())


async def metrics_handler(request: web.Request) -> web.Response:
    registry = request.app[SERVICES].metrics.registry
    body = await asyncio.to_thread(generate_latest, registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST, **_own_id()})


#: The admin listener's application, when ``Settings.admin_listen`` gives it one.
ADMIN_LISTENER_APP = web.AppKey("admin_listener_app", web.Application)


def admin_listener_app(services: Services, auth: AdminAuth) -> web.Application:
    """The application of the admin listener: /admin, and /metrics unless ``metrics.listen``
    moves it; it shares the proxy's services (store reader, metrics) with the main app."""
    app = web.Application()
    app[SERVICES] = services
    _add_operator_routes(app, auth)
    return app


def _add_operator_routes(app: web.Application, auth: AdminAuth) -> None:
    """Route the admin API under /admin, and /metrics unless it has a listener of its own;
    then the fallback route, last."""
    if app[SERVICES].settings.metrics.listen is None:
        app.router.add_get("/metrics", metrics_handler, expect_handler=expect_continue)
    add_admin_routes(AdminRoutes(app.router, auth))
    app.router.add_route("*", "/{tail:.*}", unrouted(auth), expect_handler=expect_continue)


def add_admin_routes(routes: AdminRoutes) -> None:
    """The admin API: status and the event log routes."""
    routes.add_get("/v1/status", status)
    add_log_routes(routes)
    add_anomaly_routes(routes)
    add_spend_routes(routes)
    add_register_routes(routes)
    add_config_history_routes(routes)
    add_report_routes(routes)


def metrics_app(metrics: Metrics) -> web.Application:
    """A separate application serving only /metrics, for ``metrics.listen``."""

    async def handler(request: web.Request) -> web.Response:
        body = await asyncio.to_thread(generate_latest, metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST, **_own_id()})

    app = web.Application()
    app.router.add_get("/metrics", handler, expect_handler=expect_continue)
    app.router.add_route("*", "/{tail:.*}", unrouted(None), expect_handler=expect_continue)
    return app


async def _upstream_session(app: web.Application) -> AsyncIterator[None]:
    services = app[SERVICES]
    connector = aiohttp.TCPConnector(limit=1000, limit_per_host=0, ttl_dns_cache=300)
    # SECURITY: no cookie jar. One session serves every caller: a cookie a provider sets
    # (Cloudflare's __cf_bm) would be sent on other callers' calls.
    session = aiohttp.ClientSession(
        connector=connector, auto_decompress=True, cookie_jar=aiohttp.DummyCookieJar()
    )
    services.relay = Relay(session, services.settings.timeouts)
    yield
    await services.tasks.close()
    await session.close()


async def reload_keys(services: Services, trigger: Trigger = "sighup") -> None:
    """Reload the keys file now (parsed off the event loop); keep the old keys if the new
    file is invalid."""
    history = services.config_history
    path = str(services.keys.path)
    try:
        await services.keys.reload_off_loop()
    except KeysFileError as exc:
        log.error("keys_reload_failed", problems=str(exc))
        services.metrics.config_reloads_total.labels("keys", "failure").inc()
        if history is not None:
            history.record(rejected("keys", trigger, path, str(exc)))
        return
    log.info("keys_reloaded", keys=len(services.keys))
    services.metrics.config_reloads_total.labels("keys", "success").inc()
    if history is not None:
        history.record(ConfigVersion("keys", trigger, path, True, keys_content(services.keys)))


#: The files the watcher polls: the keys file, the config file and the policy file.
WATCHED_FILES = web.AppKey("watched_files", list[Watched])


async def _file_watcher(app: web.Application) -> AsyncIterator[None]:
    """One background task polls every watched file, each at its own interval."""

    def failed(item: Watched, exc: Exception) -> None:
        # e.g. the data directory became unreadable. The watcher must outlive a bad moment:
        # keep what is loaded, keep polling. Only the error's type: no file content.
        log.error("file_watch_failed", file=item.name, error=type(exc).__name__)

    watched: list[Watched] = app[WATCHED_FILES]
    app[SERVICES].tasks.spawn(watch(watched, failed), name="file_watcher")
    yield
