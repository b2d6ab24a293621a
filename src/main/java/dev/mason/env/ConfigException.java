package dev.mason.env;

/** A configuration value that cannot be used; names the variable and the rule it broke. */
public final class ConfigException extends RuntimeException {
  private final String variable;

  public ConfigException(String variable, String rule) {
    super(variable + " " + rule);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
