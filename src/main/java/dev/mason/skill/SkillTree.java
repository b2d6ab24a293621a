package dev.mason.skill;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The folder tree of skills as the browser shows it: one folder per skill, folders before files. */
final class SkillTree {
  private SkillTree() {}

  /**
   * A file or folder; {@code path} is {@code <skill>/<relative path>}, the form the file route takes.
   *
   * @param children a folder's entries; absent (not serialised) for a file
   */
  record Node(String name, String path, String type, @JsonInclude(JsonInclude.Include.NON_NULL) List<Node> children) {
    static final String FILE = "file";
    static final String DIRECTORY = "directory";
  }

  static List<Node> of(List<Skill> skills) {
    return skills.stream().map(s -> folder(s.name(), s.name(), s.files())).toList();
  }

  /** The folder at {@code path} holding {@code files} (relative to it). */
  private static Node folder(String name, String path, List<String> files) {
    Map<String, List<String>> subfolders = new TreeMap<>();
    List<Node> children = new ArrayList<>();
    for (String file : files) {
      int slash = file.indexOf('/');
      if (slash < 0) {
        children.add(new Node(file, path + "/" + file, Node.FILE, null));
      } else {
        subfolders.computeIfAbsent(file.substring(0, slash), k -> new ArrayList<>()).add(file.substring(slash + 1));
      }
    }
    List<Node> folders = new ArrayList<>();
    subfolders.forEach((sub, inside) -> folders.add(folder(sub, path + "/" + sub, inside)));
    children.sort(Comparator.comparing(Node::name));
    folders.addAll(children);
    return new Node(name, path, Node.DIRECTORY, folders);
  }
}
