package dev.mason.project;

/** The CLAUDE.md a new project starts with: the agent's notebook of settings and created resources. */
final class ClaudeTemplate {
  private ClaudeTemplate() {}

  static String forProject(String name) {
    return """
        # %s

        Notes the agent keeps for this project. Mason reads this file into the agent's instructions
        at the start of every run, so what is written here is remembered across conversations.

        ## Configuration
        <!-- Settings this project relies on: catalog, schema, warehouse, cluster, workspace folder. -->

        ## Resources
        <!-- Everything created on the workspace, with its id or full name, so it can be found,
             reused or cleaned up later. -->

        ### Tables

        ### Volumes

        ### Pipelines

        ### Jobs
        """.formatted(name.replace("\n", " "));
  }
}
