package dev.mason.skill;

import dev.mason.identity.Caller;
import dev.mason.web.ApiError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skills Mason offers, and which of them a project has enabled.
 *
 * <p>The catalog is the shipped skills plus those of SKILLS_DIR (which override shipped ones of
 * the same name), narrowed by ENABLED_SKILLS. A project enables a subset of it, or all of it
 * (stored as null, so skills added later are enabled too).
 *
 * <p>Thread-safety: the loaded skills are one immutable {@link LoadedSkills} in a volatile field,
 * read without locking; {@link #reload()} builds a new one off to the side and swaps it in, so a
 * reader sees the old catalog or the new one, never a mix. {@code reloadLock} only keeps two
 * reloads from reading the disk at once.
 */
public final class SkillCatalog {
  private static final Logger log = LoggerFactory.getLogger(SkillCatalog.class);

  private final SkillSettings settings;
  private final EnabledSkills enabledSkills;
  static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

  private final ReentrantLock reloadLock = new ReentrantLock();
  private volatile LoadedSkills loaded;

  private SkillCatalog(SkillSettings settings, EnabledSkills enabledSkills) {
    this.settings = settings;
    this.enabledSkills = enabledSkills;
  }

  /** Loads the catalog; invalid skills are logged and left out, never thrown. */
  public static SkillCatalog load(SkillSettings settings, EnabledSkills enabledSkills) {
    SkillCatalog catalog = new SkillCatalog(settings, enabledSkills);
    catalog.reload();
    return catalog;
  }

  /**
   * Reads the shipped skills and SKILLS_DIR again and replaces the catalog with the result.
   *
   * @throws ApiError 409 when another reload holds the disk for longer than {@link #RELOAD_WAIT}
   */
  public Reload reload() {
    try {
      if (!reloadLock.tryLock(RELOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw ApiError.conflict("another reload of the skills has been running for over "
            + RELOAD_WAIT.toSeconds() + " s; try again later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.conflict("interrupted while waiting for another reload of the skills");
    }
    try {
      LoadedSkills next = SkillLoader.load(settings);
      loaded = next;
      Reload result = new Reload(next.skills().size(), next.overridden(), next.problems());
      log.info("Skill catalog: {} skills, {} problems{}", result.count(), result.problems().size(),
          result.problems().isEmpty() ? "" : " (each logged above)");
      return result;
    } finally {
      reloadLock.unlock();
    }
  }

  /** Every skill of the catalog, sorted by name. */
  public List<SkillSummary> all() {
    return loaded.skills().values().stream().map(Skill::summary).toList();
  }

  /** The skills a project has enabled, sorted by name: what its system prompt lists. */
  public List<SkillSummary> enabledFor(Caller caller, UUID projectId) {
    return enabled(caller, projectId).stream().map(Skill::summary).toList();
  }

  /**
   * Writes every skill of the catalog (the ones ENABLED_SKILLS lets in), one folder each with all
   * its files, into {@code folder}: a terminal CLI's own skills folder. Files already holding the
   * same bytes are left alone; a skill folder no longer in the catalog is left too (it may be the
   * user's own).
   */
  public void exportTo(Path folder) throws IOException {
    for (Skill skill : loaded.skills().values()) {
      write(skill, folder.resolve(skill.name()));
    }
  }

  /** Writes the skill's files under {@code root}; a file already holding the same bytes is left alone. */
  private static void write(Skill skill, Path root) throws IOException {
    for (String file : skill.files()) {
      Path target = root.resolve(file).normalize();
      if (!target.startsWith(root)) {
        continue;
      }
      byte[] bytes = skill.source().read(file).getBytes(StandardCharsets.UTF_8);
      if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Files.write(target, bytes);
    }
  }


  /** What the last load left out, and why. */
  public List<SkillProblem> problems() {
    return loaded.problems();
  }

  /** The skill with this name or alias. */
  Optional<Skill> skill(String nameOrAlias) {
    LoadedSkills current = loaded;
    String name = current.resolve(nameOrAlias);
    return Optional.ofNullable(name == null ? null : current.skills().get(name));
  }

  /** The skill's name for a name or an alias of the catalog, or null when it is neither. */
  public String resolve(String nameOrAlias) {
    return loaded.resolve(nameOrAlias);
  }

  /**
   * The tools the project's runs must not offer: those claimed by a skill of the catalog
   * ({@code tools:} in its front matter) when no skill the project enabled claims them. A tool
   * no skill of the catalog claims is never hidden, so a skill left out of the catalog by
   * ENABLED_SKILLS takes nothing away.
   */
  public Set<String> hiddenTools(Caller caller, UUID projectId) {
    View view = view(caller, projectId);
    Set<String> hidden = new TreeSet<>();
    view.all().forEach(s -> hidden.addAll(s.tools()));
    view.enabled().forEach(s -> hidden.removeAll(s.tools()));
    return hidden;
  }

  /** Marks a skill folder Mason wrote (and may replace or remove); a folder without it is the user's own. */
  static final String WRITTEN_MARK = ".mason-skill";

  /**
   * Writes the project's enabled skills into {@code skillsFolder} (its {@code .claude/skills},
   * where Claude Code finds skills), a folder per skill with all its files; a folder Mason wrote
   * earlier for a skill no longer enabled is removed. Folders the user made there are left alone.
   */
  public void writeEnabled(Caller caller, UUID projectId, Path skillsFolder) throws java.io.IOException {
    Files.createDirectories(skillsFolder);
    Set<String> names = new TreeSet<>();
    for (Skill skill : enabled(caller, projectId)) {
      Path folder = skillsFolder.resolve(skill.name());
      if (Files.isDirectory(folder) && !Files.exists(folder.resolve(WRITTEN_MARK))) {
        continue; // the user's own skill of that name wins
      }
      names.add(skill.name());
      write(skill, folder);
      Files.writeString(folder.resolve(WRITTEN_MARK), "Written by Mason from its skill catalog; replaced on each run.\n");
    }
    try (var folders = Files.list(skillsFolder)) {
      for (Path folder : folders.toList()) {
        if (!names.contains(folder.getFileName().toString()) && Files.exists(folder.resolve(WRITTEN_MARK))) {
          try (var walk = Files.walk(folder)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(path);
            }
          }
        }
      }
    }
  }

  /** The project's enabled skills, sorted by name. */
  List<Skill> enabled(Caller caller, UUID projectId) {
    return view(caller, projectId).enabled();
  }

  /**
   * The whole catalog and the project's enabled part of it, from one catalog reading (a reload
   * in between cannot make them disagree; aliases in the project's choice count as their
   * skills). A null {@code projectId} (a tool run outside any
   * project) enables the whole catalog.
   */
  View view(Caller caller, UUID projectId) {
    LoadedSkills current = loaded;
    List<Skill> all = List.copyOf(current.skills().values());
    List<String> chosen = projectId == null ? null : enabledSkills.enabledSkills(caller, projectId);
    if (chosen == null) {
      return new View(all, all);
    }
    // A stored name may be an alias (a choice made before a skill was renamed): it still counts.
    Set<String> names = new LinkedHashSet<>();
    chosen.forEach(n -> names.add(Objects.requireNonNullElse(current.resolve(n), n)));
    return new View(all, all.stream().filter(s -> names.contains(s.name())).toList());
  }

  /** Both sorted by name; {@code enabled} is a subset of {@code all}. */
  record View(List<Skill> all, List<Skill> enabled) {}

  /**
   * The outcome of a load.
   *
   * @param count skills in the catalog
   * @param overridden shipped skills replaced by a SKILLS_DIR skill of the same name
   */
  public record Reload(int count, int overridden, List<SkillProblem> problems) {
    public String message() {
      StringBuilder message = new StringBuilder()
          .append(count).append(count == 1 ? " skill" : " skills").append(" loaded");
      if (overridden > 0) {
        message.append(", ").append(overridden).append(" shipped ")
            .append(overridden == 1 ? "skill" : "skills").append(" overridden by SKILLS_DIR");
      }
      if (problems.isEmpty()) {
        return message.append('.').toString();
      }
      message.append("; ").append(problems.size()).append(problems.size() == 1 ? " problem: " : " problems: ");
      message.append(String.join("; ", problems.stream().map(SkillProblem::toString).toList()));
      return message.toString();
    }
  }
}
