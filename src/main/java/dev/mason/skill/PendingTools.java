package dev.mason.skill;

import java.util.Set;

/**
 * Tools that the shipped skills name and claim, which are being added on the branch of issue 20
 * and are not in Mason's tool registry yet. Until that branch is merged, {@code mason skills check}
 * and the skill tests accept these names as tools.
 *
 * <p>TEMPORARY: delete this class (and its two uses, in {@code Application.toolNames()} and
 * {@code ShippedSkillsTest}) when the tools branch is merged; every name must then come from the
 * real registry, and a name the registry lacks fails the check.
 */
public final class PendingTools {
  public static final Set<String> NAMES = Set.of(
      "get_volume_folder_details", "manage_sql_warehouse",
      "manage_uc_storage", "manage_uc_connections", "manage_uc_tags", "manage_uc_security_policies",
      "manage_uc_monitors", "manage_uc_sharing", "manage_metric_views",
      "manage_dashboard", "manage_genie", "manage_ka", "manage_mas",
      "manage_vs_endpoint", "manage_vs_index", "query_vs_index", "manage_vs_data",
      "manage_lakebase_database", "manage_lakebase_branch", "manage_lakebase_sync", "generate_lakebase_credential",
      "manage_app");

  private PendingTools() {}
}
