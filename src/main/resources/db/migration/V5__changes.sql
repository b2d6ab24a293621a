-- The per-user change feed behind GET /api/events. A change is written in the transaction of what
-- it reports, and NOTIFY (sent at commit) wakes every Mason on this database to read it. seq orders
-- the feed and is a client's resume cursor: writers take a transaction-scoped advisory lock before
-- they number a change, so changes commit in seq order and a reader that has seen seq N has seen
-- every change before it. Rows older than a day are pruned.
CREATE TABLE changes (
  seq bigserial PRIMARY KEY,
  owner text NOT NULL,
  kind text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX changes_owner_seq ON changes (owner, seq);
CREATE INDEX changes_created_at ON changes (created_at);
