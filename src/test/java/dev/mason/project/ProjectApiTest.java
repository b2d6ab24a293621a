package dev.mason.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProjectApiTest {
  static TestMason mason;

  @BeforeAll
  static void start() {
    mason = TestMason.start();
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void aCreatedProjectIsListedAndHasAFolderWithClaudeMd() {
    Api alice = mason.as("alice@example.com");
    var created = alice.post("/api/projects", "{\"name\": \"Sales lakehouse\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(created.json().get("user_email").asText()).isEqualTo("alice@example.com");

    assertThat(alice.get("/api/projects").json().findValuesAsText("id")).contains(id);
    var files = alice.get("/api/projects/" + id + "/files").json();
    assertThat(files.get("files").findValuesAsText("path")).containsExactly("CLAUDE.md");
    var content = alice.get("/api/projects/" + id + "/files/content?path=CLAUDE.md").json();
    assertThat(content.get("content").asText()).contains("# Sales lakehouse").contains("## Resources");
  }
}
