package dev.mason.skill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the skills shipped in the jar and those of SKILLS_DIR into a {@link LoadedSkills}.
 *
 * <p>Never throws for a bad skill: each one is reported as a {@link SkillProblem} (and logged)
 * and left out, so one broken folder cannot stop Mason or hide the other skills.
 *
 * <p>Shipped skills are listed by {@code skills/index.txt} (one {@code <folder>/<file>} per line),
 * because a folder inside a jar cannot be listed portably. A SKILLS_DIR folder is walked: hidden
 * files and folders and symbolic links inside a skill are skipped, as are files deeper than
 * {@value #MAX_DEPTH} levels or past the first {@value #MAX_FILES} of a skill.
 *
 * <p>A SKILLS_DIR skill replaces the shipped skill of the same name only when it is valid itself;
 * an invalid one is reported and the shipped skill stays.
 *
 * <p>A skill's folder must be named like the skill: paths shown to users and to the model are
 * {@code <name>/<file>}, and a mismatch would make them point at the wrong place. It is an error,
 * not a warning.
 */
final class SkillLoader {
  private static final Logger log = LoggerFactory.getLogger(SkillLoader.class);
  static final String INDEX = "skills/index.txt";
  static final int MAX_DEPTH = 6;
  static final int MAX_FILES = 200;

  /** Filled during one load; a loader is used for a single load by a single thread. */
  private final List<SkillProblem> problems = new ArrayList<>();

  private SkillLoader() {}

  /**
   * Shipped skills, overridden by SKILLS_DIR's, then narrowed to ENABLED_SKILLS. A SKILLS_DIR
   * skill replaces the shipped skill that has its name as name or alias, and takes over that
   * skill's name and aliases as its own aliases, so what selected the shipped skill selects it.
   */
  static LoadedSkills load(SkillSettings settings) {
    SkillLoader loader = new SkillLoader();
    Map<String, Skill> skills = new TreeMap<>(loader.shipped());
    int overridden = 0;
    if (settings.skillsDir() != null) {
      for (Skill skill : loader.folder("SKILLS_DIR", settings.skillsDir()).values()) {
        String replaced = skills.containsKey(skill.name()) ? skill.name() : aliasOwner(skills, skill.name());
        if (replaced != null) {
          Skill shipped = skills.remove(replaced);
          Set<String> aliases = new LinkedHashSet<>(skill.aliases());
          aliases.add(shipped.name());
          aliases.addAll(shipped.aliases());
          aliases.remove(skill.name());
          skill = skill.withAliases(List.copyOf(aliases));
          overridden++;
          log.info("Skill {} from SKILLS_DIR overrides the shipped {}", skill.name(), shipped.name());
        }
        skills.put(skill.name(), skill);
      }
    }
    Map<String, String> aliases = loader.aliases(skills);
    if (settings.enabledSkills() != null) {
      Set<String> kept = new LinkedHashSet<>();
      for (String name : settings.enabledSkills()) {
        String resolved = skills.containsKey(name) ? name : aliases.get(name);
        if (resolved == null) {
          loader.problem("ENABLED_SKILLS", "lists '" + name + "', which is not a valid skill of the catalog");
        } else {
          kept.add(resolved);
        }
      }
      skills.keySet().retainAll(kept);
      aliases.values().retainAll(kept);
    }
    return new LoadedSkills(skills, aliases, loader.problems, overridden);
  }

  /**
   * The valid skills of one folder of skills alone, as {@code mason skills check} sees them;
   * {@code label} names the folder in problems.
   */
  static LoadedSkills folderOnly(String label, Path dir) {
    SkillLoader loader = new SkillLoader();
    Map<String, Skill> skills = new TreeMap<>(loader.folder(label, dir));
    Map<String, String> aliases = loader.aliases(skills);
    return new LoadedSkills(skills, aliases, loader.problems, 0);
  }

  private static String aliasOwner(Map<String, Skill> skills, String alias) {
    return skills.values().stream().filter(s -> s.aliases().contains(alias)).map(Skill::name).findFirst().orElse(null);
  }

  /**
   * Every alias to its skill. An alias that is another skill's name, or that an earlier skill (by
   * name) already has, is reported and dropped from the skill, so each name selects one skill.
   * Rewrites {@code skills} with the aliases that stand.
   */
  private Map<String, String> aliases(Map<String, Skill> skills) {
    Map<String, String> owners = new HashMap<>();
    for (Skill skill : List.copyOf(skills.values())) {
      List<String> kept = new ArrayList<>();
      for (String alias : skill.aliases()) {
        if (skills.containsKey(alias)) {
          problem(skill.source().display(Skill.MAIN_FILE), "alias '" + alias + "' is the name of another skill; the alias is ignored");
        } else if (owners.containsKey(alias)) {
          problem(skill.source().display(Skill.MAIN_FILE), "alias '" + alias + "' is already an alias of skill '"
              + owners.get(alias) + "'; it is ignored here");
        } else {
          owners.put(alias, skill.name());
          kept.add(alias);
        }
      }
      if (kept.size() != skill.aliases().size()) {
        skills.put(skill.name(), skill.withAliases(kept));
      }
    }
    return owners;
  }

  private Map<String, Skill> shipped() {
    Map<String, List<String>> folders = new LinkedHashMap<>();
    try (InputStream in = SkillLoader.class.getClassLoader().getResourceAsStream(INDEX)) {
      if (in == null) {
        problem("shipped:" + INDEX, "is missing from the jar; no shipped skills are available");
        return Map.of();
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
          continue;
        }
        int slash = entry.indexOf('/');
        if (slash <= 0 || slash == entry.length() - 1 || entry.startsWith("/") || entry.contains("\\")
            || List.of(entry.split("/")).contains("..")) {
          problem("shipped:" + INDEX, "line '" + entry + "' is not of the form <folder>/<file>");
          continue;
        }
        String folder = entry.substring(0, slash);
        String file = entry.substring(slash + 1);
        if (SkillLoader.class.getClassLoader().getResource("skills/" + entry) == null) {
          problem("shipped:skills/" + entry, "is listed in " + INDEX + " but missing from the jar");
          continue;
        }
        folders.computeIfAbsent(folder, f -> new ArrayList<>()).add(file);
      }
    } catch (IOException e) {
      problem("shipped:" + INDEX, "cannot be read: " + e.getMessage());
    }
    Map<String, Skill> skills = new TreeMap<>();
    folders.forEach((folder, files) -> {
      Skill skill = build(folder, new SkillSource.Shipped(folder), files.stream().sorted().toList());
      if (skill != null) {
        skills.put(skill.name(), skill);
      }
    });
    return skills;
  }

  private Map<String, Skill> folder(String label, Path dir) {
    Map<String, Skill> skills = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      problem(label, "is not a folder; none of its skills are loaded");
      log.warn("{} {} is not a folder", label, dir);
      return skills;
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(children::add);
    } catch (IOException e) {
      log.warn("Cannot list {} {}", label, dir, e);
      problem(label, "cannot be listed (" + e.getClass().getSimpleName() + ")");
      return skills;
    }
    children.sort(null);
    for (Path child : children) {
      String folder = child.getFileName().toString();
      // Top-level files (a README) and hidden folders (.git) are not skills.
      if (folder.startsWith(".") || !Files.isDirectory(child)) {
        continue;
      }
      Path root;
      List<String> files;
      try {
        root = child.toRealPath();
        files = listFiles(label + "/" + folder, root);
      } catch (IOException e) {
        log.warn("Cannot read skill folder {}", child, e);
        problem(label + "/" + folder, "cannot be read (" + e.getClass().getSimpleName() + ")");
        continue;
      }
      Skill skill = build(folder, new SkillSource.Folder(label, folder, root), files);
      if (skill != null) {
        skills.put(skill.name(), skill);
      }
    }
    return skills;
  }

  /** {@code shown} names the skill folder in problems. */
  private List<String> listFiles(String shown, Path root) throws IOException {
    List<String> files = new ArrayList<>();
    Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile() || file.getFileName().toString().startsWith(".")) {
          return FileVisitResult.CONTINUE;
        }
        if (files.size() == MAX_FILES) {
          problem(shown, "has more than " + MAX_FILES + " files; the rest are left out");
          return FileVisitResult.TERMINATE;
        }
        files.add(root.relativize(file).toString().replace(java.io.File.separatorChar, '/'));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(null);
    return files;
  }

  /** The skill in {@code folder}, or null after reporting why it is left out. */
  private Skill build(String folder, SkillSource source, List<String> files) {
    String main = source.display(Skill.MAIN_FILE);
    if (!files.contains(Skill.MAIN_FILE)) {
      problem(main, "is missing; every skill folder needs one");
      return null;
    }
    FrontMatter front;
    try {
      front = FrontMatter.parse(source.read(Skill.MAIN_FILE));
    } catch (SkillFormatException e) {
      problem(main, e.getMessage());
      return null;
    } catch (IOException e) {
      problem(main, "cannot be read: " + e.getMessage());
      return null;
    }
    if (!front.name().equals(folder)) {
      problem(main, "name '" + front.name() + "' does not match its folder '" + folder
          + "'; rename the folder or the skill so they are the same");
      return null;
    }
    return new Skill(front.name(), front.description(), front.aliases(), front.tools(), front.body(), files, source);
  }

  private void problem(String file, String error) {
    SkillProblem problem = new SkillProblem(file, error);
    problems.add(problem);
    log.warn("Skill problem, left out of the catalog: {}", problem);
  }
}
