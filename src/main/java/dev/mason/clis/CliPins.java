package dev.mason.clis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The CLI versions Mason installs: the shipped {@code clis/package.json} (the same file a Databricks
 * App receives as its {@code package.json}), or the pins {@code mason tools upgrade} wrote under
 * {@code MASON_HOME}, which then win.
 *
 * @param json the package.json text, exactly as read
 */
public record CliPins(String json, Map<Cli, String> versions) {
  public static final String RESOURCE = "/clis/package.json";

  public CliPins {
    versions = Map.copyOf(versions);
  }

  /** The pins in the jar. */
  public static CliPins shipped() {
    try (InputStream in = CliPins.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code upgraded} when it exists and can be read, else the shipped pins. */
  public static CliPins effective(Path upgraded) {
    if (Files.isRegularFile(upgraded)) {
      try {
        return parse(Files.readString(upgraded));
      } catch (IOException | IllegalArgumentException e) {
        org.slf4j.LoggerFactory.getLogger(CliPins.class).warn("Ignoring {}: {}; using the shipped CLI versions", upgraded, e.toString());
      }
    }
    return shipped();
  }

  static CliPins parse(String json) {
    JsonNode dependencies;
    try {
      dependencies = Json.MAPPER.readTree(json).path("dependencies");
    } catch (IOException e) {
      throw new IllegalArgumentException("not a package.json: " + e.getMessage(), e);
    }
    Map<Cli, String> versions = new EnumMap<>(Cli.class);
    for (Cli cli : Cli.values()) {
      JsonNode version = dependencies.path(cli.npmPackage());
      if (version.isTextual() && !version.asText().isBlank()) {
        versions.put(cli, version.asText().trim());
      }
    }
    return new CliPins(json, versions);
  }

  /** The pin of {@code cli}, or null when the file leaves it out. */
  public String version(Cli cli) {
    return versions.get(cli);
  }

  /** The same file with {@code cli} pinned at {@code version}. */
  CliPins with(Cli cli, String version) {
    ObjectNode root;
    try {
      root = (ObjectNode) Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    root.withObject("dependencies").put(cli.npmPackage(), version);
    return parse(root.toPrettyString() + "\n");
  }

  /** A short hash of the file: two installs of the same pins share it. */
  public String hash() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
