package dev.mason.web;

import io.javalin.config.RoutesConfig;

/** A room's HTTP surface: each room has one, registered by {@link WebServer}. */
@FunctionalInterface
public interface Routes {
  void addTo(RoutesConfig routes);
}
