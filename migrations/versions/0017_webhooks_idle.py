"""Webhook wake-ups say what woke them: 'feed' for appended events, 'subscriptions' for a
subscription created or enabled, '' (as before) for a queued ping or redelivery. A worker that
found no subscription to serve ignores 'feed' until one of the others comes
(app/jobs/webhook_delivery.py).

Revision ID: 0017_webhooks_idle
Revises: 0016_http_conventions
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017_webhooks_idle"
down_revision: str | None = "0016_http_conventions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION notify_webhooks_wake() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('webhooks_wake', COALESCE(TG_ARGV[0], ''));
            RETURN NULL;
        END $$;
        """
    )
    op.execute("DROP TRIGGER events_wake_webhooks ON events")
    op.execute(
        "CREATE TRIGGER events_wake_webhooks AFTER INSERT ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_webhooks_wake('feed')"
    )
    op.execute(
        "CREATE TRIGGER webhook_subscriptions_wake "
        "AFTER INSERT OR UPDATE OF enabled ON webhook_subscriptions "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_webhooks_wake('subscriptions')"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER webhook_subscriptions_wake ON webhook_subscriptions")
    op.execute("DROP TRIGGER events_wake_webhooks ON events")
    op.execute(
        "CREATE TRIGGER events_wake_webhooks AFTER INSERT ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_webhooks_wake()"
    )
