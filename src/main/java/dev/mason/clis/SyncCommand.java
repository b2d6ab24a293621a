package dev.mason.clis;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code mason sync [FOLDER]} in a Mason terminal: asks the Mason that runs the terminal to sync the
 * repository at FOLDER (default: the current one) to the workspace again, as the post-commit hook
 * does, with the shell's session secret. The sync itself runs in Mason; its outcome is in the
 * terminal page and {@code GET /api/workspace-sync}.
 */
public final class SyncCommand {
  private SyncCommand() {}

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    String url = env.get("MASON_URL");
    String secret = env.get("MASON_SESSION_SECRET");
    if (url == null || secret == null) {
      err.println("mason sync runs in a Mason terminal: MASON_URL and MASON_SESSION_SECRET are not set here.");
      return 2;
    }
    Path folder = Path.of(args.isEmpty() ? "" : args.getFirst()).toAbsolutePath().normalize();
    String top;
    try {
      Process git = new ProcessBuilder("git", "-C", folder.toString(), "rev-parse", "--show-toplevel").redirectErrorStream(true).start();
      top = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (git.waitFor() != 0) {
        err.println("No git repository at " + folder + ".");
        return 2;
      }
      String body = dev.mason.web.Json.write(Map.of("path", top));
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/workspace-sync/commit"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 202) {
        err.println("Mason refused the sync (HTTP " + response.statusCode() + "): " + response.body());
        return 1;
      }
      out.println("Sync of " + top + " queued; its outcome shows in the terminal page.");
      return 0;
    } catch (IOException e) {
      err.println("Cannot reach Mason at " + url + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
