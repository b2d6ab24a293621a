-- Sequence numbers a run may hand to live readers before its events are stored. A run reserves
-- them in blocks, durably, before it uses them; after a crash the restart's own events (error,
-- done) are numbered after the reservation, so no number a reader has seen is ever used twice.
ALTER TABLE executions ADD COLUMN seq_reserved integer NOT NULL DEFAULT 0;
