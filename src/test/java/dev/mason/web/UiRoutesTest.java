package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser app as the built jar serves it. Needs the bundle in target/classes/web, which the
 * Maven build makes unless it ran with -Dskip.web=true (then this test has nothing to check).
 */
class UiRoutesTest {
  private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";
  static TestMason mason;
  static Api browser;

  @BeforeAll
  static void start() {
    org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("mason.skip.web"),
        "built with -Dskip.web=true: there is no browser app to serve");
    mason = TestMason.start();
    browser = mason.as("alice@example.com").withHeader("Accept", HTML);
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
  }

  @Test
  void theRootServesTheAppsIndexPageWithoutCaching() {
    var page = browser.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.body()).contains("<div id=\"root\"></div>").contains("/assets/");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
        assertThat(policy).contains("default-src 'self'").contains("img-src 'self' data:"));
  }

  @Test
  void aHashedAssetIsServedWithItsTypeAndAYearLongCache() {
    String script = firstScript(browser.get("/").body());
    var asset = mason.anonymous().withHeader("Accept", "*/*").get(script);
    assertThat(asset.status()).isEqualTo(200);
    assertThat(asset.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(asset.body()).isNotEmpty();
  }

  @Test
  void anAssetThatHasNotChangedAnswers304ToItsETag() {
    String script = firstScript(browser.get("/").body());
    var first = browser.get(script);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    var again = browser.withHeader("If-None-Match", etag).get(script);
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void aDeepLinkFallsBackToTheIndexPage() {
    var page = browser.get("/projects/x/conversations/y");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).isEqualTo(browser.get("/").body());
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void anUnknownApiPathIsStillAJson404EvenForABrowser() {
    for (String path : new String[] {"/api/nope", "/api", "/mcp/nope", "/ws/nope", "/health/x"}) {
      var response = browser.get(path);
      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.headers().firstValue("Content-Type")).as(path)
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(response.json().get("error").asText()).isEqualTo("no route for GET " + path);
    }
  }

  @Test
  void theApiStillAnswersBesideTheApp() {
    assertThat(browser.get("/api/me").json().get("user").asText()).isEqualTo("alice@example.com");
    assertThat(browser.post("/api/projects", "{\"name\": \"Beside the app\"}").status()).isEqualTo(201);
    assertThat(browser.get("/health").status()).isEqualTo(200);
  }

  @Test
  void aMissingAssetIsA404NotTheIndexPage() {
    var response = mason.anonymous().withHeader("Accept", "*/*").get("/assets/missing-123.js");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().get("error").asText()).contains("/assets/missing-123.js");
  }

  @Test
  void pathsThatTryToLeaveTheAppFolderAreRefused() {
    var api = mason.anonymous().withHeader("Accept", "*/*");
    for (String path : new String[] {"/assets/../logback.xml", "/%2e%2e/logback.xml", "/../mason-version.properties"}) {
      var response = api.get(path);
      assertThat(response.body()).as(path).doesNotContain("<configuration").doesNotContain("version=");
    }
    assertThat(api.get("/logback.xml").status()).isEqualTo(404);
  }

  private static String firstScript(String html) {
    Matcher m = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(html);
    assertThat(m.find()).as("a script in " + html).isTrue();
    return m.group(1);
  }
}
