package dev.mason.env;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks credentials in text before it leaves Mason's hands: in error messages and logs (the model
 * clients' errors), and in the traces sent to MLflow.
 *
 * <p>Masked: every value of {@code secrets} (the credentials in play), and anything shaped like a
 * Databricks personal access token, an API key, a Mason session secret, a JWT or a bearer header, also when it is not one
 * of ours (an API may echo a token it was sent).
 */
public final class SecretText {
  public static final String MASK = "****";
  /** A credential shorter than this is a test value; masking it would garble ordinary words. */
  static final int MIN_SECRET_LENGTH = 4;
  private static final List<Pattern> TOKEN_SHAPES = List.of(
      Pattern.compile("dapi[0-9a-f]{32}(-\\d+)?"),
      Pattern.compile("sk-[A-Za-z0-9_\\-]{12,}"),
      // A terminal session's key to Mason's model gateway (gateway/SessionSecrets).
      Pattern.compile("mason-session-[A-Za-z0-9_\\-]{43}"),
      Pattern.compile("eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+"));
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=\\-]{8,}");

  private SecretText() {}

  /** The secrets worth masking: present and at least {@link #MIN_SECRET_LENGTH} characters. */
  public static List<String> maskable(Collection<String> secrets) {
    return secrets.stream().filter(s -> s != null && s.strip().length() >= MIN_SECRET_LENGTH).toList();
  }

  /** {@code text} with every one of {@code secrets} and every token-shaped word masked; null stays null. */
  public static String mask(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : maskable(secrets)) {
      result = result.replace(secret, MASK);
    }
    for (Pattern shape : TOKEN_SHAPES) {
      result = shape.matcher(result).replaceAll(MASK);
    }
    return BEARER.matcher(result).replaceAll("$1" + MASK);
  }
}
