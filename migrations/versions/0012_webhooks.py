"""Webhook subscriptions and their delivery log; NOTIFY webhooks_wake when events are appended
or a delivery is queued, so delivery workers wake at once instead of polling.

Revision ID: 0012_webhooks
Revises: 0011_profile_drafts
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012_webhooks"
down_revision: str | None = "0011_profile_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("event_types", postgresql.ARRAY(sa.Text), nullable=False),
        sa.Column("profile", sa.Text),
        sa.Column("office", sa.Text),
        sa.Column("decision_id", sa.BigInteger),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("max_batch", sa.Integer, nullable=False, server_default="1"),
        sa.Column("failing_since", sa.DateTime(timezone=True)),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("previous_secret", sa.Text),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True)),
        sa.Column("cursor", sa.BigInteger, nullable=False),
        sa.Column(
            "next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW
        ),
        sa.Column("lease_owner", sa.Text),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.CheckConstraint("cursor >= 0", name="cursor_not_negative"),
        sa.CheckConstraint("cardinality(event_types) > 0", name="some_event_types"),
        sa.CheckConstraint("max_batch BETWEEN 1 AND 100", name="max_batch"),
    )
    op.create_index("ix_webhook_subscriptions_owner", "webhook_subscriptions", ["owner", "id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "subscription_id",
            sa.BigInteger,
            sa.ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("event_id", sa.BigInteger),
        sa.Column("last_event_id", sa.BigInteger),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("latency_ms", sa.Float),
        sa.Column("first_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.CheckConstraint("kind IN ('feed', 'redelivery', 'ping')", name="kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'retrying', 'delivered', 'failed')", name="status"
        ),
    )
    op.create_index(
        "ix_webhook_deliveries_subscription_id", "webhook_deliveries", ["subscription_id", "id"]
    )
    # The in-order stream keeps one row per (subscription, event); redeliveries and pings add
    # rows of their own kind.
    op.create_index(
        "uq_webhook_deliveries_feed",
        "webhook_deliveries",
        ["subscription_id", "event_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'feed'"),
    )
    op.create_index(
        "ix_webhook_deliveries_retrying",
        "webhook_deliveries",
        ["subscription_id"],
        postgresql_where=sa.text("status = 'retrying'"),
    )
    op.create_index(
        "ix_webhook_deliveries_queued",
        "webhook_deliveries",
        ["subscription_id"],
        postgresql_where=sa.text("kind <> 'feed' AND status = 'pending'"),
    )
    op.execute(
        """
        CREATE FUNCTION notify_webhooks_wake() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('webhooks_wake', '');
            RETURN NULL;
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER events_wake_webhooks AFTER INSERT ON events "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_webhooks_wake()"
    )
    # Only queued pings and redeliveries wake workers: the log rows of the stream would
    # otherwise wake every worker on each delivery.
    op.execute(
        "CREATE TRIGGER webhook_deliveries_wake AFTER INSERT ON webhook_deliveries "
        "FOR EACH ROW WHEN (NEW.kind <> 'feed') EXECUTE FUNCTION notify_webhooks_wake()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER webhook_deliveries_wake ON webhook_deliveries")
    op.execute("DROP TRIGGER events_wake_webhooks ON events")
    op.execute("DROP FUNCTION notify_webhooks_wake()")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_subscriptions")
