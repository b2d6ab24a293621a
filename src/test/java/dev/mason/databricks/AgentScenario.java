package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mason.databricks.ScriptedAgent.Call;
import dev.mason.databricks.ScriptedAgent.Outcome;
import dev.mason.databricks.ScriptedAgent.Run;
import dev.mason.databricks.ScriptedAgent.Turn;
import dev.mason.databricks.ScriptedAgent.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicNode;

/**
 * The agent runs of one end-to-end scenario, as one user in a project of their own, and the tests
 * they yield: one per run for how it ended and which tokens the workspace saw, one per checked
 * tool call. The runs happen at once, in order (a later run may use what an earlier one
 * returned); the tests assert afterwards, each on its own, so a failure names its tool.
 *
 * <p>Used by one test thread; {@code exercised} collects the tools the scenario's runs called.
 */
final class AgentScenario {
  private final String name;
  private final ScriptedAgent agent;
  private final FakeWorkspace fake;
  private final User user;
  private final String appToken;
  private final Set<String> exercised;
  private final List<DynamicNode> tests = new ArrayList<>();
  private final String project;

  /** @param appToken Mason's own DATABRICKS_TOKEN, which no request of the user's runs may carry */
  AgentScenario(String name, ScriptedAgent agent, FakeWorkspace fake, User user, String appToken, Set<String> exercised) {
    this.name = name;
    this.agent = agent;
    this.fake = fake;
    this.user = user;
    this.appToken = appToken;
    this.exercised = exercised;
    this.project = agent.createProject(user, name);
  }

  List<DynamicNode> tests() {
    return tests;
  }

  /** A run in a new conversation: one model turn per element of {@code turns}, then a closing answer. */
  Run run(String message, Turn... turns) {
    return play(null, message, true, List.of(turns));
  }

  /** A further run in the conversation of {@code earlier}. */
  Run continueRun(Run earlier, String message, Turn... turns) {
    return play(earlier.conversationId(), message, true, List.of(turns));
  }

  /**
   * A run of one turn in the conversation of {@code earlier} (null: a new one); {@code reaches}
   * says whether it must reach the workspace (a call refused for bad input, or one answered from
   * Mason's own state, does not).
   */
  Run step(Run earlier, String message, boolean reaches, Turn turn) {
    return play(earlier == null ? null : earlier.conversationId(), message, reaches, List.of(turn));
  }

  private Run play(String conversation, String message, boolean reaches, List<Turn> turns) {
    fake.clearRequests();
    Run run = agent.run(user, project, conversation, message, turns);
    List<FakeWorkspace.Received> received = fake.requests();
    String tools = turns.stream().flatMap(t -> t.calls().stream()).map(Call::tool).distinct().collect(Collectors.joining(", "));
    String what = name + " (run of " + tools + ")";
    tests.add(dynamicTest("run of " + tools + " completes and the workspace saw only " + user.email() + "'s token", () -> {
      assertThat(run.status()).as(what + ": " + run.events()).isEqualTo("completed");
      if (reaches) {
        assertThat(received).as(what + ": the workspace was reached").isNotEmpty();
      }
      List<String> others = received.stream().filter(r -> !user.token().equals(r.token()))
          .map(r -> r.method() + " " + r.path() + " with " + (appToken.equals(r.token()) ? "the app's DATABRICKS_TOKEN" : "another token"))
          .toList();
      assertThat(others).as(what + ": requests made with another identity than " + user.email()).isEmpty();
      assertThat(run.events().toString()).as(what + ": no token in the run's events")
          .doesNotContain(user.token()).doesNotContain(appToken);
    }));
    return run;
  }

  /** Expects {@code call} to have succeeded, with {@code check} holding for its outcome. */
  void expect(Run run, Call call, Consumer<Outcome> check) {
    exercise(run, call, outcome -> {
      assertThat(outcome.isError()).as(outcome.toString()).isFalse();
      check.accept(outcome);
    });
  }

  /** Expects {@code call} to have failed, with {@code check} holding for its message. */
  void expectError(Run run, Call call, Consumer<String> check) {
    exercise(run, call, outcome -> {
      assertThat(outcome.isError()).as(outcome.toString()).isTrue();
      check.accept(outcome.content());
    });
  }

  private void exercise(Run run, Call call, Consumer<Outcome> check) {
    if (run.outcomes().containsKey(call.id())) {
      exercised.add(call.tool());
    }
    String input = call.input().replaceAll("\\s+", " ");
    tests.add(dynamicTest(call.tool() + " " + input, () -> {
      try {
        check.accept(run.outcome(call));
      } catch (AssertionError e) {
        // Reports show a dynamic test by its index only, so the message names the scenario and the tool.
        throw new AssertionError(name + ": " + call.tool() + " " + input + "\n" + e.getMessage(), e);
      }
    }));
  }
}
