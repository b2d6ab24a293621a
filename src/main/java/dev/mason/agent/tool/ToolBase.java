package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What every tool fixes when it is made: its name, its description, its input schema and whether
 * it only reads. The built-in tools ({@code BuiltinTool}), the Databricks tools and the Skill tool
 * extend it and add only how a call runs.
 *
 * <p>Immutable; the schema is built once and each caller gets its own copy, since model clients may
 * strip or rewrite keywords.
 */
public abstract class ToolBase implements Tool {
  /** For {@code readOnly}: the tool changes nothing, so it may run beside the turn's other readers. */
  protected static final boolean READ_ONLY = true;
  /** For {@code readOnly}: the tool may change something, so it runs alone. */
  protected static final boolean WRITES = false;

  private final String name;
  private final String description;
  private final ObjectNode schema;
  private final boolean readOnly;

  protected ToolBase(String name, String description, InputSchema schema, boolean readOnly) {
    this.name = name;
    this.description = description;
    this.schema = schema.build();
    this.readOnly = readOnly;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final ObjectNode inputSchema() {
    return schema.deepCopy();
  }

  @Override
  public final boolean readOnly() {
    return readOnly;
  }

  /** The schema itself, never handed out: for checking an input against it. */
  protected final ObjectNode checkedSchema() {
    return schema;
  }
}
