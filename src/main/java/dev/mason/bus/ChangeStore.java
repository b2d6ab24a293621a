package dev.mason.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mason.store.Database;
import dev.mason.store.StoredText;
import dev.mason.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The {@code changes} table: written in the transaction of what it reports, read by the listener
 * (every owner's, in seq order) and by a resuming stream (one owner's).
 */
final class ChangeStore {
  /** Serialises numbering across every Mason on the database, so changes commit in seq order. */
  private static final String LOCK = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.changes'))) AS locked";
  private static final String COLUMNS = "seq, owner, kind, data::text AS data";

  private final Database db;
  private final String channel;

  ChangeStore(Database db) {
    this.db = db;
    this.channel = channel(db.schema());
  }

  /** The NOTIFY channel of Mason's schema: Masons in other schemas of the same database are not woken. */
  static String channel(String schema) {
    return "mason_changes_" + schema;
  }

  String channel() {
    return channel;
  }

  /**
   * Numbers and stores the change, and notifies at commit. Joins the transaction open on this
   * thread, if any (Jdbi hands a nested call the thread's handle), so the change commits or rolls
   * back with what it reports; call it last in that transaction, since it holds the feed's lock
   * until the commit.
   */
  long record(String owner, Change change) {
    String data = Json.write(StoredText.encode(Json.MAPPER.valueToTree(change)));
    return db.inTransaction(h -> {
      h.createQuery(LOCK).mapTo(Integer.class).one();
      long seq = h.createQuery("INSERT INTO changes (owner, kind, data) VALUES (:owner, :kind, CAST(:data AS jsonb)) RETURNING seq")
          .bind("owner", owner).bind("kind", change.kind().wire()).bind("data", data).mapTo(Long.class).one();
      // Small: readers find the rest in the table.
      String payload = "{\"seq\":" + seq + ",\"kind\":\"" + change.kind().wire() + "\",\"project_id\":\"" + change.projectId() + "\"}";
      h.createQuery("SELECT 1 FROM (SELECT pg_notify(:channel, :payload)) AS sent")
          .bind("channel", channel).bind("payload", payload).mapTo(Integer.class).one();
      return seq;
    });
  }

  /** The last seq stored, 0 for none. */
  long head() {
    return db.withHandle(h -> h.createQuery("SELECT coalesce(max(seq), 0) FROM changes").mapTo(Long.class).one());
  }

  /** The first seq the feed still holds (older ones were pruned), or null when it holds none. */
  Long oldest() {
    return db.withHandle(h -> h.createQuery("SELECT min(seq) FROM changes").mapTo(Long.class).findOne().orElse(null));
  }

  /** Every owner's changes after {@code seq}, in order. */
  List<Change.Numbered> after(long seq, int limit) {
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM changes WHERE seq > :seq ORDER BY seq LIMIT :limit")
        .bind("seq", seq).bind("limit", limit).map((rs, ctx) -> numbered(rs)).list());
  }

  /** {@code owner}'s changes after {@code seq}, in order. */
  List<Change.Numbered> after(String owner, long seq, int limit) {
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM changes WHERE owner = :owner AND seq > :seq "
            + "ORDER BY seq LIMIT :limit")
        .bind("owner", owner).bind("seq", seq).bind("limit", limit).map((rs, ctx) -> numbered(rs)).list());
  }

  /** Drops changes older than {@code age}; returns how many. */
  int prune(Duration age) {
    return db.withHandle(h -> h.createUpdate("DELETE FROM changes WHERE created_at < now() - make_interval(secs => :secs)")
        .bind("secs", (double) age.toSeconds()).execute());
  }

  private static Change.Numbered numbered(ResultSet rs) throws SQLException {
    try {
      Change change = Json.MAPPER.treeToValue(StoredText.decode(Json.MAPPER.readTree(rs.getString("data"))), Change.class);
      return new Change.Numbered(rs.getLong("seq"), rs.getString("owner"), change);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new SQLException("change " + rs.getLong("seq") + " does not read: " + e.getMessage(), e);
    }
  }
}
