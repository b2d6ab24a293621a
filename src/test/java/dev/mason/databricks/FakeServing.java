package dev.mason.databricks;

import io.javalin.config.RoutesConfig;

final class FakeServing {
  private final FakeWorkspace fake;

  FakeServing(FakeWorkspace fake) {
    this.fake = fake;
  }

  void addTo(RoutesConfig routes) {}
}
