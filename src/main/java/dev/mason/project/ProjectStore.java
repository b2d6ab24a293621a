package dev.mason.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.store.Database;
import dev.mason.store.StoredText;
import dev.mason.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The project room's tables: projects, conversations, messages. Every read and write of a user's
 * rows is scoped by the owner in SQL, so another user's id finds nothing.
 */
final class ProjectStore implements Transcripts {
  private static final String PROJECT_COLUMNS = """
      p.id, p.name, p.owner, p.created_at, p.updated_at,
      (SELECT count(*) FROM conversations c WHERE c.project_id = p.id) AS conversation_count""";
  private static final String CONVERSATION_COLUMNS = """
      c.id, c.project_id, c.title, c.created_at, c.updated_at, c.cluster_id, c.warehouse_id,
      c.default_catalog, c.default_schema, c.workspace_folder, c.model, c.runtime,
      (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count""";

  private static final RowMapper<Project> PROJECT = ProjectStore::project;
  private static final RowMapper<Conversation> CONVERSATION = ProjectStore::conversation;
  private static final RowMapper<Message> MESSAGE = ProjectStore::message;

  private final Database db;

  public ProjectStore(Database db) {
    this.db = db;
  }

  List<Project> projects(String owner) {
    return db.withHandle(h -> h.createQuery("SELECT " + PROJECT_COLUMNS
            + " FROM projects p WHERE p.owner = :owner ORDER BY p.created_at DESC")
        .bind("owner", owner).map(PROJECT).list());
  }

  Optional<Project> project(String owner, UUID id) {
    return db.withHandle(h -> h.createQuery("SELECT " + PROJECT_COLUMNS
            + " FROM projects p WHERE p.id = :id AND p.owner = :owner")
        .bind("id", id).bind("owner", owner).map(PROJECT).findOne());
  }

  /** Every project id, for the backup job (which works for all users). */
  List<UUID> allProjectIds() {
    return db.withHandle(h -> h.createQuery("SELECT id FROM projects").mapTo(UUID.class).list());
  }

  Project createProject(String owner, String name) {
    return db.withHandle(h -> h.createQuery("INSERT INTO projects (owner, name) VALUES (:owner, :name) "
            + "RETURNING id, name, owner, created_at, updated_at, 0 AS conversation_count")
        .bind("owner", owner).bind("name", name).map(PROJECT).one());
  }

  boolean renameProject(String owner, UUID id, String name) {
    return db.withHandle(h -> h.createUpdate(
            "UPDATE projects SET name = :name, updated_at = now() WHERE id = :id AND owner = :owner")
        .bind("name", name).bind("id", id).bind("owner", owner).execute()) == 1;
  }

  boolean deleteProject(String owner, UUID id) {
    return db.withHandle(h -> h.createUpdate("DELETE FROM projects WHERE id = :id AND owner = :owner")
        .bind("id", id).bind("owner", owner).execute()) == 1;
  }

  /**
   * The project's enabled skills as JSON: an array of names, or {@code null} (every skill);
   * empty when the owner has no such project.
   */
  Optional<String> enabledSkills(String owner, UUID id) {
    return db.withHandle(h -> h.createQuery(
            "SELECT coalesce(enabled_skills, 'null'::jsonb)::text FROM projects WHERE id = :id AND owner = :owner")
        .bind("id", id).bind("owner", owner).mapTo(String.class).findOne());
  }

  /** Stores the enabled skills ({@code namesJson} an array of names, or null for all). */
  boolean setEnabledSkills(String owner, UUID id, String namesJson) {
    return db.withHandle(h -> h.createUpdate("UPDATE projects SET enabled_skills = CAST(:skills AS jsonb), "
            + "updated_at = now() WHERE id = :id AND owner = :owner")
        .bind("skills", namesJson).bind("id", id).bind("owner", owner).execute()) == 1;
  }

  List<Conversation> conversations(String owner, UUID projectId) {
    return db.withHandle(h -> h.createQuery("SELECT " + CONVERSATION_COLUMNS
            + " FROM conversations c JOIN projects p ON p.id = c.project_id"
            + " WHERE c.project_id = :pid AND p.owner = :owner ORDER BY c.created_at DESC")
        .bind("pid", projectId).bind("owner", owner).map(CONVERSATION).list());
  }

  public Optional<Conversation> conversation(String owner, UUID projectId, UUID id) {
    return db.withHandle(h -> h.createQuery("SELECT " + CONVERSATION_COLUMNS
            + " FROM conversations c JOIN projects p ON p.id = c.project_id"
            + " WHERE c.id = :id AND c.project_id = :pid AND p.owner = :owner")
        .bind("id", id).bind("pid", projectId).bind("owner", owner).map(CONVERSATION).findOne());
  }

  @Override
  public Conversation createConversation(UUID projectId, String title, ConversationSettings s) {
    return db.withHandle(h -> h.createQuery("""
            INSERT INTO conversations (project_id, title, cluster_id, warehouse_id, default_catalog,
                default_schema, workspace_folder, model, runtime)
            VALUES (:pid, :title, :cluster, :warehouse, :catalog, :schema, :folder, :model, :runtime)
            RETURNING id, project_id, title, created_at, updated_at, cluster_id, warehouse_id,
                default_catalog, default_schema, workspace_folder, model, runtime, 0 AS message_count""")
        .bind("pid", projectId).bind("title", title)
        .bind("cluster", s.clusterId()).bind("warehouse", s.warehouseId())
        .bind("catalog", s.defaultCatalog()).bind("schema", s.defaultSchema())
        .bind("folder", s.workspaceFolder()).bind("model", s.model()).bind("runtime", s.runtime())
        .map(CONVERSATION).one());
  }

  /** Writes title and settings; the caller has checked ownership. */
  public void updateConversation(UUID id, String title, ConversationSettings s) {
    db.withHandle(h -> h.createUpdate("""
            UPDATE conversations SET title = :title, cluster_id = :cluster, warehouse_id = :warehouse,
                default_catalog = :catalog, default_schema = :schema, workspace_folder = :folder,
                model = :model, runtime = :runtime, updated_at = now()
            WHERE id = :id""")
        .bind("id", id).bind("title", title)
        .bind("cluster", s.clusterId()).bind("warehouse", s.warehouseId())
        .bind("catalog", s.defaultCatalog()).bind("schema", s.defaultSchema())
        .bind("folder", s.workspaceFolder()).bind("model", s.model()).bind("runtime", s.runtime())
        .execute());
  }

  @Override
  public String runtimeSession(UUID conversationId) {
    return db.withHandle(h -> h.createQuery("SELECT runtime_session FROM conversations WHERE id = :id")
        .bind("id", conversationId).mapTo(String.class).findOne().orElse(null));
  }

  @Override
  public void setRuntimeSession(UUID conversationId, String sessionId) {
    db.withHandle(h -> h.createUpdate("UPDATE conversations SET runtime_session = :session WHERE id = :id")
        .bind("id", conversationId).bind("session", sessionId).execute());
  }

  /**
   * Sets the title only while it is still {@code expected}: a name the user gave meanwhile is
   * kept, and no setting is touched. True when it was set.
   */
  @Override
  public boolean retitle(UUID id, String expected, String title) {
    return db.withHandle(h -> h.createUpdate("UPDATE conversations SET title = :title, updated_at = now() WHERE id = :id AND title = :expected")
        .bind("id", id).bind("title", title).bind("expected", expected).execute()) > 0;
  }

  boolean deleteConversation(String owner, UUID projectId, UUID id) {
    return db.withHandle(h -> h.createUpdate("""
            DELETE FROM conversations c USING projects p
            WHERE c.id = :id AND c.project_id = :pid AND p.id = c.project_id AND p.owner = :owner""")
        .bind("id", id).bind("pid", projectId).bind("owner", owner).execute()) == 1;
  }

  /** Deletes the conversation's messages from {@code firstId} on; returns how many went. The caller has checked ownership. */
  int deleteMessagesFrom(UUID conversationId, long firstId) {
    return db.withHandle(h -> h.createUpdate("DELETE FROM messages WHERE conversation_id = :cid AND id >= :first")
        .bind("cid", conversationId).bind("first", firstId).execute());
  }

  @Override
  public List<Message> messages(UUID conversationId) {
    return db.withHandle(h -> h.createQuery("""
            SELECT id, role, content::text AS content, created_at, is_error, cancelled, usage::text AS usage
            FROM messages WHERE conversation_id = :cid ORDER BY id""")
        .bind("cid", conversationId).map(MESSAGE).list());
  }

  /** Appends a turn; the caller has checked ownership. */
  @Override
  public Message addMessage(UUID conversationId, String role, JsonNode content, boolean isError, boolean cancelled, JsonNode usage) {
    return db.inTransaction(h -> {
      h.createUpdate("UPDATE conversations SET updated_at = now() WHERE id = :cid").bind("cid", conversationId).execute();
      return h.createQuery("""
              INSERT INTO messages (conversation_id, role, content, is_error, cancelled, usage)
              VALUES (:cid, :role, CAST(:content AS jsonb), :error, :cancelled, CAST(:usage AS jsonb))
              RETURNING id, role, content::text AS content, created_at, is_error, cancelled, usage::text AS usage""")
          .bind("cid", conversationId).bind("role", role).bind("content", Json.write(StoredText.encode(content)))
          .bind("error", isError).bind("cancelled", cancelled).bind("usage", usage == null ? null : Json.write(usage))
          .map(MESSAGE).one();
    });
  }

  private static Project project(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Project(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("owner"),
        instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("conversation_count"));
  }

  private static Conversation conversation(ResultSet rs, StatementContext ctx) throws SQLException {
    var settings = new ConversationSettings(rs.getString("cluster_id"), rs.getString("warehouse_id"),
        rs.getString("default_catalog"), rs.getString("default_schema"), rs.getString("workspace_folder"),
        rs.getString("model"), rs.getString("runtime"));
    return new Conversation(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class),
        rs.getString("title"), instant(rs, "created_at"), instant(rs, "updated_at"), settings,
        rs.getInt("message_count"), null);
  }


  private static Message message(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Message(rs.getLong("id"), rs.getString("role"), StoredText.decode(parse(rs.getString("content"))),
        instant(rs, "created_at"), rs.getBoolean("is_error"), rs.getBoolean("cancelled"), parse(rs.getString("usage")));
  }

  private static JsonNode parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable", e);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
