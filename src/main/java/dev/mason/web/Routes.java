package dev.mason.web;

import io.javalin.config.RoutesConfig;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/** A room's HTTP surface: each room has one, registered by {@link WebServer}. */
@FunctionalInterface
public interface Routes {
  void addTo(RoutesConfig routes);

  /**
   * Servlets and filters the room mounts in Jetty beside Javalin's own servlet (which serves
   * {@code /*}), such as the MCP SDK's transport. They see none of Javalin's before-handlers or
   * error mapping, so they authenticate and answer errors themselves. None by default.
   */
  default void addServlets(ServletContextHandler context) {}
}
