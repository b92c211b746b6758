"""Which log content mode a call is recorded under (``log_content``: full, redacted, hash,
none): the register entry's and the team's, whichever is more private."""

from __future__ import annotations

from core.identity import Identity
from proxy.config.settings import ModelEntry, Settings
from proxy.store.settings import ContentMode

_PRIVACY = tuple(ContentMode)  # least to most private


def content_mode_for(settings: Settings, identity: Identity, entry: ModelEntry) -> str:
    """The more private of the register entry's and the team's log content mode; "" when
    neither names one (the store's default applies)."""
    team_mode = settings.log_content.teams.get(identity.team)
    if team_mode is None:  # most calls: no team mode, so the entry's (if any) applies
        return "" if entry.log_content is None else entry.log_content.value
    modes = [mode for mode in (entry.log_content, team_mode) if mode is not None]
    return max(modes, key=_PRIVACY.index).value
