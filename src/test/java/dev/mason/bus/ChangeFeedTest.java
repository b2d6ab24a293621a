package dev.mason.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.store.CloudCredentials;
import dev.mason.store.Database;
import dev.mason.store.DatabaseEndpoint;
import dev.mason.store.DatabaseSettings;
import dev.mason.store.PasswordSource;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The change feed's own guarantees, on the database of a running Mason: a change is part of the
 * transaction of what it reports (rolled back with it), and numbers rise in commit order.
 */
class ChangeFeedTest {
  private static final CloudCredentials NO_CLOUD = new CloudCredentials() {
    @Override
    public DatabaseEndpoint lakebase(String instanceName, String database) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PasswordSource workspaceToken() {
      throw new UnsupportedOperationException();
    }
  };

  @Test
  void aChangeCommitsOrRollsBackWithTheTransactionItReports() {
    try (TestMason mason = TestMason.start();
        Database db = Database.start(new DatabaseSettings(new DatabaseSettings.External("127.0.0.1",
            MasonDatabase.port(mason.home()), "postgres", "postgres", MasonDatabase.password(mason.home()), "disable"),
            "mason", 2, false, DatabaseSettings.DEFAULT_LEFTOVER_SWEEP), NO_CLOUD)) {
      ChangeStore store = new ChangeStore(db);
      UUID project = UUID.randomUUID();
      long before = store.head();

      assertThatThrownBy(() -> db.inTransaction(h -> {
        store.record("carol@example.com", Change.project(Change.Kind.PROJECT_CREATED, project, "rolled back"));
        throw new IllegalStateException("the work it reports failed");
      })).hasMessageContaining("failed");
      assertThat(store.after("carol@example.com", before, 10)).isEmpty();

      long first = db.inTransaction(h -> store.record("carol@example.com",
          Change.project(Change.Kind.PROJECT_CREATED, project, "kept")));
      long second = store.record("carol@example.com", Change.project(Change.Kind.PROJECT_RENAMED, project, "renamed"));
      assertThat(second).isGreaterThan(first);
      assertThat(store.after("carol@example.com", before, 10)).extracting(c -> c.change().name()).containsExactly("kept", "renamed");
      assertThat(store.after("dave@example.com", before, 10)).isEmpty();
    }
  }
}
