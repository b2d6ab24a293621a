package dev.mason.skill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.env.ConfigException;
import dev.mason.testing.TestMason;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillSettingsTest {
  @TempDir
  Path dir;

  @Test
  void unsetOrBlankVariablesMeanNoSkillsDirAndEverySkill() {
    assertThat(SkillSettings.fromEnv(Map.of())).isEqualTo(SkillSettings.DEFAULTS);
    assertThat(SkillSettings.fromEnv(Map.of("SKILLS_DIR", " ", "ENABLED_SKILLS", ""))).isEqualTo(SkillSettings.DEFAULTS);
  }

  @Test
  void enabledSkillsIsACommaSeparatedListOfNames() {
    SkillSettings settings = SkillSettings.fromEnv(Map.of("SKILLS_DIR", dir.toString(), "ENABLED_SKILLS", "b-one, a2,,b-one "));
    assertThat(settings.skillsDir()).isEqualTo(dir.toAbsolutePath());
    assertThat(settings.enabledSkills()).containsExactly("b-one", "a2");
  }

  @Test
  void aSkillsDirThatIsNotAFolderIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> SkillSettings.fromEnv(Map.of("SKILLS_DIR", dir.resolve("missing").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("SKILLS_DIR must be an existing folder");
  }

  @Test
  void anEnabledSkillsEntryThatIsNotANameIsRefusedNamingIt() {
    assertThatThrownBy(() -> SkillSettings.fromEnv(Map.of("ENABLED_SKILLS", "databricks-sql,Unity Catalog")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ENABLED_SKILLS")
        .hasMessageContaining("'Unity Catalog'");
  }

  @Test
  void masonDoesNotStartWithABadSkillsDirAndSaysWhy() {
    assertThatThrownBy(() -> TestMason.start(Map.of("SKILLS_DIR", dir.resolve("typo").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SKILLS_DIR must be an existing folder");
  }
}
