"""Keep a worker alive when Redis goes away while it holds unacknowledged tasks.

kombu's Redis transport (5.7.0, with Celery 5.7) crashes the worker with `AttributeError: 'NoneType'
object has no attribute 'hostname'` in `Channel._connparams`: after a lost connection Celery collects
the connection and then closes it, and closing the channel tries to restore the unacknowledged tasks
through a connection that has no client any more. It is the failure path of kombu issue #970 (a
regression of 4.2.2, fixed there and back now). No kombu release fixes it yet, so it is worked around
here rather than pinned away: with nobody to restore them through, the tasks are left to the broker's
visibility timeout. Nothing is lost by that: our tasks are doorbells; what is due is in the database.
"""

from __future__ import annotations

import logging

from kombu.transport import redis as kombu_redis

log = logging.getLogger(__name__)

_restore_unacked = kombu_redis.QoS.restore_unacked


def _restore_unless_collected(self, client=None):
    if client is None and getattr(self.channel.connection, "client", None) is None:
        log.warning(
            "broker connection lost with %d unacknowledged task(s); the broker gives them back later",
            len(self._delivered),
        )
        self._delivered.clear()
        return None
    return _restore_unacked(self, client)


def apply() -> None:
    kombu_redis.QoS.restore_unacked = _restore_unless_collected  # type: ignore[method-assign]
