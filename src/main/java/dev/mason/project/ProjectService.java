package dev.mason.project;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.mason.bus.Change;
import dev.mason.bus.ChangeBus;
import dev.mason.common.Refusal;
import dev.mason.identity.Caller;
import dev.mason.store.Database;
import dev.mason.web.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Projects, conversations and their folders, always on behalf of a caller: another user's ids
 * answer "not found", exactly like ids that do not exist.
 */
public final class ProjectService implements AutoCloseable {
  private static final TypeReference<List<String>> SKILL_NAMES = new TypeReference<>() {};
  private final Database db;
  private final ProjectStore store;
  private final ChangeBus changes;
  private final ProjectFolders folders;
  private final BackupStore backups;
  private final BackupJob backupJob;
  private volatile RunStopper runs = (projectId, conversationId) -> {};

  /** Stops the runs of a project or conversation about to be deleted, and waits for them to end. */
  public interface RunStopper {
    /** @param conversationId the conversation, or null for every conversation of the project */
    void stopAndWait(UUID projectId, UUID conversationId);
  }

  /**
   * @param scratchDir where backups are zipped before they are stored; the backup job's alone
   * @param maxBackupBytes the largest backup a project may have
   * @param changes where creating, renaming and deleting projects and conversations is told
   */
  public ProjectService(Database db, Path projectsDir, Path scratchDir, long maxBackupBytes, ChangeBus changes) {
    this.db = db;
    this.changes = changes;
    this.store = new ProjectStore(db);
    this.backups = new BackupStore(db);
    this.folders = new ProjectFolders(projectsDir, backups);
    this.backupJob = new BackupJob(store, folders, backups, scratchDir, maxBackupBytes);
  }

  /** Who stops runs before their conversation is deleted: the agent room, wired once at start. */
  public void stopRunsWith(RunStopper stopper) {
    this.runs = stopper;
  }

  /** Starts the periodic backup of changed project folders. */
  public void startBackups(Duration interval) {
    backupJob.start(interval);
  }

  /** The conversations' turns, for the agent room's runs; the rest of the store stays in this room. */
  public Transcripts transcripts() {
    return store;
  }

  public List<Project> list(Caller caller) {
    return store.projects(caller.user());
  }

  public Project get(Caller caller, UUID id) {
    return store.project(caller.user(), id).orElseThrow(() -> Refusal.notFound("project " + id));
  }

  public Project create(Caller caller, String name) {
    Project project = store.createProject(caller.user(), name);
    try {
      folders.create(project.id(), name);
    } catch (RuntimeException e) {
      store.deleteProject(caller.user(), project.id());
      throw e;
    }
    // Told once the project is usable (its folder made), not when its row is.
    changes.record(caller.user(), Change.project(Change.Kind.PROJECT_CREATED, project.id(), project.name()));
    return project;
  }

  /** The project's last backup and, when its latest change could not be backed up, why. */
  public BackupStatus backupStatus(Caller caller, UUID id) {
    get(caller, id);
    var summary = backups.summary(id);
    return new BackupStatus(summary.map(BackupStore.Summary::takenAt).orElse(null),
        summary.map(BackupStore.Summary::sizeBytes).orElse(null), summary.map(BackupStore.Summary::fileCount).orElse(null),
        backups.problem(id).map(BackupStore.Problem::problem).orElse(null));
  }

  public Project rename(Caller caller, UUID id, String name) {
    db.inTransaction(h -> {
      if (!store.renameProject(caller.user(), id, name)) {
        throw Refusal.notFound("project " + id);
      }
      changes.record(caller.user(), Change.project(Change.Kind.PROJECT_RENAMED, id, name));
      return null;
    });
    return get(caller, id);
  }

  public void delete(Caller caller, UUID id) {
    get(caller, id);
    runs.stopAndWait(id, null);
    db.inTransaction(h -> {
      if (!store.deleteProject(caller.user(), id)) {
        throw Refusal.notFound("project " + id);
      }
      changes.record(caller.user(), Change.project(Change.Kind.PROJECT_DELETED, id, null));
      return null;
    });
    folders.delete(id);
  }

  /** The skill names the project enabled, or null when it enables every skill (the default). */
  public List<String> enabledSkills(Caller caller, UUID projectId) {
    String json = store.enabledSkills(caller.user(), projectId)
        .orElseThrow(() -> Refusal.notFound("project " + projectId));
    try {
      return Json.MAPPER.readValue(json, SKILL_NAMES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored enabled_skills of project " + projectId + " is unreadable", e);
    }
  }

  /** Stores the project's choice of skills; {@code names} null enables every skill, now and later. */
  public void setEnabledSkills(Caller caller, UUID projectId, List<String> names) {
    if (!store.setEnabledSkills(caller.user(), projectId, names == null ? null : Json.write(names))) {
      throw Refusal.notFound("project " + projectId);
    }
  }

  /** The project's folder, restored from its backup first when it is missing. */
  public Path folder(Caller caller, UUID projectId) {
    Project project = get(caller, projectId);
    return folders.ensure(project.id(), project.name());
  }

  public List<Conversation> conversations(Caller caller, UUID projectId) {
    get(caller, projectId);
    return store.conversations(caller.user(), projectId);
  }

  /** A conversation with its messages, oldest first. */
  public Conversation conversation(Caller caller, UUID projectId, UUID id) {
    Conversation conversation = conversationSummary(caller, projectId, id);
    return conversation.withMessages(store.messages(id));
  }

  public Conversation conversationSummary(Caller caller, UUID projectId, UUID id) {
    return store.conversation(caller.user(), projectId, id)
        .orElseThrow(() -> Refusal.notFound("conversation " + id + " in project " + projectId));
  }

  public Conversation createConversation(Caller caller, UUID projectId, String title, ConversationSettings settings) {
    get(caller, projectId);
    return db.inTransaction(h -> {
      Conversation created = store.createConversation(projectId, title, settings);
      conversationCreated(caller.user(), created);
      return created;
    });
  }

  /**
   * Tells the bus of a conversation just created; for rooms that create one through the store
   * (the agent room's first message), in the same transaction.
   */
  public void conversationCreated(String owner, Conversation conversation) {
    changes.record(owner, Change.conversation(Change.Kind.CONVERSATION_CREATED, conversation.projectId(), conversation.id(),
        conversation.title()));
  }

  /** Sets a new conversation's title from the model, unless someone renamed it meanwhile; told to the bus when set. */
  public void retitle(String owner, UUID projectId, UUID id, String provisional, String title) {
    db.inTransaction(h -> {
      if (store.retitle(id, provisional, title)) {
        changes.record(owner, Change.conversation(Change.Kind.CONVERSATION_RETITLED, projectId, id, title));
      }
      return null;
    });
  }

  public Conversation updateConversation(Caller caller, UUID projectId, UUID id, String title, ConversationSettings patch) {
    Conversation current = conversationSummary(caller, projectId, id);
    String newTitle = title == null ? current.title() : title;
    db.inTransaction(h -> {
      store.updateConversation(id, newTitle, current.settings().merge(patch));
      if (!newTitle.equals(current.title())) {
        changes.record(caller.user(), Change.conversation(Change.Kind.CONVERSATION_RETITLED, projectId, id, newTitle));
      }
      return null;
    });
    return conversationSummary(caller, projectId, id);
  }

  public void deleteConversation(Caller caller, UUID projectId, UUID id) {
    conversationSummary(caller, projectId, id);
    runs.stopAndWait(projectId, id);
    db.inTransaction(h -> {
      if (!store.deleteConversation(caller.user(), projectId, id)) {
        throw Refusal.notFound("conversation " + id + " in project " + projectId);
      }
      changes.record(caller.user(), Change.conversation(Change.Kind.CONVERSATION_DELETED, projectId, id, null));
      return null;
    });
  }

  /**
   * Cuts the conversation back to before message {@code firstId}, for editing a question or asking
   * again: a run still going there is stopped first, so it cannot append to the cut history.
   */
  public int truncateConversation(Caller caller, UUID projectId, UUID id, long firstId) {
    conversationSummary(caller, projectId, id);
    runs.stopAndWait(projectId, id);
    return store.deleteMessagesFrom(id, firstId);
  }

  /** Stops the backup schedule after a final pass. */
  @Override
  public void close() {
    backupJob.close();
  }
}
