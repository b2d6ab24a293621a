package dev.mason.databricks;

import io.javalin.config.RoutesConfig;

final class FakeGenie {
  private final FakeWorkspace fake;

  FakeGenie(FakeWorkspace fake) {
    this.fake = fake;
  }

  void addTo(RoutesConfig routes) {}
}
