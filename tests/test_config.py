from __future__ import annotations

import pytest

from framewatch import config
from framewatch.config import Limits


def test_limits_defaults_and_overrides() -> None:
    assert Limits().describe() == ("file_bytes=50MB, line_bytes=10MB, json_depth=100, archive_members=100000, "
                                   "archive_bytes=2GB, feed_entries=10000, markup_tags=50000, bad_lines=1000")
    lim = Limits().with_overrides(["json_depth=20", "file-bytes=5MB", "line_bytes=64KiB", "feed_entries=1_000"])
    assert (lim.json_depth, lim.file_bytes, lim.line_bytes, lim.feed_entries) == (20, 5_000_000, 65_536, 1_000)
    assert Limits().with_overrides({"archive_members": 7}).archive_members == 7


@pytest.mark.parametrize(("items", "message"), [
    (["depth=3"], "unknown limit 'depth'; use one of file_bytes, line_bytes, json_depth, archive_members, "
                  "archive_bytes, feed_entries, markup_tags, bad_lines"),
    (["json_depth"], "expected NAME=VALUE for a limit, got 'json_depth' (names: file_bytes, line_bytes, json_depth, "
                     "archive_members, archive_bytes, feed_entries, markup_tags, bad_lines)"),
    (["json_depth=5MB"], "limit json_depth: expected a whole number, got '5MB'"),
    (["file_bytes=lots"], "limit file_bytes: expected a whole number with an optional unit (KB, MB, GB), got 'lots'"),
    (["file_bytes=0"], "limit file_bytes must be at least 1, got '0'"),
])
def test_bad_limits_say_what_is_wrong(items: list[str], message: str) -> None:
    with pytest.raises(ValueError) as exc:
        Limits().with_overrides(items)
    assert str(exc.value) == message


def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMEWATCH_MAX_BYTES", "1000")
    monkeypatch.setenv("FRAMEWATCH_LIMITS", "json_depth=3, feed_entries=5")
    lim = config.limits()
    assert (lim.file_bytes, lim.json_depth, lim.feed_entries) == (1000, 3, 5)
    assert config.limits(["json_depth=4"]).json_depth == 4  # an argument beats the environment
    assert config.max_bytes() == 1000
