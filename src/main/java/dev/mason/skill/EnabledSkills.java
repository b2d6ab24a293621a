package dev.mason.skill;

import dev.mason.identity.Caller;
import java.util.List;
import java.util.UUID;

/**
 * The skills a project has chosen, as stored with the project. Implemented by the project room
 * ({@code ProjectService::enabledSkills}); kept behind this interface so the catalog and the
 * Skill tool hold no project state.
 */
@FunctionalInterface
public interface EnabledSkills {
  /**
   * The names the project enabled, or null when it enabled every skill of the catalog (the
   * default). Names that are no longer in the catalog may appear; readers ignore them.
   *
   * @throws dev.mason.web.ApiError 404 when the caller has no such project
   */
  List<String> enabledSkills(Caller caller, UUID projectId);
}
