package dev.mason.skill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.identity.AppOwner;
import dev.mason.identity.Caller;
import dev.mason.project.ProjectService;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The skill room's HTTP surface, under {@code /api/projects/{pid}/skills}. The project room's
 * before-handler has checked that the project is the caller's by the time a handler runs.
 */
public final class SkillRoutes implements Routes {
  private final SkillCatalog catalog;
  private final ProjectService projects;
  private final AppOwner owner;

  /** @param owner the app's owner, the only user who may reload the catalog every user shares */
  public SkillRoutes(SkillCatalog catalog, ProjectService projects, AppOwner owner) {
    this.owner = owner;
    this.catalog = catalog;
    this.projects = projects;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/projects/{pid}/skills/available", this::available);
    routes.put("/api/projects/{pid}/skills/enabled", this::setEnabled);
    routes.post("/api/projects/{pid}/skills/reload", this::reload);
    routes.get("/api/projects/{pid}/skills/tree", this::tree);
    routes.get("/api/projects/{pid}/skills/file", this::file);
  }

  /** One skill in the list the settings panel shows. */
  record Entry(String name, String description, List<String> aliases, List<String> tools, boolean enabled) {}

  /**
   * @param problems what the last load left out (invalid skills, unknown ENABLED_SKILLS names)
   */
  record Available(List<Entry> skills, boolean allEnabled, int enabledCount, int totalCount, List<SkillProblem> problems) {}

  /** @param enabledSkills as stored: null when every skill is enabled */
  record Enabled(boolean success, List<String> enabledSkills, boolean allEnabled) {}

  private void available(Context ctx) {
    Caller caller = Requests.caller(ctx);
    UUID pid = projectId(ctx);
    SkillCatalog.View view = catalog.view(caller, pid);
    List<Skill> all = view.all();
    Set<String> enabled = new HashSet<>(view.enabled().stream().map(Skill::name).toList());
    List<Entry> entries = all.stream().map(s -> new Entry(s.name(), s.description(), s.aliases(), s.tools(), enabled.contains(s.name()))).toList();
    ctx.json(new Available(entries, enabled.size() == all.size(), enabled.size(), all.size(), catalog.problems()));
  }

  private void setEnabled(Context ctx) {
    Caller caller = Requests.caller(ctx);
    UUID pid = projectId(ctx);
    List<String> names = enabledSkillsBody(ctx.body());
    if (names != null) {
      List<String> unknown = names.stream().filter(n -> catalog.resolve(n) == null).toList();
      if (!unknown.isEmpty()) {
        throw ApiError.badRequest("enabled_skills", "unknown " + (unknown.size() == 1 ? "skill: " : "skills: ")
            + String.join(", ", unknown) + " (available: " + String.join(", ", catalog.all().stream().map(SkillSummary::name).toList()) + ")");
      }
      // Stored by the skills' own names: an alias given here is the skill it selects.
      names = new ArrayList<>(new LinkedHashSet<>(names.stream().map(catalog::resolve).toList()));
    }
    projects.setEnabledSkills(caller, pid, names);
    boolean all = names == null || names.containsAll(catalog.all().stream().map(SkillSummary::name).toList());
    ctx.json(new Enabled(true, names, all));
  }

  private void reload(Context ctx) {
    Caller caller = Requests.caller(ctx);
    owner.check(caller, "Skill catalog reloads (the catalog is shared by every user)");
    SkillCatalog.Reload result = catalog.reload();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("message", result.message());
    body.put("total_count", result.count());
    body.put("problems", result.problems());
    ctx.json(body);
  }

  private void tree(Context ctx) {
    Caller caller = Requests.caller(ctx);
    UUID pid = projectId(ctx);
    ctx.json(Map.of("tree", SkillTree.of(catalog.enabled(caller, pid))));
  }

  /** A file of any skill of the catalog (enabled or not, so a skill can be read before enabling it). */
  private void file(Context ctx) {
    String path = ctx.queryParam("path");
    if (path == null || path.isBlank()) {
      throw ApiError.badRequest("path", "path is required: <skill>/<file>, e.g. databricks-sql/SKILL.md");
    }
    List<String> segments = List.of(path.split("/", -1));
    if (path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0
        || segments.stream().anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
      throw ApiError.badRequest("path", "path must be <skill>/<file> inside the skills, with no '..', '.' or empty parts");
    }
    if (segments.size() < 2) {
      throw ApiError.badRequest("path", "path names the skill '" + path + "', not a file in it; try " + path + "/SKILL.md");
    }
    String name = segments.getFirst();
    String relative = path.substring(name.length() + 1);
    Skill skill = catalog.skill(name).orElseThrow(() -> ApiError.notFound("skill '" + name + "'"));
    if (!skill.files().contains(relative)) {
      throw ApiError.notFound("file '" + relative + "' of skill '" + name + "'");
    }
    String content;
    try {
      content = skill.source().read(relative);
    } catch (NoSuchFileException e) {
      throw ApiError.notFound("file '" + relative + "' of skill '" + name + "' (it was removed; reload the skills)");
    } catch (IOException e) {
      throw new ApiError(500, "cannot read " + path + ": " + ApiError.ioReason(e), null);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("path", path);
    body.put("content", content);
    body.put("filename", segments.getLast());
    ctx.json(body);
  }

  /** The project's ownership is checked once for every project route, by the project room. */
  private static UUID projectId(Context ctx) {
    return Requests.uuidParam(ctx, "pid", "project");
  }

  /**
   * {@code {"enabled_skills": [names]}}, or null for "all". The field must be present, so a
   * mistyped key is an error instead of silently enabling everything. Duplicates are dropped.
   */
  private static List<String> enabledSkillsBody(String body) {
    ObjectNode node = Json.read(body, ObjectNode.class);
    if (!node.has("enabled_skills")) {
      throw ApiError.badRequest("enabled_skills", "enabled_skills is required: a list of skill names, or null for all skills");
    }
    JsonNode value = node.get("enabled_skills");
    if (value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw ApiError.badRequest("enabled_skills", "enabled_skills must be a list of skill names, or null for all skills");
    }
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual()) {
        throw ApiError.badRequest("enabled_skills[" + i + "]", "enabled_skills[" + i + "] must be a skill name (text)");
      }
      names.add(item.asText().strip());
    }
    return new ArrayList<>(names);
  }
}
