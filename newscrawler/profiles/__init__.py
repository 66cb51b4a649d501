"""The registry of site profiles: every module in this package that defines PROFILE."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from urllib.parse import urlsplit

from newscrawler.profiles.base import Discovery, Layout, Profile

__all__ = ["Discovery", "Layout", "Profile", "all_profiles", "get_profile", "profile_for_url"]


@lru_cache(maxsize=1)
def all_profiles() -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        profile = getattr(module, "PROFILE", None)
        if isinstance(profile, Profile):
            if profile.id in profiles:
                raise ValueError(f"duplicate profile id {profile.id!r}")
            profiles[profile.id] = profile
    return profiles


def get_profile(site_id: str) -> Profile:
    try:
        return all_profiles()[site_id]
    except KeyError:
        known = ", ".join(sorted(all_profiles()))
        raise KeyError(f"unknown site {site_id!r}; known sites: {known}") from None


def profile_for_url(url: str | None) -> Profile | None:
    if not url:
        return None
    return _profile_for_host((urlsplit(url).hostname or "").lower())


@lru_cache(maxsize=4096)  # asked for every page; a crawl sees few hosts
def _profile_for_host(host: str) -> Profile | None:
    return next((p for p in all_profiles().values() if p.owns_host(host)), None)
