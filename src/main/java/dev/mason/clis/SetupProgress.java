package dev.mason.clis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The CLIs' setup, one step per CLI, in the reference's {@code /api/setup-status} shape:
 * {@code {status, started_at, completed_at, error, steps: [{id, label, status, started_at,
 * completed_at, error}]}}, each step also with the {@code version} it is ready at. Statuses are the
 * reference's: {@code pending}, {@code running} (installing), {@code complete} (ready) and
 * {@code error} (failed, {@code error} saying why).
 *
 * <p>Thread-safe: every change and every read holds {@code lock}; the installers of the CLIs
 * update their own steps concurrently.
 */
final class SetupProgress {
  enum Status { pending, running, complete, error }

  record Step(String id, String label, Status status, Instant startedAt, Instant completedAt, String error, String version) {}

  /** The whole setup at one moment. */
  record View(Status status, Instant startedAt, Instant completedAt, String error, List<Step> steps) {
    /** The reference's JSON shape. */
    Map<String, Object> json() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status.name());
      body.put("started_at", startedAt);
      body.put("completed_at", completedAt);
      body.put("error", error);
      List<Map<String, Object>> list = new ArrayList<>();
      for (Step step : steps) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", step.id());
        s.put("label", step.label());
        s.put("status", step.status().name());
        s.put("started_at", step.startedAt());
        s.put("completed_at", step.completedAt());
        s.put("error", step.error());
        s.put("version", step.version());
        list.add(s);
      }
      body.put("steps", list);
      return body;
    }

    /** For {@code /health}: the overall status and which CLIs are ready, failed or still coming. */
    Map<String, Object> summary() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", status.name());
      body.put("ready", steps.stream().filter(s -> s.status() == Status.complete).map(Step::id).toList());
      body.put("failed", steps.stream().filter(s -> s.status() == Status.error).map(Step::id).toList());
      body.put("pending", steps.stream().filter(s -> s.status() == Status.pending || s.status() == Status.running).map(Step::id).toList());
      return body;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Step> steps = new LinkedHashMap<>();
  private Instant startedAt;
  private Instant completedAt;

  void add(String id, String label) {
    lock.lock();
    try {
      steps.put(id, new Step(id, label, Status.pending, null, null, null, null));
    } finally {
      lock.unlock();
    }
  }

  void running(String id) {
    update(id, s -> new Step(s.id(), s.label(), Status.running, Instant.now(), null, null, null));
  }

  void complete(String id, String version) {
    update(id, s -> new Step(s.id(), s.label(), Status.complete, s.startedAt() == null ? Instant.now() : s.startedAt(), Instant.now(),
        null, version));
  }

  void failed(String id, String reason) {
    update(id, s -> new Step(s.id(), s.label(), Status.error, s.startedAt() == null ? Instant.now() : s.startedAt(), Instant.now(),
        reason, null));
  }

  Step step(String id) {
    lock.lock();
    try {
      return steps.get(id);
    } finally {
      lock.unlock();
    }
  }

  View view() {
    lock.lock();
    try {
      List<Step> all = List.copyOf(steps.values());
      boolean anyStarted = all.stream().anyMatch(s -> s.status() != Status.pending);
      boolean done = !all.isEmpty() && all.stream().allMatch(s -> s.status() == Status.complete || s.status() == Status.error);
      List<String> failed = all.stream().filter(s -> s.status() == Status.error).map(s -> s.label() + ": " + s.error()).toList();
      Status status = done ? (failed.isEmpty() ? Status.complete : Status.error) : anyStarted ? Status.running : Status.pending;
      return new View(status, startedAt, done ? completedAt : null, failed.isEmpty() ? null : String.join("; ", failed), all);
    } finally {
      lock.unlock();
    }
  }

  private void update(String id, java.util.function.UnaryOperator<Step> change) {
    lock.lock();
    try {
      Step step = steps.get(id);
      if (step == null) {
        return;
      }
      Step changed = change.apply(step);
      steps.put(id, changed);
      if (startedAt == null && changed.startedAt() != null) {
        startedAt = changed.startedAt();
      }
      if (changed.completedAt() != null) {
        completedAt = changed.completedAt();
      }
    } finally {
      lock.unlock();
    }
  }
}
