package dev.mason.web;

import io.javalin.config.RoutesConfig;
import java.util.Set;
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

  /**
   * The room's routes that take {@code multipart/form-data} uploads from Mason's own pages; every
   * other route refuses the form-sendable body types ({@link RequestGuard}). None by default.
   */
  default Set<String> multipartPaths() {
    return Set.of();
  }
}
