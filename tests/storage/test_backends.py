"""What both storage backends must do alike, run on SQLite and on a real PostgreSQL server.

What only several workers on one PostgreSQL database can show is in test_pg_workers.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.backends import Storage, make_storage
from bot.reminders.planning import ReminderKind
from tests.harness import make_settings

pytestmark = pytest.mark.usefixtures("both_backends")


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    opened = make_storage(make_settings(tmp_path))
    await opened.db.open()
    try:
        yield opened
    finally:
        await opened.db.close()


async def _teacher_with_preparation(storage: Storage, user_id: int = 7) -> int:
    step = await storage.repo.save_step(update_id=1, user_id=user_id, preparation_id=None, script_id="s", state="{}")
    assert step.preparation_id is not None
    return step.preparation_id


async def test_a_redelivered_update_changes_nothing_twice(storage: Storage) -> None:
    repo = storage.repo
    prep = await _teacher_with_preparation(storage)
    assert (await repo.save_step(update_id=2, user_id=7, preparation_id=prep, script_id="s", state='{"a":1}')).applied
    again = await repo.save_step(update_id=2, user_id=7, preparation_id=prep, script_id="s", state='{"a":2}')
    assert not again.applied and again.preparation_id == prep
    assert (await repo.get_preparation(7, prep)).state == '{"a":1}'  # type: ignore[union-attr]

    # Role choice: the teacher chose "parent" (update 10), then "teacher" (11); 10 comes again.
    await repo.set_role(7, "parent", 10)
    await repo.set_role(7, "teacher", 11)
    assert (await repo.set_role(7, "parent", 10)).role == "teacher"
    assert (await repo.get_user(7)).role == "teacher"  # type: ignore[union-attr]


async def test_opening_an_invitation_twice_in_one_update_counts_once(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    token, _ = await storage.invitations.create(7, prep, {"doel": "x"}, datetime.now(UTC) + timedelta(days=2))
    for _ in range(2):  # the same update, redelivered
        status, _invitation = await storage.invitations.open(token, viewer_id=99, update_id=500)
        assert status == "ok"
    await storage.invitations.open(token, viewer_id=99, update_id=501)
    [invitation] = await storage.invitations.for_teacher(7)
    assert invitation.open_count == 2 and invitation.opened_at is not None


async def test_a_redelivered_reminder_switch_does_not_undo_a_later_one(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    meeting = datetime.now(UTC) + timedelta(days=3)
    due = meeting - timedelta(hours=1)
    await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: due}, meeting, "nl", update_id=20)  # on
    await storage.reminders.plan(7, prep, {}, meeting, "nl", update_id=21)  # off
    again = await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: due}, meeting, "nl", update_id=20)
    assert again == [] and await storage.reminders.for_preparation(7, prep) == []


async def test_a_form_result_is_stored_once_with_its_update(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    await storage.repo.save_draft(7, "inv", '{"a": 1}', update_id=30)
    _token, write = storage.invitations.writer(7, prep, {}, datetime.now(UTC) + timedelta(days=2))
    applied, invitation = await storage.repo.finish_form(7, 31, write)
    assert applied and invitation is not None and invitation.user_id == 7
    _token, write_again = storage.invitations.writer(7, prep, {}, datetime.now(UTC) + timedelta(days=2))
    assert await storage.repo.finish_form(7, 31, write_again) == (False, None)
    assert len(await storage.invitations.for_teacher(7)) == 1 and await storage.repo.get_draft(7) is None
    applied, saved = await storage.repo.finish_form(7, 32, storage.repo.reflection_writer(7, prep, '{"hoe": "goed"}'))
    assert applied and saved is True
    assert (await storage.repo.get_preparation(7, prep)).reflection == '{"hoe": "goed"}'  # type: ignore[union-attr]


async def test_erasing_leaves_nothing_of_the_user(storage: Storage) -> None:
    prep = await _teacher_with_preparation(storage)
    await storage.repo.set_language(7, "en")
    await storage.invitations.create(7, prep, {}, datetime.now(UTC) + timedelta(days=2))
    meeting = datetime.now(UTC) + timedelta(days=3)
    await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: meeting - timedelta(hours=1)}, meeting)
    await storage.repo.save_draft(7, "refl", "{}")
    exported = await storage.repo.export_user(7)
    assert exported["user"]["language"] == "en" and len(exported["preparations"]) == 1
    assert len(exported["invitations"]) == 1 and len(exported["reminders"]) == 1 and len(exported["drafts"]) == 1
    await storage.repo.erase_user(7)
    assert await storage.repo.export_user(7) == {
        "user": None, "preparations": [], "invitations": [], "reminders": [], "drafts": [],
    }  # fmt: skip
    assert await storage.repo.get_user(7) is None and await storage.reminders.outstanding() == []


async def test_a_claimed_reminder_is_taken_over_only_after_its_lease_ran_out(
    storage: Storage, both_backends: str
) -> None:
    prep = await _teacher_with_preparation(storage)
    meeting = datetime.now(UTC) + timedelta(days=3)
    [planned] = await storage.reminders.plan(7, prep, {ReminderKind.HOUR_BEFORE: datetime.now(UTC)}, meeting)
    [claimed] = await storage.reminders.claim_due()
    assert claimed.id == planned.id and claimed.status == "sending"
    assert await storage.reminders.claim_due() == [] and await storage.reminders.claim(planned.id) is None
    # The worker that claimed it dies; its lease runs out (a store whose clock is past the lease).
    later = type(storage.reminders)(storage.db, clock=lambda: datetime.now(UTC) + timedelta(minutes=6))  # type: ignore[call-arg]
    [taken_over] = await later.claim_due()
    assert taken_over.id == planned.id
    await later.finish(planned.id, "sent")
    assert await later.claim_due() == [] and await storage.reminders.outstanding() == []


async def test_an_open_database_is_ready_and_a_closed_one_is_not(tmp_path: Path) -> None:
    storage = make_storage(make_settings(tmp_path))
    assert not await storage.db.ready()
    await storage.db.open()
    assert await storage.db.ready()
    await storage.db.close()
    assert not await storage.db.ready()
