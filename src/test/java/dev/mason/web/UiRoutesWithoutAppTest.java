package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.identity.IdentityResolver;
import dev.mason.testing.Api;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A jar built with -Dskip.web=true: the root says why there is no page, the API is untouched. */
class UiRoutesWithoutAppTest {
  static WebServer server;
  static Api browser;

  @BeforeAll
  static void start() {
    var identity = new IdentityResolver(IdentityResolver.Rules.local(false), null, () -> "local", Clock.systemUTC());
    server = new WebServer("127.0.0.1", 0, identity, List.of(new UiRoutes(new WebAssets("no-such-folder")))).start();
    browser = new Api("http://127.0.0.1:" + server.port(), Map.of("Accept", "text/html"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theRootExplainsThatThisBuildHasNoBrowserApp() {
    for (String path : new String[] {"/", "/projects/x"}) {
      var page = browser.get(path);
      assertThat(page.status()).as(path).isEqualTo(503);
      assertThat(page.body()).as(path).contains("-Dskip.web=true").contains("./mason build");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
  }

  @Test
  void unknownApiPathsStayJson404s() {
    var response = browser.get("/api/nope");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().get("error").asText()).isEqualTo("no route for GET /api/nope");
  }
}
