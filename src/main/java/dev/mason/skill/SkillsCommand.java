package dev.mason.skill;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code mason skills check DIR}: checks a folder of skills by the rules of {@link SkillCheck},
 * so an organisation can check its own skills before pointing SKILLS_DIR at them. Exit code 0
 * when every skill passes, 1 with the findings printed, 2 for a usage error.
 *
 * <p>SQL examples are not parsed here: the SQL parser is a test dependency of Mason (see
 * {@code DatabricksSqlCheck} in the tests). Python examples are compiled when {@code python3} is
 * on the PATH; without it the command says they were skipped.
 */
public final class SkillsCommand {
  static final String USAGE = "Usage: mason skills check DIR   (DIR holds one folder per skill, each with a SKILL.md)";

  private SkillsCommand() {}

  public static int run(List<String> args, Set<String> knownTools, PrintStream out, PrintStream err) {
    if (args.size() != 2 || !args.getFirst().equals("check")) {
      err.println(USAGE);
      return 2;
    }
    Path dir = Path.of(args.get(1));
    if (!Files.isDirectory(dir)) {
      err.println("mason skills check: " + args.get(1) + " is not a folder.\n" + USAGE);
      return 2;
    }
    List<SkillCheck.ExampleCheck> examples = new ArrayList<>();
    PythonCompile.find().ifPresentOrElse(examples::add,
        () -> out.println("note: python3 is not on the PATH; Python examples were not compiled"));
    SkillCheck.Report report = SkillCheck.check(dir.getFileName() == null ? args.get(1) : dir.getFileName().toString(),
        dir, knownTools, examples);
    report.problems().forEach(p -> out.println(p));
    out.println(report.skills().size() + (report.skills().size() == 1 ? " skill" : " skills") + " checked, "
        + report.problems().size() + (report.problems().size() == 1 ? " problem" : " problems")
        + (report.problems().isEmpty() ? "." : " (each listed above)."));
    return report.problems().isEmpty() ? 0 : 1;
  }
}
