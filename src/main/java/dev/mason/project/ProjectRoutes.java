package dev.mason.project;

import dev.mason.identity.Caller;
import dev.mason.project.ProjectRequests.ConversationBody;
import dev.mason.project.ProjectRequests.ProjectBody;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The project room's HTTP surface: projects, conversations and the project's files. */
public final class ProjectRoutes implements Routes {
  private static final String DEFAULT_TITLE = "New conversation";
  private final ProjectService projects;

  public ProjectRoutes(ProjectService projects) {
    this.projects = projects;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    // The one ownership check of every /api/projects/{pid}/… route, whichever room serves it:
    // another user's project or conversation answers 404 before a handler reads the body.
    routes.before("/api/projects/{pid}", this::requireOwnedProject);
    routes.before("/api/projects/{pid}/<rest>", this::requireOwnedProject);
    routes.before("/api/projects/{pid}/conversations/{cid}", this::requireOwnedConversation);
    routes.before("/api/projects/{pid}/conversations/{cid}/<rest>", this::requireOwnedConversation);

    routes.get("/api/projects", ctx -> ctx.json(projects.list(caller(ctx))));
    routes.post("/api/projects", ctx -> {
      var body = Json.read(ctx.body(), ProjectBody.class);
      ctx.status(201).json(projects.create(caller(ctx), body.name()));
    });
    routes.get("/api/projects/{pid}", ctx -> ctx.json(projects.get(caller(ctx), projectId(ctx))));
    routes.patch("/api/projects/{pid}", ctx -> {
      UUID id = projectId(ctx);
      var body = Json.read(ctx.body(), ProjectBody.class);
      ctx.json(projects.rename(caller(ctx), id, body.name()));
    });
    routes.delete("/api/projects/{pid}", ctx -> {
      UUID id = projectId(ctx);
      projects.delete(caller(ctx), id);
      ctx.json(Map.of("success", true, "deleted_project_id", id));
    });

    routes.get("/api/projects/{pid}/conversations", ctx -> ctx.json(projects.conversations(caller(ctx), projectId(ctx))));
    routes.post("/api/projects/{pid}/conversations", ctx -> {
      UUID pid = projectId(ctx);
      var body = ctx.body().isBlank() ? ConversationBody.EMPTY
          : Json.read(ctx.body(), ConversationBody.class);
      var settings = ConversationSettings.NONE.merge(body.settings());
      ctx.status(201).json(projects.createConversation(caller(ctx), pid, body.title() == null ? DEFAULT_TITLE : body.title(), settings));
    });
    routes.get("/api/projects/{pid}/conversations/{cid}", ctx ->
        ctx.json(projects.conversation(caller(ctx), projectId(ctx), conversationId(ctx))));
    routes.patch("/api/projects/{pid}/conversations/{cid}", ctx -> {
      UUID pid = projectId(ctx);
      UUID cid = conversationId(ctx);
      var body = Json.read(ctx.body(), ConversationBody.class);
      ctx.json(projects.updateConversation(caller(ctx), pid, cid, body.title(), body.settings()));
    });
    routes.delete("/api/projects/{pid}/conversations/{cid}", ctx -> {
      UUID cid = conversationId(ctx);
      projects.deleteConversation(caller(ctx), projectId(ctx), cid);
      ctx.json(Map.of("success", true, "deleted_conversation_id", cid));
    });

    routes.get("/api/projects/{pid}/backup", ctx -> ctx.json(projects.backupStatus(caller(ctx), projectId(ctx))));
    // Edit-and-resend and regenerate: the page cuts the history at a user message, then sends again.
    routes.delete("/api/projects/{pid}/conversations/{cid}/messages", ctx -> {
      UUID cid = conversationId(ctx);
      long from = firstMessageId(ctx);
      int deleted = projects.truncateConversation(caller(ctx), projectId(ctx), cid, from);
      ctx.json(Map.of("success", true, "deleted_messages", deleted));
    });

    routes.get("/api/projects/{pid}/files", this::listFiles);
    routes.get("/api/projects/{pid}/files/content", this::fileContent);
  }

  private void requireOwnedProject(Context ctx) {
    projects.get(caller(ctx), projectId(ctx));
  }

  private void requireOwnedConversation(Context ctx) {
    projects.conversationSummary(caller(ctx), projectId(ctx), conversationId(ctx));
  }

  private void listFiles(Context ctx) throws IOException {
    UUID pid = projectId(ctx);
    ProjectFiles.Listing listing = ProjectFiles.list(projects.folder(caller(ctx), pid));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project_id", pid);
    body.put("files", listing.files());
    body.put("truncated", listing.truncated());
    ctx.json(body);
  }

  private void fileContent(Context ctx) throws IOException {
    UUID pid = projectId(ctx);
    var folder = projects.folder(caller(ctx), pid);
    ctx.json(ProjectFiles.read(folder, ctx.queryParam("path")));
  }

  private static long firstMessageId(Context ctx) {
    String from = ctx.queryParam("from");
    if (from == null || from.isBlank()) {
      throw ApiError.badRequest("from", "is required: the id of the first message to delete");
    }
    try {
      return Long.parseLong(from.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("from", "must be a message id (a whole number), not '" + from + "'");
    }
  }

  private static Caller caller(Context ctx) {
    return Requests.caller(ctx);
  }

  private static UUID projectId(Context ctx) {
    return Requests.uuidParam(ctx, "pid", "project");
  }

  private static UUID conversationId(Context ctx) {
    return Requests.uuidParam(ctx, "cid", "conversation");
  }
}
