package dev.mason.env;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The one reader of Mason's environment: every room's settings read their variables through it,
 * so a variable is unset when absent or blank, values are trimmed, and a value that breaks its
 * type fails start-up with a {@link ConfigException} naming the variable, the rule and the value.
 *
 * <p>Immutable view of the map it was given; thread-safe if that map is not changed.
 */
public final class Env {
  private final Map<String, String> values;

  private Env(Map<String, String> values) {
    this.values = values;
  }

  public static Env of(Map<String, String> values) {
    return new Env(values);
  }

  /** Whether {@code name} is set to something other than white space. */
  public boolean present(String name) {
    String v = values.get(name);
    return v != null && !v.isBlank();
  }

  /** The trimmed value, or null when unset. */
  public String text(String name) {
    return text(name, null);
  }

  public String text(String name, String fallback) {
    return present(name) ? values.get(name).trim() : fallback;
  }

  public int integer(String name, int fallback) {
    long value = wholeNumber(name, fallback);
    if (value != (int) value) {
      throw new ConfigException(name, "must be a whole number below 2^31, was '" + text(name) + "'");
    }
    return (int) value;
  }

  public long wholeNumber(String name, long fallback) {
    if (!present(name)) {
      return fallback;
    }
    try {
      return Long.parseLong(text(name));
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, was '" + text(name) + "'");
    }
  }

  /** A number of seconds, fractions allowed ({@code 0.5}), so that tests can run intervals short. */
  public Duration seconds(String name, Duration fallback) {
    if (!present(name)) {
      return fallback;
    }
    try {
      BigDecimal value = new BigDecimal(text(name));
      return Duration.ofMillis(value.movePointRight(3).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(name, "must be a number of seconds, was '" + text(name) + "'");
    }
  }

  public boolean bool(String name, boolean fallback) {
    if (!present(name)) {
      return fallback;
    }
    return switch (text(name).toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name, "must be true or false, was '" + text(name) + "'");
    };
  }
}
